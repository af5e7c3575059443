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
public enum ManagingMinistry {
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

    /// From the decision number's issuer (`…/QĐ-NHNN`, `3713/QD-BTP`, `QĐ2338-BTP`), followed through mergers;
    /// failing that, a ministry named in the implementing or competent agency ("Ủy ban Chứng khoán Nhà nước - Bộ
    /// Tài chính").
    public static func resolve(
        decision: String, agencyTexts: [String], bodies: [IssuingBody]
    ) -> Resolution {
        let byCode = Dictionary(bodies.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var unknown: String?
        if let issuer = issuer(ofDecision: decision), !localIssuers.contains(issuer) {
            if let body = current(byCode[issuer], in: byCode) { return .ministry(body) }
            unknown = issuer
        }
        let ministries = bodies.filter { $0.partOf == nil }
        for text in agencyTexts {
            let folded = " " + VietnameseText.tokens(text).joined(separator: " ") + " "
            // The longest name first: "Bộ Nông nghiệp và Môi trường" before any shorter name inside it.
            for ministry in ministries.sorted(by: { $0.name.count > $1.name.count }) {
                let name = " " + VietnameseText.tokens(ministry.name).joined(separator: " ") + " "
                if folded.contains(name) { return .ministry(ministry) }
            }
        }
        return unknown.map { .unknownBody(code: $0) } ?? .unstated
    }

    /// The issuer's abbreviation after the last "QĐ"/"QD" of a decision number: the capital letters after its
    /// dash. Nil when there is none.
    public static func issuer(ofDecision decision: String) -> String? {
        let upper = decision.uppercased()
        guard let mark = [upper.range(of: "QĐ", options: .backwards), upper.range(of: "QD", options: .backwards)]
            .compactMap({ $0 }).max(by: { $0.lowerBound < $1.lowerBound })
        else { return nil }
        let rest = upper[mark.upperBound...]
        guard let dash = rest.firstIndex(where: { $0 == "-" || $0 == "–" }) else { return nil }
        let code = rest[rest.index(after: dash)...].prefix { $0.isLetter && $0.isUppercase }
        return code.count >= 2 ? String(code) : nil
    }

    /// The body a merged or subordinate one now belongs to, through at most a few steps (the list could loop).
    private static func current(_ body: IssuingBody?, in byCode: [String: IssuingBody]) -> IssuingBody? {
        var body = body
        for _ in 0..<4 {
            guard let parent = body?.partOf else { return body }
            body = byCode[parent]
        }
        return nil
    }
}
