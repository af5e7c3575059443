import Foundation

/// A date of the Vietnamese lunisolar calendar (âm lịch).
public struct LunarDate: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    /// The intercalary month (tháng nhuận) that repeats `month`.
    public var isLeapMonth: Bool

    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }

    public var description: String { "\(day)/\(month)\(isLeapMonth ? " nhuận" : "")/\(year) ÂL" }
}

/// The Vietnamese lunar calendar computed from astronomy, not from tables: a month starts on the day (in Vietnam
/// time, UTC+7) of a new moon; the month holding the winter solstice is the 11th; a year with 13 months repeats
/// the first month that contains no major solar term. Because Vietnam keeps UTC+7 and China UTC+8, a new moon
/// shortly before midnight can start a month a day earlier here (Tết 1968, 1985, 2007, 2030).
///
/// New moons follow Meeus, *Astronomical Algorithms* (truncated series, error well under a minute over
/// 1900–2199); the Sun's apparent longitude the low-precision formula of the same book.
public enum VietnameseLunarCalendar {
    /// The years the engine answers for.
    public static let supportedYears = 1900...2199
    /// Vietnam's offset from UTC in days.
    static let timeZone = 7.0 / 24.0

    // MARK: Conversions

    /// The lunar date of a civil date, or nil outside the supported years.
    public static func lunar(_ date: CivilDate) -> LunarDate? {
        guard supportedYears.contains(date.year) else { return nil }
        let dayNumber = date.julianDay
        // The mean month gives the new moon's number to within one; true new moons wander about half a day.
        var k = Int(((Double(dayNumber) - 2415021.076998695) / synodicMonth).rounded(.down)) + 1
        while newMoonDay(k) > dayNumber { k -= 1 }
        let monthStart = newMoonDay(k)
        var a11 = month11(date.year)
        var b11 = a11
        var lunarYear: Int
        if a11 >= monthStart {
            lunarYear = date.year
            a11 = month11(date.year - 1)
        } else {
            lunarYear = date.year + 1
            b11 = month11(date.year + 1)
        }
        let day = dayNumber - monthStart + 1
        let diff = Int((Double(monthStart - a11) / 29).rounded(.down))
        var isLeap = false
        var month = diff + 11
        if b11 - a11 > 365 {
            let leapDiff = leapMonthOffset(a11)
            if diff >= leapDiff {
                month = diff + 10
                if diff == leapDiff { isLeap = true }
            }
        }
        if month > 12 { month -= 12 }
        if month >= 11, diff < 4 { lunarYear -= 1 }
        return LunarDate(year: lunarYear, month: month, day: day, isLeapMonth: isLeap)
    }

