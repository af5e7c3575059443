import Foundation

/// What the catalogue index knows of a procedure: enough to filter, rank and list it without a database read.
public struct CatalogueEntry: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public var field: String
    public var levels: [ImplementationLevel]
    public var managingAgencyCode: String
    public var managingAgencyName: String
    public var channels: [ChannelSummary]

    public init(
        code: String, name: String, field: String, levels: [ImplementationLevel], managingAgencyCode: String,
        managingAgencyName: String, channels: [ChannelSummary]
    ) {
        self.code = code
        self.name = name
        self.field = field
        self.levels = levels
        self.managingAgencyCode = managingAgencyCode
        self.managingAgencyName = managingAgencyName
        self.channels = channels
    }

    /// The channels the procedure can be carried out through.
    public var offeredChannels: Set<SubmissionChannel> { Set(channels.map(\.channel)) }
}

/// A channel with its processing time and fees in the shape a list shows: parsed values, or the original text.
public struct ChannelSummary: Sendable, Equatable, Codable {
    public var channel: SubmissionChannel
    public var processingTime: Parsed<ProcessingTime>
    public var fees: Parsed<[Fee]>

    public init(channel: SubmissionChannel, processingTime: Parsed<ProcessingTime>, fees: Parsed<[Fee]>) {
        self.channel = channel
        self.processingTime = processingTime
        self.fees = fees
    }
}

extension CatalogueEntry {
    /// The entry for a procedure whose managing agency is named `agencyName`.
    public init(_ procedure: Procedure, agencyName: String) {
        self.init(
            code: procedure.code, name: procedure.name, field: procedure.field, levels: procedure.levels,
            managingAgencyCode: procedure.managingAgencyCode, managingAgencyName: agencyName,
            channels: (procedure.channels.value ?? []).map {
                ChannelSummary(channel: $0.channel, processingTime: $0.processingTime, fees: $0.fees)
            })
    }
}

/// A catalogue search: free text plus filters, one page of results.
public struct CatalogueQuery: Sendable, Equatable {
    public var text: String
    public var field: String?
    public var level: ImplementationLevel?
    public var agency: String?
    public var channel: SubmissionChannel?
    public var page: Int
    public var per: Int

    public static let maximumPerPage = 100

    public init(
        text: String = "", field: String? = nil, level: ImplementationLevel? = nil, agency: String? = nil,
        channel: SubmissionChannel? = nil, page: Int = 1, per: Int = 20
    ) {
        self.text = text
        self.field = field
        self.level = level
        self.agency = agency
        self.channel = channel
        self.page = page
        self.per = per
    }
}

public struct CataloguePage: Sendable, Equatable {
    public var items: [CatalogueEntry]
    public var page: Int
    public var per: Int
    public var total: Int

    public var pageCount: Int { total == 0 ? 0 : (total + per - 1) / per }
}

/// An immutable, in-memory index over the whole catalogue, ranked for Vietnamese typed with or without diacritics.
///
/// Ranking, best first: the exact procedure code; the query as a phrase in the name (shorter names first, so
/// "đăng ký khai sinh" finds "Thủ tục đăng ký khai sinh" before its many variants); every word somewhere in
/// code, name, field or agency. Only when nothing has every word: partial matches (some words, or word
/// prefixes), most matched first. Ties go to the lower code, so the order is stable.
public final class CatalogueIndex: Sendable {
    public let entries: [CatalogueEntry]
    private let documents: [IndexedDocument]
    /// Folded token → ids of the documents holding it, ascending.
    private let postings: [String: [Int]]
    /// Every token, sorted, for prefix look-ups by binary search.
    private let vocabulary: [String]
    /// Document ids in browsing order (by code).
    private let browseOrder: [Int]
    /// Distinct fields with the number of procedures in each, by folded name.
    public let fields: [(name: String, count: Int)]
    /// Managing agencies with the number of procedures each manages, by code.
    public let agencies: [(code: String, name: String, count: Int)]

    public init(entries: [CatalogueEntry]) {
        self.entries = entries
        var documents: [IndexedDocument] = []
        documents.reserveCapacity(entries.count)
        var postings: [String: [Int]] = [:]
        for (id, entry) in entries.enumerated() {
            let document = IndexedDocument(entry)
            documents.append(document)
            for token in document.allTokens {
                postings[token, default: []].append(id)
            }
        }
        self.documents = documents
        self.postings = postings
        self.vocabulary = postings.keys.sorted()
        self.browseOrder = entries.indices.sorted { Self.codeOrder(entries[$0].code, entries[$1].code) }
        self.fields = Dictionary(grouping: entries, by: \.field).map { ($0.key, $0.value.count) }
            .sorted { VietnameseText.folded($0.name) < VietnameseText.folded($1.name) }
        self.agencies = Dictionary(grouping: entries, by: \.managingAgencyCode).compactMap { code, entries in
            entries.first.map { (code, $0.managingAgencyName, entries.count) }
        }.sorted { $0.code < $1.code }
    }

    public func search(_ query: CatalogueQuery) -> CataloguePage {
        let per = max(1, min(query.per, CatalogueQuery.maximumPerPage))
        let page = max(1, query.page)
        let ranked = rank(query)
        let start = min((page - 1) * per, ranked.count)
        let end = min(start + per, ranked.count)
        return CataloguePage(
            items: ranked[start..<end].map { entries[$0] }, page: page, per: per, total: ranked.count)
    }

    // MARK: - Ranking

