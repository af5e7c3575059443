/// A date of the Gregorian calendar, without a time or a time zone: a day as people in Vietnam name it.
/// Stored as its Julian day number, so comparing, adding days and finding the weekday are integer arithmetic.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since noon UT on 1 January 4713 BC (Julian calendar), the astronomers' count.
    public let julianDay: Int

    /// Julian days this type represents (about ±2.7 million years): the arithmetic below cannot overflow inside
    /// it, and a day outside it is taken as its nearest end rather than trapping.
    public static let supportedJulianDays = -1_000_000_000...1_000_000_000

    public init(julianDay: Int) {
        self.julianDay = min(max(julianDay, Self.supportedJulianDays.lowerBound), Self.supportedJulianDays.upperBound)
    }

    /// Nil when the day does not exist (31 April, 29 February of a common year, month 13) or lies outside the
    /// supported range.
    public init?(year: Int, month: Int, day: Int) {
        guard (-2_000_000...2_000_000).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysIn(month: month, year: year)
        else { return nil }
        julianDay = Self.julianDay(year: year, month: month, day: day)
    }

    /// For dates written in the code, known to exist.
    init(known year: Int, _ month: Int, _ day: Int) {
        julianDay = Self.julianDay(year: year, month: month, day: day)
    }

    /// Fliegel & Van Flandern (1968): the integer form of the Gregorian calendar.
    private static func julianDay(year: Int, month: Int, day: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    public var components: (year: Int, month: Int, day: Int) {
        let a = julianDay + 32044
        let b = (4 * a + 3) / 146097
        let c = a - b * 146097 / 4
        let d = (4 * c + 3) / 1461
        let e = c - 1461 * d / 4
        let m = (5 * e + 2) / 153
        let day = e - (153 * m + 2) / 5 + 1
        let month = m + 3 - 12 * (m / 10)
        let year = b * 100 + d - 4800 + m / 10
        return (year, month, day)
    }

    public var year: Int { components.year }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var weekday: Int { julianDay % 7 + 1 }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> CivilDate {
        let (sum, overflow) = julianDay.addingReportingOverflow(days)
        return CivilDate(julianDay: overflow ? (days > 0 ? Int.max : Int.min) : sum)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.julianDay < rhs.julianDay }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// Reads `YYYY-MM-DD`; nil for anything else or a day that does not exist.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