    /// The civil date of a lunar date; nil when it does not exist (a leap month the year lacks, day 30 of a
    /// 29-day month) or lies outside the supported years.
    public static func civil(_ date: LunarDate) -> CivilDate? {
        guard supportedYears.contains(date.year), (1...12).contains(date.month), (1...30).contains(date.day) else {
            return nil
        }
        var a11: Int
        var b11: Int
        if date.month < 11 {
            a11 = month11(date.year - 1)
            b11 = month11(date.year)
        } else {
            a11 = month11(date.year)
            b11 = month11(date.year + 1)
        }
        let k = Int((0.5 + (Double(a11) - 2415021.076998695) / synodicMonth).rounded(.down))
        var offset = date.month - 11
        if offset < 0 { offset += 12 }
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(a11)
            var leapMonth = leapOffset - 2
            if leapMonth <= 0 { leapMonth += 12 }
            if date.isLeapMonth, date.month != leapMonth { return nil }
            if date.isLeapMonth || offset >= leapOffset { offset += 1 }
        } else if date.isLeapMonth {
            return nil
        }
        let monthStart = newMoonDay(k + offset)
        let nextMonthStart = newMoonDay(k + offset + 1)
        guard date.day <= nextMonthStart - monthStart else { return nil }
        return CivilDate(julianDay: monthStart + date.day - 1)
    }

    /// Tết Nguyên Đán: the first day of the lunar year `year`.
    public static func newYear(_ year: Int) -> CivilDate? {
        civil(LunarDate(year: year, month: 1, day: 1))
    }

    /// The leap month of lunar year `year` (the month number it repeats), if the year has one.
    public static func leapMonth(ofYear year: Int) -> Int? {
        guard supportedYears.contains(year) else { return nil }
        // Months 1–10 of `year` lie in the cycle that starts at the 11th month of `year - 1`; its own 11th and
        // 12th months in the next cycle.
        if let month = leapMonthInCycle(startingIn: year - 1), month <= 10 { return month }
        if let month = leapMonthInCycle(startingIn: year), month >= 11 { return month }
        return nil
    }

    private static func leapMonthInCycle(startingIn year: Int) -> Int? {
        let a11 = month11(year)
        guard month11(year + 1) - a11 > 365 else { return nil }
        let month = leapMonthOffset(a11) - 2
        return month <= 0 ? month + 12 : month
    }

    // MARK: Astronomy

    static let synodicMonth = 29.530588853

    /// Julian day (UT, fractional) of the `k`-th new moon after the one of 1 January 1900.
    static func newMoon(_ k: Int) -> Double {
        let k = Double(k)
        let t = k / 1236.85
        let t2 = t * t
        let t3 = t2 * t
        let dr = Double.pi / 180
        var jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  // the Sun's mean anomaly
        let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  // the Moon's
        let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  // the Moon's argument of latitude
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 = c1 - 0.0004 * sin(dr * 3 * mpr)
        c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        // Terrestrial minus universal time (days).
        let deltaT =
            t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2
        return jd1 + c1 - deltaT
    }

    /// The Sun's apparent longitude (radians, 0 ..< 2π) at Julian day `jd` (UT).
    static func sunLongitude(_ jd: Double) -> Double {
        let t = (jd - 2451545.0) / 36525
        let t2 = t * t
        let dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        var l = (l0 + dl) * dr
        l -= Double.pi * 2 * (l / (Double.pi * 2)).rounded(.down)
        return l
    }

    /// The civil day (Julian day number, Vietnam time) of the `k`-th new moon.
    static func newMoonDay(_ k: Int) -> Int {
        Int((newMoon(k) + 0.5 + timeZone).rounded(.down))
    }

    /// Which twelfth of the ecliptic (0 …< 12, from the vernal equinox) the Sun is in at the start of the civil
    /// day `dayNumber` in Vietnam; the 12 major solar terms (trung khí) fall on the boundaries.
    static func sunSector(_ dayNumber: Int) -> Int {
        Int((sunLongitude(Double(dayNumber) - 0.5 - timeZone) / Double.pi * 6).rounded(.down))
    }

    /// The first day of the 11th lunar month of the lunar year ending in civil year `year`: the month that holds
    /// the winter solstice.
    static func month11(_ year: Int) -> Int {
        guard let december31 = CivilDate(year: year, month: 12, day: 31) else { return 0 }
        let offset = Double(december31.julianDay) - 2415021
        let k = Int((offset / synodicMonth).rounded(.down))
        let start = newMoonDay(k)
        // Past the winter solstice's sector (270°) already: the 11th month began one moon earlier.
        return sunSector(start) >= 9 ? newMoonDay(k - 1) : start
    }

    /// Between two 11th months 13 moons apart: how many months after `a11` the leap month comes — the first
    /// month during which the Sun enters no new sector (no major term).
    static func leapMonthOffset(_ a11: Int) -> Int {
        let k = Int(((Double(a11) - 2415021.076998695) / synodicMonth + 0.5).rounded(.down))
        var index = 1
        var sector = sunSector(newMoonDay(k + index))
        var last = 0
        repeat {
            last = sector
            index += 1
            sector = sunSector(newMoonDay(k + index))
        } while sector != last && index < 14
        return index - 1
    }
}
