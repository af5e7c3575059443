import Foundation

/// A body of the central government that issues procedure decisions: a ministry or ministry-level agency, or one
/// that no longer exists on its own (merged in 2025) or sits inside another (`partOf`), whose decisions now
/// belong to that one.
public struct IssuingBody: Codable, Sendable, Equatable {
    /// The abbreviation in decision numbers: `BTP` in `163/QĐ-BTP`.
    public var code: String
    public var name: String
    public var nameEn: String
    /// The ministry whose procedures this body's decisions are now: nil for a ministry itself.
    public var partOf: String?

    public init(code: String, name: String, nameEn: String, partOf: String? = nil) {
        self.code = code
        self.name = name
        self.nameEn = nameEn
        self.partOf = partOf
    }
}

/// Which ministry manages a procedure, read from the record itself (never from the name of the file it came in).
/// Built once per list of bodies: the codes and the folded names it matches against are prepared here, not per
/// record.
public struct ManagingMinistry: Sendable {
    public enum Resolution: Sendable, Equatable {
        /// The ministry (a body without `partOf`).
        case ministry(IssuingBody)
        /// The decision names a body that is in no list: `code` is what it says.
        case unknownBody(code: String)
        /// The record does not say (a province's decision, a number without an issuer).
        case unstated
    }

    /// Local authorities' abbreviations: their decisions publish a procedure locally, and say nothing of the
    /// ministry that manages it.
    static let localIssuers: Set<String> = ["UBND", "HĐND", "HDND", "CT", "SNV", "STP"]

    private let byCode: [String: IssuingBody]
    /// Every body's name folded and padded (" bo tu phap "), the longest first: "Bộ Nông nghiệp và Môi trường"
    /// before any shorter name inside it.
    private let names: [(folded: String, body: IssuingBody)]

    public init(bodies: [IssuingBody]) {
        byCode = Dictionary(bodies.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        names = bodies.sorted { $0.name.count > $1.name.count }.map { (Self.padded($0.name), $0) }
    }

    /// From the decision number's issuer (`…/QĐ-NHNN`, `3713/QD-BTP`, `QĐ2338-BTP`), followed through mergers;
    /// failing that, a ministry named in the implementing or competent agency ("Ủy ban Chứng khoán Nhà nước - Bộ
    /// Tài chính").
    public func resolve(decision: String, agencyTexts: [String]) -> Resolution {
        var unknown: String?
        // A decision amended by others names several: the last central issuer counts.
        for issuer in Self.issuers(ofDecision: decision).reversed() where !Self.localIssuers.contains(issuer) {
            if let body = ministry(code: issuer) { return .ministry(body) }
            unknown = unknown ?? issuer
        }
        for text in agencyTexts {
            let folded = Self.padded(text)
            // A merged ministry's old name counts for the one it is part of now.
            for (name, body) in names where folded.contains(name) {
                if let ministry = current(body) { return .ministry(ministry) }
            }
        }
        return unknown.map { .unknownBody(code: $0) } ?? .unstated
    }

    /// The ministry the body with `code` is now (itself, or the one it was merged into); nil for an unknown code.
    public func ministry(code: String) -> IssuingBody? {
        current(byCode[code])
    }

    /// `resolve` against `bodies`, for one record.
    public static func resolve(decision: String, agencyTexts: [String], bodies: [IssuingBody]) -> Resolution {
        ManagingMinistry(bodies: bodies).resolve(decision: decision, agencyTexts: agencyTexts)
    }

    /// The issuer's abbreviation after the last "QĐ"/"QD" of a decision number: the capital letters after its
    /// dash. Nil when there is none.
    public static func issuer(ofDecision decision: String) -> String? {
        issuers(ofDecision: decision).last
    }

    /// Every issuer a decision number names, in order: after each "QĐ"/"QD", the letters after the next dash
    /// (spaces around it allowed), `163/QĐ-BTP; 45/QĐ - UBND` → `BTP`, `UBND`.
    static func issuers(ofDecision decision: String) -> [String] {
        let upper = Array(decision.uppercased())
        var found: [String] = []
        var index = 0
        while index + 1 < upper.count {
            defer { index += 1 }
            guard upper[index] == "Q", upper[index + 1] == "Đ" || upper[index + 1] == "D" else { continue }
            var cursor = index + 2
            // Up to the dash: the number's own characters (`QĐ2338-`, `QĐ/0001-`), never a letter.
            while cursor < upper.count, upper[cursor] != "-", upper[cursor] != "–", !upper[cursor].isLetter { cursor += 1 }
            guard cursor < upper.count, upper[cursor] == "-" || upper[cursor] == "–" else { continue }
            cursor += 1
            while cursor < upper.count, upper[cursor] == " " { cursor += 1 }
            var code = ""
            while cursor < upper.count, upper[cursor].isLetter, upper[cursor].isUppercase {
                code.append(upper[cursor])
                cursor += 1
            }
            if code.count >= 2 { found.append(code) }
        }
        return found
    }

    private static func padded(_ text: String) -> String {
        " " + VietnameseText.tokens(text).joined(separator: " ") + " "
    }

    /// The body a merged or subordinate one now belongs to, through at most a few steps (the list could loop).
    private func current(_ body: IssuingBody?) -> IssuingBody? {
        var body = body
        for _ in 0..<4 {
            guard let parent = body?.partOf else { return body }
            body = byCode[parent]
        }
        return nil
    }
}
