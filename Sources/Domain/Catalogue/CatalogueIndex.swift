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
    /// Where each item stands in the index's `entries`, for callers that keep data per entry.
    public var positions: [Int]
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
///
/// Words are numbered once, in sorted order, so a search compares integers: a word prefix is a contiguous range
/// of numbers, and every document keeps its words as sorted number arrays.
public final class CatalogueIndex: Sendable {
    public let entries: [CatalogueEntry]
    private let documents: [IndexedDocument]
    /// Every folded word, sorted; a word's number is its position here.
    private let vocabulary: [String]
    private let wordNumbers: [String: Int32]
    /// Word number → ids of the documents holding it, ascending.
    private let postings: [[Int32]]
    /// Document ids in browsing order (by code).
    private let browseOrder: [Int]
    /// Document id → its position in browsing order, the final tie-breaker.
    private let codeRank: [Int]
    /// Distinct fields with the number of procedures in each, by folded name.
    public let fields: [(name: String, count: Int)]
    /// Managing agencies with the number of procedures each manages, by code.
    public let agencies: [(code: String, name: String, count: Int)]

    public init(entries: [CatalogueEntry]) {
        self.entries = entries
        let folded = entries.map(FoldedEntry.init)
        var words = Set<String>()
        for entry in folded {
            words.formUnion(entry.nameWords)
            words.formUnion(entry.otherWords)
        }
        let vocabulary = words.sorted()
        var numbers: [String: Int32] = [:]
        numbers.reserveCapacity(vocabulary.count)
        for (number, word) in vocabulary.enumerated() { numbers[word] = Int32(number) }
        var postings = [[Int32]](repeating: [], count: vocabulary.count)
        var documents: [IndexedDocument] = []
        documents.reserveCapacity(entries.count)
        for (id, entry) in folded.enumerated() {
            let document = IndexedDocument(entry, numbers: numbers)
            for number in document.allWords { postings[Int(number)].append(Int32(id)) }
            documents.append(document)
        }
        self.documents = documents
        self.vocabulary = vocabulary
        self.wordNumbers = numbers
        self.postings = postings
        let browseOrder = entries.indices.sorted { Self.codeOrder(entries[$0].code, entries[$1].code) }
        var codeRank = [Int](repeating: 0, count: entries.count)
        for (rank, id) in browseOrder.enumerated() { codeRank[id] = rank }
        self.browseOrder = browseOrder
        self.codeRank = codeRank
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
        // A page past the end is empty; comparing pages first keeps `(page - 1) * per` from overflowing.
        let start = page > ranked.count ? ranked.count : min((page - 1) * per, ranked.count)
        let end = min(start + per, ranked.count)
        let positions = Array(ranked[start..<end])
        return CataloguePage(
            items: positions.map { entries[$0] }, positions: positions, page: page, per: per, total: ranked.count)
    }

    // MARK: - Ranking

    private func rank(_ query: CatalogueQuery) -> [Int] {
        let foldedQuery = VietnameseText.folded(query.text).trimmingCharacters(in: .whitespacesAndNewlines)
        let words = Self.unique(VietnameseText.tokenize(folded: foldedQuery)).map(resolve)
        guard !words.isEmpty else {
            return browseOrder.filter { matchesFilters(documents[$0], query) }
        }
        var scored: [(id: Int, score: Score)] = []
        // Documents holding every word exactly; partial matches only when there are none.
        for id in documentsWithEveryWord(words) where matchesFilters(documents[id], query) {
            scored.append((id, documents[id].fullScore(words, rawQuery: foldedQuery)))
        }
        if scored.isEmpty {
            for id in documentsWithSomeWord(words) where matchesFilters(documents[id], query) {
                if let score = documents[id].partialScore(words) { scored.append((id, score)) }
            }
        }
        scored.sort { lhs, rhs in
            lhs.score != rhs.score ? lhs.score < rhs.score : codeRank[lhs.id] < codeRank[rhs.id]
        }
        return scored.map(\.id)
    }

    /// A query word as numbers: its own (if any document has it) and the range of the words it begins.
    private func resolve(_ word: String) -> QueryWord {
        let low = vocabulary.sortedLowerBound(of: word)
        var high = low
        while high < vocabulary.count, vocabulary[high].hasPrefix(word) { high += 1 }
        return QueryWord(exact: wordNumbers[word], prefixes: Int32(low)..<Int32(high))
    }

    private func documentsWithEveryWord(_ words: [QueryWord]) -> [Int] {
        var lists: [[Int32]] = []
        for word in words {
            guard let exact = word.exact else { return [] }
            lists.append(postings[Int(exact)])
        }
        lists.sort { $0.count < $1.count }
        guard var result = lists.first else { return [] }
        for list in lists.dropFirst() where !result.isEmpty {
            result = Self.intersect(result, list)
        }
        return result.map(Int.init)
    }

    private func documentsWithSomeWord(_ words: [QueryWord]) -> [Int] {
        var marked = [Bool](repeating: false, count: documents.count)
        for word in words {
            for number in word.prefixes {
                for id in postings[Int(number)] { marked[Int(id)] = true }
            }
        }
        return marked.indices.filter { marked[$0] }
    }

