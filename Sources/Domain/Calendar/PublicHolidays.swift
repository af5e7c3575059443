/// A day off in the public calendar, and why.
public struct Holiday: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Named by the Labor Code (art. 112).
        case statutory
        /// A statutory holiday fell on a Saturday or Sunday: the next working day is off instead.
        case compensation
        /// Decided for this year (by the Prime Minister, usually a day between a holiday and a weekend).
        case adjustment
    }

    public var date: CivilDate
    /// A stable key: `new_year`, `tet`, `hung_kings`, `reunification`, `labour`, `national`, or the adjustment's.
    public var name: String
    public var kind: Kind

    public init(date: CivilDate, name: String, kind: Kind) {
        self.date = date
        self.name = name
        self.kind = kind
    }
}

/// A change to one year's calendar that an administrator records, with its legal basis: an extra day off, or a
/// Saturday or Sunday worked in exchange.
public struct CalendarAdjustment: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case dayOff
        case workingDay
    }

    public var date: CivilDate
    public var kind: Kind
    /// The document that decides it, e.g. "Thông báo 6150/TB-LĐTBXH ngày 12/11/2024".
    public var reference: String

    public init(date: CivilDate, kind: Kind, reference: String) {
        self.date = date
        self.kind = kind
        self.reference = reference
    }

    /// The one example DESIGN.md §4 names: in 2025 Friday 2 May was off, for Saturday 26 April worked.
    public static let example2025: [CalendarAdjustment] = [
        CalendarAdjustment(
            date: CivilDate(known: 2025, 5, 2), kind: .dayOff,
            reference: "Thông báo 6150/TB-LĐTBXH ngày 12/11/2024 của Bộ Lao động - Thương binh và Xã hội"),
        CalendarAdjustment(
            date: CivilDate(known: 2025, 4, 26), kind: .workingDay,
            reference: "Thông báo 6150/TB-LĐTBXH ngày 12/11/2024 của Bộ Lao động - Thương binh và Xã hội"),
    ]
}

/// Why an adjustment cannot be applied. Each names the date it concerns.
public enum CalendarAdjustmentProblem: Error, Equatable, Sendable {
    /// The same day is listed both as a day off and as a working day.
    case bothOffAndWorking(CivilDate)
    /// A day off on a day that is already off.
    case alreadyOff(CivilDate)
    /// A working day on a day that is already worked.
    case alreadyWorking(CivilDate)
    /// A holiday the law fixes (1/1, the first day of Tết, Hùng Kings' day, 30/4, 1/5, 2/9) cannot be worked.
    case statutoryHoliday(CivilDate)
    /// Outside the year being adjusted.
    case outsideYear(CivilDate)
    /// The lunar calendar is computed for 1900–2199 only.
    case unsupportedYear(Int)
}

/// One year of the public calendar: the statutory holidays (Labor Code 2019, art. 112), compensation days, and
/// the year's recorded adjustments. Working days are Monday to Friday except days off, plus the extra working days.
public struct YearCalendar: Sendable {
    public let year: Int
    public let lunarNewYear: CivilDate
    public let hungKings: CivilDate
    /// Every day off that is not a plain Saturday or Sunday, in date order.
    public let holidays: [Holiday]
    /// Days worked that would otherwise be off (a weekend day, or a movable holiday the year's decision moved), in
    /// date order.
    public let extraWorkingDays: [CivilDate]
    /// One bit per day of the year (bit n: day n after 1 January): set when the day is worked.
    private let workingBits: [UInt64]
    private let firstDay: Int

