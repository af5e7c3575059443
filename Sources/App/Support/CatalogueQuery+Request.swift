import Domain
import Vapor

extension CatalogueQuery {
    static let maximumTextLength = 200
    /// Bytes, as well as characters: one "character" may carry thousands of combining marks, which every
    /// comparison of it then reads.
    static let maximumTextBytes = 800
    static let maximumPage = 100_000

    /// The search a request asks for, or a `UserError` naming the first bad parameter. Empty parameters count as
    /// absent, as a plain HTML form sends them.
    init(request: Request) throws(UserError) {
        let query = request.url.query.map(Self.decodeQuery) ?? [:]
        func text(_ name: String) throws(UserError) -> String? {
            guard let value = query[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                return nil
            }
            guard value.utf8.count <= Self.maximumTextBytes, value.count <= Self.maximumTextLength else {
                throw UserError(.invalidParameter(name: name, problem: .tooLong(max: Self.maximumTextLength)))
            }
            return value
        }
        func number(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(UserError) -> Int {
            guard let value = try text(name) else { return fallback }
            guard let number = Int(value) else {
                throw UserError(.invalidParameter(name: name, problem: .notAWholeNumber))
            }
            guard range.contains(number) else {
                throw UserError(.invalidParameter(
                    name: name, problem: .outOfRange(min: range.lowerBound, max: range.upperBound)))
            }
            return number
        }
        func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _: Value.Type) throws(UserError) -> Value?
        where Value.RawValue == String {
            guard let value = try text(name) else { return nil }
            guard let parsed = Value(rawValue: value) else {
                throw UserError(.invalidParameter(name: name, problem: .notOneOf(Value.allCases.map(\.rawValue))))
            }
            return parsed
        }

        self.init(
            text: try text("q") ?? "",
            field: try text("field"),
            level: try choice("level", ImplementationLevel.self),
            agency: try text("agency"),
            channel: try choice("channel", SubmissionChannel.self),
            page: try number("page", default: 1, range: 1...Self.maximumPage),
            per: try number("per", default: 20, range: 1...CatalogueQuery.maximumPerPage))
    }

    /// Query items, percent-decoded, `+` read as a space (HTML forms), the last value of a repeated name winning.
    private static func decodeQuery(_ query: String) -> [String: String] {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first else { continue }
            let decode = { (raw: Substring) in
                String(raw).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(raw)
            }
            items[decode(rawName)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return items
    }
}
