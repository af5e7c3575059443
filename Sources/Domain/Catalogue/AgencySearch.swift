import Foundation

/// A unit of the agency tree as the search sees it.
public struct AgencyCandidate: Sendable, Equatable {
    public var code: String
    public var name: String
    /// Provinces before communes, departments, …: the lower, the earlier among equal matches.
    public var kindOrder: Int

    public init(code: String, name: String, kindOrder: Int) {
        self.code = code
        self.name = name
        self.kindOrder = kindOrder
    }
}

/// Finding a unit by what someone types: with or without diacritics, either tone placement ("Hòa"/"Hoà",
/// "Thủy"/"Thuỷ", which fold alike), any case, part of a word at the end. Ranked like the catalogue: the exact
/// code; the whole name typed; the query as a phrase in the name, shorter names first; every word at the start
/// of a name word. Ties go to names written as typed, fewer words, the kind order, the name, then the code.
public struct AgencySearch: Sendable {
    private struct Document: Sendable {
        var candidate: AgencyCandidate
        var foldedName: String
        var words: [String]
        /// The name's words with their letters' marks, the tone set apart (`Marked`).
        var marked: [Marked]
    }

    /// A word as typed with its marks, independent of where the tone mark was put: the letters with their
    /// non-tone marks (ă, â, ê, ô, ơ, ư, đ), and the tone, if any. "Hoà" and "Hòa" are the same; "Đình" and
    /// "Dinh" are not.
    struct Marked: Sendable, Equatable {
        var letters: String
        var tone: Unicode.Scalar?

        /// The five tone marks: grave, acute, tilde, hook above, dot below.
        static let tones: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]

        init(_ word: String) {
            var letters = String.UnicodeScalarView()
            var tone: Unicode.Scalar?
            for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
                if Self.tones.contains(scalar.value) { tone = scalar } else { letters.append(scalar) }
            }
            self.letters = String(letters).precomposedStringWithCanonicalMapping
            self.tone = tone
        }

        /// Whether `self`, typed, begins `word` with the same marks (the tone, when typed, must be the word's).
        func begins(_ word: Marked) -> Bool {
            word.letters.hasPrefix(letters) && (tone == nil ? word.tone == nil || letters != word.letters : tone == word.tone)
        }
    }

    private let documents: [Document]

    public init(_ candidates: [AgencyCandidate]) {
        documents = candidates.map { candidate in
            let words = VietnameseText.tokens(candidate.name)
            return Document(
                candidate: candidate, foldedName: words.joined(separator: " "), words: words,
                marked: Self.markedWords(candidate.name))
        }
    }

    /// The best `limit` matches of `text` among the units `include` accepts (by code).
    public func search(_ text: String, limit: Int, where include: (String) -> Bool = { _ in true }) -> [AgencyCandidate] {
        let words = VietnameseText.tokens(text)
        guard !words.isEmpty, limit > 0 else { return [] }
        let phrase = words.joined(separator: " ")
        let code = text.trimmingCharacters(in: .whitespaces).uppercased()
        let typed = Self.markedWords(text)
        var scored: [(tier: Int, exact: Int, length: Int, document: Document)] = []
        for document in documents where include(document.candidate.code) {
            let tier: Int
            if document.candidate.code.uppercased() == code {
                tier = 0
            } else if document.foldedName == phrase {
                tier = 1
            } else if (" " + document.foldedName + " ").contains(" " + phrase + " ") {
                tier = 2
            } else if words.allSatisfy({ word in document.words.contains { $0.hasPrefix(word) } }) {
                // The last word may be unfinished ("Ba Đì"), the others whole or begun.
                tier = 3
            } else {
                continue
            }
            // Among equal matches, the names written as typed first: "Ba Dinh" before "Ba Đình" for who typed
            // "Ba Dinh", the other way round for who typed "Ba Đình".
            let exact = typed.filter { word in document.marked.contains { word.begins($0) } }.count
            scored.append((tier, exact, document.words.count, document))
        }
        scored.sort { lhs, rhs in
            if lhs.tier != rhs.tier { return lhs.tier < rhs.tier }
            if lhs.exact != rhs.exact { return lhs.exact > rhs.exact }
            if lhs.length != rhs.length { return lhs.length < rhs.length }
            if lhs.document.candidate.kindOrder != rhs.document.candidate.kindOrder {
                return lhs.document.candidate.kindOrder < rhs.document.candidate.kindOrder
            }
            if lhs.document.candidate.name != rhs.document.candidate.name {
                return lhs.document.candidate.name < rhs.document.candidate.name
            }
            // Many units share a name ("Phường 1"): the code settles it, the same on every instance.
            return lhs.document.candidate.code < rhs.document.candidate.code
        }
        return scored.prefix(limit).map(\.document.candidate)
    }

    private static func markedWords(_ text: String) -> [Marked] {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { Marked(String($0)) }
    }
}
