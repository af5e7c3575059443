import Foundation

/// An agency's office hours: the working periods of a working day, in minutes after midnight (Vietnam time).
/// The default, 8:00–12:00 and 13:00–17:00, makes a working day of 8 working hours.
public struct OfficeHours: Hashable, Sendable {
    public let periods: [Range<Int>]
    public let minutesPerDay: Int

    public static let standard = OfficeHours(checked: [480..<720, 780..<1020])

    /// Nil unless the periods are non-empty, in order, apart, and within the day.
    public init?(periods: [Range<Int>]) {
        guard !periods.isEmpty, periods.allSatisfy({ !$0.isEmpty && $0.lowerBound >= 0 && $0.upperBound <= 1440 }),
            zip(periods, periods.dropFirst()).allSatisfy({ $0.upperBound < $1.lowerBound })
        else { return nil }
        self.init(checked: periods)
    }

    private init(checked periods: [Range<Int>]) {
        self.periods = periods
        minutesPerDay = periods.reduce(0) { $0 + $1.count }
    }

    /// Reads `08:00-12:00,13:00-17:00`: periods of `HH:MM-HH:MM`, comma-separated, in order.
    public init?(text: some StringProtocol) {
        var periods: [Range<Int>] = []
        for part in text.split(separator: ",") {
            let ends = part.trimmingCharacters(in: .whitespaces).split(separator: "-")
            guard ends.count == 2, let start = Self.minute(ends[0]), let end = Self.minute(ends[1]), start < end else {
                return nil
            }
            periods.append(start..<end)
        }
        self.init(periods: periods)
    }

    /// `08:00-12:00,13:00-17:00`.
    public var text: String {
        periods.map { "\(Self.clock($0.lowerBound))-\(Self.clock($0.upperBound))" }.joined(separator: ",")
    }

    private static func minute(_ text: some StringProtocol) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0...59).contains(minute), hour * 60 + minute <= 1440
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minute: Int) -> String {
        let hour = minute / 60
        let rest = minute % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    /// Working minutes of a working day done by `minute` after midnight.
    func worked(by minute: Int) -> Int {
        var total = 0
        for period in periods {
            if minute <= period.lowerBound { break }
            total += min(minute, period.upperBound) - period.lowerBound
        }
        return total
    }

    /// The minute after midnight at which `worked` working minutes (1 ... minutesPerDay) are done.
    func minute(whenWorked worked: Int) -> Int {
        var left = worked
        for period in periods {
            if left <= period.count { return period.lowerBound + left }
            left -= period.count
        }
        return periods[periods.count - 1].upperBound
    }

    /// The end of the day's last period.
    var closing: Int { periods[periods.count - 1].upperBound }
}

/// A moment in Vietnam local time, as whole minutes since 1970-01-01 00:00 (UTC+7): deadlines are minute-exact
/// and integer arithmetic keeps due-date computation in the tens of nanoseconds.
public struct LocalMinute: Hashable, Comparable, Sendable {
    public var value: Int

    public init(_ value: Int) {
        self.value = value
    }

    /// Julian day of 1970-01-01.
    static let epochJulianDay = 2_440_588

    public init(date: CivilDate, minute: Int) {
        // A CivilDate's range keeps the product far from overflow; the minute is kept within a day.
        value = (date.julianDay - Self.epochJulianDay) * 1440 + min(max(minute, 0), 1440)
    }

    public var date: CivilDate { CivilDate(julianDay: Self.epochJulianDay + Int((Double(value) / 1440).rounded(.down))) }
    public var minuteOfDay: Int { ((value % 1440) + 1440) % 1440 }

    public static func < (lhs: LocalMinute, rhs: LocalMinute) -> Bool { lhs.value < rhs.value }
}

/// How a statutory period is counted.
public enum PeriodUnit: String, Sendable, Codable, CaseIterable {
    /// Working days of the agency's office hours (the usual unit).
    case workingDays
    /// Working hours.
    case hours
    /// Calendar days; a period ending on a day off ends on the next working day instead.
    case days
}

/// What a pause (waiting for the applicant to supplement the dossier) does to a running period.
public enum PauseRule: String, Sendable, Codable, CaseIterable {
    /// The paused working time is added to the deadline.
    case extends
    /// The period starts again, whole, when the pause ends.
    case restarts
}

/// Working-time arithmetic over a run of years: every instant has a *working position* — the working minutes
/// from the first day of the range up to it — so adding working time and measuring it are lookups in two
/// integer tables, not walks over days.
public struct WorkingTimeCalendar: Sendable {
    public let hours: OfficeHours
    public let years: ClosedRange<Int>
    let firstDay: Int
    /// Working days before each day of the range (one more entry than days).
    let workingDaysBefore: [Int32]
    /// The day index of the k-th working day.
    let workingDayIndex: [Int32]

