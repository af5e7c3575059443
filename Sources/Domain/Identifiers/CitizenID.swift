import Foundation

/// A personal identification number (số định danh cá nhân, printed on the CCCD card): 12 digits, no check digit.
///
/// Layout (Decree 137/2015/NĐ-CP, Circular 07/2016/TT-BCA): a 3-digit code of the province where the birth was
/// registered, one digit for century and sex, the last two digits of the birth year, then six random digits.
/// Made only through the validating initializer (no `Codable`: a decoded "1" would be read digit by digit).
public struct CitizenID: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public enum Sex: Sendable, Equatable {
        case male
        case female
    }

    public enum Problem: Error, Sendable, Equatable {
        /// Not exactly 12 digits.
        case notTwelveDigits
        /// The first three digits are no province code.
        case unknownProvince(String)
        /// The century digit and the two year digits do not give the birth year stated.
        case birthYearMismatch(expected: Int, encoded: Int)
    }

    /// Validates the number's shape and, when given, its consistency with the date of birth.
    public init(_ raw: String, bornOn birthDate: DateComponents? = nil) throws(Problem) {
        let digits = raw.filter { !$0.isWhitespace }
        guard digits.count == 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notTwelveDigits }
        let province = String(digits.prefix(3))
        guard Self.provinceCodes.contains(province) else { throw .unknownProvince(province) }
        self.value = digits
        if let year = birthDate?.year, year != birthYear {
            throw .birthYearMismatch(expected: year, encoded: birthYear)
        }
    }

    public var description: String { value }

    /// The code of the province where the birth was registered.
    public var provinceCode: String { String(value.prefix(3)) }

    private var digits: [Int] { value.compactMap(\.wholeNumberValue) }

    /// 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, 6/7 → 2200s, 8/9 → 2300s; even digits are men, odd women.
    public var sex: Sex { digits[3] % 2 == 0 ? .male : .female }

    public var birthYear: Int { 1900 + (digits[3] / 2) * 100 + digits[4] * 10 + digits[5] }

    /// The number with all but the last three digits hidden, for screens whose reader does not need it whole.
    public var masked: String { String(repeating: "•", count: 9) + value.suffix(3) }

    /// The 63 province codes of Circular 07/2016/TT-BCA (the provinces before the 2025 merger: numbers already
    /// issued keep them).
    static let provinceCodes: Set<String> = [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024",
        "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045",
        "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070",
        "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
        "094", "095", "096",
    ]
}
