/// A tax code (mã số thuế, MST): 10 digits whose last is a check digit, or 13 for a dependent unit (the parent's
/// 10 digits, a dash and a 3-digit branch number 001–999).
public struct TaxCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    public enum Problem: Error, Sendable, Equatable {
        /// Not 10 digits, or 10 digits, a dash and 3 digits.
        case malformed
        /// The tenth digit is not the check digit of the first nine.
        case wrongCheckDigit
        /// The branch suffix is 000.
        case invalidBranch
    }

    private static let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

    public init(_ raw: String) throws(Problem) {
        let text = raw.filter { !$0.isWhitespace }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts[0].count == 10, parts.count == 1 || parts[1].count == 3
        else { throw .malformed }
        let digits = parts[0].compactMap(\.wholeNumberValue)
        // N10 = 10 − (Σ Ni·Wi mod 11); a result of 10 means no valid code has these nine digits.
        let sum = zip(digits.prefix(9), Self.weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 10 - sum % 11
        guard check < 10, digits[9] == check else { throw .wrongCheckDigit }
        if parts.count == 2, parts[1] == "000" { throw .invalidBranch }
        self.value = text
    }

    public var description: String { value }

    /// Whether this is a dependent unit's code (with a branch suffix).
    public var isBranch: Bool { value.contains("-") }
}