    public init(calendars: [YearCalendar], hours: OfficeHours = .standard) {
        let sorted = calendars.sorted { $0.year < $1.year }
        let first = sorted.first?.year ?? 2000
        let last = sorted.last?.year ?? first
        years = first...last
        self.hours = hours
        let start = CivilDate(known: first, 1, 1).julianDay
        let end = CivilDate(known: last, 12, 31).julianDay
        firstDay = start
        var before: [Int32] = []
        var index: [Int32] = []
        before.reserveCapacity(end - start + 2)
        var byYear: [Int: YearCalendar] = [:]
        for calendar in sorted { byYear[calendar.year] = calendar }
        var count: Int32 = 0
        for day in start...end {
            before.append(count)
            let date = CivilDate(julianDay: day)
            // A year missing from `calendars` counts only Monday to Friday.
            let working = byYear[date.year].map { $0.isWorkingDay(date) } ?? !date.isWeekend
            if working {
                index.append(Int32(day - start))
                count += 1
            }
        }
        before.append(count)
        workingDaysBefore = before
        workingDayIndex = index
    }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        let day = date.julianDay - firstDay
        guard day >= 0, day + 1 < workingDaysBefore.count else { return false }
        return workingDaysBefore[day + 1] > workingDaysBefore[day]
    }

    /// The working position of `instant`, or nil outside the range.
    func position(_ instant: LocalMinute) -> Int? {
        let dayNumber = instant.date.julianDay - firstDay
        guard dayNumber >= 0, dayNumber + 1 < workingDaysBefore.count else { return nil }
        let before = Int(workingDaysBefore[dayNumber])
        let isWorking = Int(workingDaysBefore[dayNumber + 1]) > before
        return before * hours.minutesPerDay + (isWorking ? hours.worked(by: instant.minuteOfDay) : 0)
    }

    /// The earliest instant at working position `position` > 0: a position on a day boundary is the end of that
    /// working day (a day's work ends at closing, not the next morning).
    func instant(at position: Int) -> LocalMinute? {
        guard position > 0 else { return nil }
        let day = (position - 1) / hours.minutesPerDay
        let worked = position - day * hours.minutesPerDay
        guard day < workingDayIndex.count else { return nil }
        let date = CivilDate(julianDay: firstDay + Int(workingDayIndex[day]))
        return LocalMinute(date: date, minute: hours.minute(whenWorked: worked))
    }

    /// `instant` plus `minutes` of working time. Work starting after hours starts the next working morning.
    public func adding(workingMinutes minutes: Int, to instant: LocalMinute) -> LocalMinute? {
        guard minutes > 0, let start = position(instant) else { return minutes == 0 ? instant : nil }
        let (end, overflow) = start.addingReportingOverflow(minutes)
        return overflow ? nil : self.instant(at: end)
    }

    /// The working minutes between two instants (0 when `end` is not after `start`).
    public func workingMinutes(from start: LocalMinute, to end: LocalMinute) -> Int? {
        guard let from = position(start), let to = position(end) else { return nil }
        return max(0, to - from)
    }

    /// The due instant of a period of `amount` `unit`s starting at `start`, with `pauses` (waiting for a
    /// supplement) handled by `rule`. Nil outside the calendar's years or for a negative amount.
    public func due(
        from start: LocalMinute, amount: Int, unit: PeriodUnit, pauses: [Range<LocalMinute>] = [],
        rule: PauseRule = .extends
    ) -> LocalMinute? {
        // Beyond a million units no calendar range reaches; refusing early also keeps the arithmetic from overflowing.
        guard amount >= 0, amount <= 1_000_000 else { return nil }
        let relevant = Self.merged(pauses.filter { $0.upperBound > start })
        var begin = start
        if rule == .restarts, let last = relevant.last { begin = max(start, last.upperBound) }
        switch unit {
        case .days:
            // Calendar days run through pauses; an extending pause adds the days from its first date to its last
            // (a supplement asked for on the 4th and received on the 6th adds two).
            var days = amount
            if rule == .extends {
                days += relevant.reduce(0) { $0 + max(0, $1.upperBound.date.julianDay - max($1.lowerBound, start).date.julianDay) }
            }
            var date = begin.date.adding(days: days)
            guard date.julianDay - firstDay + 1 < workingDaysBefore.count else { return nil }
            while !isWorkingDay(date) {
                date = date.adding(days: 1)
                guard date.julianDay - firstDay + 1 < workingDaysBefore.count else { return nil }
            }
            return LocalMinute(date: date, minute: hours.closing)
        case .workingDays, .hours:
            let minutes = unit == .hours ? amount * 60 : amount * hours.minutesPerDay
            guard var cursor = position(begin) else { return nil }
            var remaining = minutes
            if rule == .extends {
                for pause in relevant {
                    guard let pauseStart = position(max(pause.lowerBound, begin)), let pauseEnd = position(pause.upperBound)
                    else { return nil }
                    let available = max(0, pauseStart - cursor)
                    if available >= remaining { break }
                    remaining -= available
                    cursor = max(cursor, pauseEnd)
                }
            }
            return remaining == 0 ? begin : instant(at: cursor + remaining)
        }
    }

    /// The pauses in order, overlapping or touching ones joined: time paused twice over counts once.
    static func merged(_ pauses: [Range<LocalMinute>]) -> [Range<LocalMinute>] {
        guard pauses.count > 1 else { return pauses }
        var merged: [Range<LocalMinute>] = []
        merged.reserveCapacity(pauses.count)
        for pause in pauses.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, pause.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, pause.upperBound)
            } else {
                merged.append(pause)
            }
        }
        return merged
    }
}