    private static func intersect(_ lhs: [Int32], _ rhs: [Int32]) -> [Int32] {
        var result: [Int32] = []
        var left = 0
        var right = 0
        while left < lhs.count, right < rhs.count {
            if lhs[left] == rhs[right] {
                result.append(lhs[left])
                left += 1
                right += 1
            } else if lhs[left] < rhs[right] {
                left += 1
            } else {
                right += 1
            }
        }
        return result
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

    var tier: Int
    /// Negated matched weight for partial matches, in quarters: more is better.
    var partialMiss: Int = 0
    /// Negated count of query words found in the name: more is better.
    var nameMisses: Int
    /// Name words beyond the query's: fewer is better.
    var extraWords: Int

    static func < (lhs: Score, rhs: Score) -> Bool {
        (lhs.tier, lhs.partialMiss, lhs.nameMisses, lhs.extraWords)
            < (rhs.tier, rhs.partialMiss, rhs.nameMisses, rhs.extraWords)
    }
}

/// A word of the query: its number when some document has it, and the numbers of the words it is a prefix of
/// (itself included).
private struct QueryWord {
    var exact: Int32?
    var prefixes: Range<Int32>
}

/// An entry's folded words, before numbering.
private struct FoldedEntry {
    let entry: CatalogueEntry
    let code: String
    let nameWords: [String]
    let otherWords: [String]

    init(_ entry: CatalogueEntry) {
        self.entry = entry
        self.code = VietnameseText.folded(entry.code)
        self.nameWords = VietnameseText.tokens(entry.name)
        self.otherWords = VietnameseText.tokens(entry.field) + VietnameseText.tokens(entry.managingAgencyName)
            + [code, VietnameseText.folded(entry.managingAgencyCode)]
    }
}

/// A catalogue entry with its words as numbers, computed once when the index is built.
private struct IndexedDocument: Sendable {
    let entry: CatalogueEntry
    let code: String
    /// The name's words in order, for phrase search.
    let nameSequence: [Int32]
    /// Sorted, without repeats.
    let nameWords: [Int32]
    let otherWords: [Int32]
    let allWords: [Int32]
    /// Name words that count towards length: a leading "Thủ tục" ("procedure") says nothing.
    let significantNameWordCount: Int
    let channels: Set<SubmissionChannel>

    init(_ folded: FoldedEntry, numbers: [String: Int32]) {
        entry = folded.entry
        code = folded.code
        nameSequence = folded.nameWords.compactMap { numbers[$0] }
        nameWords = Array(Set(nameSequence)).sorted()
        otherWords = Array(Set(folded.otherWords.compactMap { numbers[$0] })).sorted()
        allWords = Array(Set(nameWords + otherWords)).sorted()
        let leadingNoise = folded.nameWords.starts(with: ["thu", "tuc"]) ? 2 : 0
        significantNameWordCount = folded.nameWords.count - leadingNoise
        channels = folded.entry.offeredChannels
    }

    /// The score of a document known to hold every query word.
    func fullScore(_ words: [QueryWord], rawQuery: String) -> Score {
        if rawQuery == code { return Score(tier: Score.exactCode, nameMisses: 0, extraWords: 0) }
        let exact = words.compactMap(\.exact)
        let inName = exact.filter { Self.contains(nameWords, $0) }.count
        let extra = max(0, significantNameWordCount - words.count)
        let tier = hasPhrase(exact) ? Score.namePhrase : Score.allWords
        return Score(tier: tier, nameMisses: -inName, extraWords: extra)
    }

    /// The score of a partial match: a whole word counts 4, a word prefix 2 (in the name) or 1 (elsewhere); nil
    /// when nothing matches.
    func partialScore(_ words: [QueryWord]) -> Score? {
        var weight = 0
        var inName = 0
        for word in words {
            if let exact = word.exact, Self.contains(allWords, exact) {
                weight += 4
                if Self.contains(nameWords, exact) { inName += 1 }
            } else if Self.containsAny(nameWords, in: word.prefixes) {
                weight += 2
            } else if Self.containsAny(otherWords, in: word.prefixes) {
                weight += 1
            }
        }
        guard weight > 0 else { return nil }
        let extra = max(0, significantNameWordCount - words.count)
        return Score(tier: Score.partial, partialMiss: -weight, nameMisses: -inName, extraWords: extra)
    }

    /// Whether the name holds `phrase` as consecutive words.
    private func hasPhrase(_ phrase: [Int32]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= nameSequence.count else { return false }
        return (0...(nameSequence.count - phrase.count)).contains { start in
            nameSequence[start..<(start + phrase.count)].elementsEqual(phrase)
        }
    }

    private static func contains(_ sorted: [Int32], _ value: Int32) -> Bool {
        let index = sorted.sortedLowerBound(of: value)
        return index < sorted.count && sorted[index] == value
    }

    private static func containsAny(_ sorted: [Int32], in range: Range<Int32>) -> Bool {
        let index = sorted.sortedLowerBound(of: range.lowerBound)
        return index < sorted.count && sorted[index] < range.upperBound
    }

}

extension Array where Element: Comparable {
    /// In an ascending array, the index of the first element not less than `value` (`count` when there is none).
    fileprivate func sortedLowerBound(of value: Element) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