    public init(year: Int, adjustments: [CalendarAdjustment] = []) throws(CalendarAdjustmentProblem) {
        guard VietnameseLunarCalendar.supportedYears.contains(year),
            let tet = VietnameseLunarCalendar.newYear(year),
            let hung = VietnameseLunarCalendar.civil(LunarDate(year: year, month: 3, day: 10)),
            let january1 = CivilDate(year: year, month: 1, day: 1),
            let december31 = CivilDate(year: year, month: 12, day: 31)
        else { throw .unsupportedYear(year) }
        self.year = year
        lunarNewYear = tet
        hungKings = hung
        firstDay = january1.julianDay

        // Statutory days. Tết is the last day of the old lunar year and the first four of the new: five days.
        // Fixed by the law itself: 1/1, the first day of Tết, Hùng Kings' day, 30/4, 1/5, 2/9. The other Tết days,
        // the day beside 2/9 and compensation days are the year's decision: an adjustment may move them.
        var statutory: [Holiday] = []
        var fixed: Set<CivilDate> = []
        func add(_ date: CivilDate?, _ name: String, fixedByLaw: Bool) {
            guard let date, date.year == year else { return }
            statutory.append(Holiday(date: date, name: name, kind: .statutory))
            if fixedByLaw { fixed.insert(date) }
        }
        add(january1, "new_year", fixedByLaw: true)
        // The last day of lunar year `year` falls in January or February of `year + 1`: next year's calendar.
        for offset in -1...3 { add(tet.adding(days: offset), "tet", fixedByLaw: offset == 0) }
        add(hung, "hung_kings", fixedByLaw: true)
        add(CivilDate(year: year, month: 4, day: 30), "reunification", fixedByLaw: true)
        add(CivilDate(year: year, month: 5, day: 1), "labour", fixedByLaw: true)
        // 2 September and one adjacent day: 1 September unless the year's decision moves it.
        add(CivilDate(year: year, month: 9, day: 1), "national", fixedByLaw: false)
        add(CivilDate(year: year, month: 9, day: 2), "national", fixedByLaw: true)
        statutory.sort { $0.date < $1.date }
        let statutoryDays = Set(statutory.map(\.date))

        var extraOff: Set<CivilDate> = []
        var extraWorking: Set<CivilDate> = []
        for adjustment in adjustments {
            guard adjustment.date.year == year else { throw .outsideYear(adjustment.date) }
            switch adjustment.kind {
            case .dayOff: extraOff.insert(adjustment.date)
            case .workingDay: extraWorking.insert(adjustment.date)
            }
        }
        if let both = extraOff.intersection(extraWorking).min() { throw .bothOffAndWorking(both) }

        // Compensation (art. 112.3): each statutory day on a weekend moves to the next day that is neither a weekend
        // nor a holiday nor already a compensation day. Computed before the adjustments, which may then move it.
        var taken = statutoryDays
        var compensation: [Holiday] = []
        for holiday in statutory where holiday.date.isWeekend {
            var candidate = holiday.date.adding(days: 1)
            while candidate.isWeekend || taken.contains(candidate) { candidate = candidate.adding(days: 1) }
            taken.insert(candidate)
            compensation.append(Holiday(date: candidate, name: holiday.name, kind: .compensation))
        }
        let computedOff = statutoryDays.union(compensation.map(\.date))

        // Adjustments, checked against the computed calendar: a working day cancels a weekend or a movable day off,
        // never a day the law fixes; a day off adds a day that would be worked.
        if let worked = extraWorking.intersection(fixed).min() { throw .statutoryHoliday(worked) }
        if let worked = extraWorking.filter({ !$0.isWeekend && !computedOff.contains($0) }).min() {
            throw .alreadyWorking(worked)
        }
        if let off = extraOff.filter({ $0.isWeekend || computedOff.contains($0) }).min() { throw .alreadyOff(off) }

        let adjusted = extraOff.map { Holiday(date: $0, name: "adjustment", kind: .adjustment) }
        holidays = (statutory + compensation + adjusted).filter { !extraWorking.contains($0.date) }
            .sorted { $0.date < $1.date }
        extraWorkingDays = extraWorking.sorted()

        let days = december31.julianDay - january1.julianDay + 1
        var bits = [UInt64](repeating: 0, count: (days + 63) / 64)
        let off = Set(holidays.map(\.date))
        for index in 0..<days {
            let date = CivilDate(julianDay: january1.julianDay + index)
            if (!date.isWeekend || extraWorking.contains(date)) && !off.contains(date) {
                bits[index >> 6] |= 1 << UInt64(index & 63)
            }
        }
        workingBits = bits
    }

    /// Whether `date` (in this year) is a working day; false outside the year.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        let index = date.julianDay - firstDay
        guard index >= 0, index >> 6 < workingBits.count else { return false }
        return workingBits[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Working days in the year.
    public var workingDayCount: Int { workingBits.reduce(0) { $0 + $1.nonzeroBitCount } }
}