    private func rank(_ query: CatalogueQuery) -> [Int] {
        let foldedQuery = VietnameseText.folded(query.text).trimmingCharacters(in: .whitespacesAndNewlines)
        let queryTokens = Self.unique(VietnameseText.tokenize(folded: foldedQuery))
        guard !queryTokens.isEmpty else {
            return browseOrder.filter { matchesFilters(documents[$0], query) }
        }
        let phrase = " " + queryTokens.joined(separator: " ") + " "
        var scored: [(id: Int, score: Score)] = []
        for id in candidates(for: queryTokens) where matchesFilters(documents[id], query) {
            let score = documents[id].score(tokens: queryTokens, phrase: phrase, rawQuery: foldedQuery)
            if score.tier < Score.noMatch { scored.append((id, score)) }
        }
        // Partial matches are a fallback: once some procedure has every word, they would only bury it.
        if scored.contains(where: { $0.score.tier <= Score.allWords }) {
            scored.removeAll { $0.score.tier == Score.partial }
        }
        scored.sort { lhs, rhs in
            if lhs.score != rhs.score { return lhs.score < rhs.score }
            return Self.codeOrder(entries[lhs.id].code, entries[rhs.id].code)
        }
        return scored.map(\.id)
    }

    /// Documents holding at least one query token, or a word that a query token begins.
    private func candidates(for tokens: [String]) -> [Int] {
        var found = Set<Int>()
        for token in tokens {
            var index = lowerBound(of: token)
            while index < vocabulary.count, vocabulary[index].hasPrefix(token) {
                found.formUnion(postings[vocabulary[index]] ?? [])
                index += 1
            }
        }
        return Array(found)
    }

    private func lowerBound(of token: String) -> Int {
        var low = 0
        var high = vocabulary.count
        while low < high {
            let middle = (low + high) / 2
            if vocabulary[middle] < token { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func matchesFilters(_ document: IndexedDocument, _ query: CatalogueQuery) -> Bool {
        let entry = document.entry
        if let field = query.field, entry.field != field { return false }
        if let level = query.level, !entry.levels.contains(level) { return false }
        if let agency = query.agency, entry.managingAgencyCode != agency { return false }
        if let channel = query.channel, !document.channels.contains(channel) { return false }
        return true
    }

    private static func unique(_ tokens: [String]) -> [String] {
        var seen = Set<String>()
        return tokens.filter { seen.insert($0).inserted }
    }

    /// Codes compare by their numeric parts, so `1.9` sorts before `1.10`.
    static func codeOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.compare(rhs, options: .numeric) == .orderedAscending
    }
}

/// A rank: lower is better, compared tier first, then the tie-breakers.
struct Score: Comparable {
    static let exactCode = 0
    static let namePhrase = 1
    static let allWords = 2
    static let partial = 3
    static let noMatch = 4

    var tier: Int
    /// Negated count of query words found in the name: more is better.
    var nameMisses: Int
    /// Name words beyond the query's: fewer is better.
    var extraWords: Int
    /// Negated matched weight for partial matches, in quarters: more is better.
    var partialMiss: Int

    static func < (lhs: Score, rhs: Score) -> Bool {
        (lhs.tier, lhs.partialMiss, lhs.nameMisses, lhs.extraWords)
            < (rhs.tier, rhs.partialMiss, rhs.nameMisses, rhs.extraWords)
    }
}

/// A catalogue entry with its folded forms, computed once when the index is built.
private struct IndexedDocument: Sendable {
    let entry: CatalogueEntry
    let code: String
    /// Name tokens joined with single spaces and padded with one space each side, for phrase search.
    let paddedName: String
    let nameTokens: Set<String>
    /// Name words that count towards length: a leading "Thủ tục" ("procedure") says nothing.
    let significantNameWordCount: Int
    let otherTokens: Set<String>
    let allTokens: Set<String>
    let channels: Set<SubmissionChannel>

    init(_ entry: CatalogueEntry) {
        self.entry = entry
        self.code = VietnameseText.folded(entry.code)
        let nameTokens = VietnameseText.tokens(entry.name)
        self.paddedName = " " + nameTokens.joined(separator: " ") + " "
        self.nameTokens = Set(nameTokens)
        let leadingNoise = nameTokens.starts(with: ["thu", "tuc"]) ? 2 : 0
        self.significantNameWordCount = nameTokens.count - leadingNoise
        let other = VietnameseText.tokens(entry.field) + VietnameseText.tokens(entry.managingAgencyName)
            + [code, VietnameseText.folded(entry.managingAgencyCode)]
        self.otherTokens = Set(other)
        self.allTokens = self.nameTokens.union(other)
        self.channels = entry.offeredChannels
    }

    func score(tokens: [String], phrase: String, rawQuery: String) -> Score {
        if rawQuery == code {
            return Score(tier: Score.exactCode, nameMisses: 0, extraWords: 0, partialMiss: 0)
        }
        let inName = tokens.filter { nameTokens.contains($0) }.count
        let extra = max(0, significantNameWordCount - tokens.count)
        if paddedName.contains(phrase) {
            return Score(tier: Score.namePhrase, nameMisses: -inName, extraWords: extra, partialMiss: 0)
        }
        if tokens.allSatisfy({ allTokens.contains($0) }) {
            return Score(tier: Score.allWords, nameMisses: -inName, extraWords: extra, partialMiss: 0)
        }
        // Partial: a whole word counts 4, a word prefix 2 (in the name) or 1 (elsewhere).
        var weight = 0
        for token in tokens {
            if nameTokens.contains(token) || otherTokens.contains(token) {
                weight += 4
            } else if nameTokens.contains(where: { $0.hasPrefix(token) }) {
                weight += 2
            } else if otherTokens.contains(where: { $0.hasPrefix(token) }) {
                weight += 1
            }
        }
        guard weight > 0 else {
            return Score(tier: Score.noMatch, nameMisses: 0, extraWords: 0, partialMiss: 0)
        }
        return Score(tier: Score.partial, nameMisses: -inName, extraWords: extra, partialMiss: -weight)
    }
}
