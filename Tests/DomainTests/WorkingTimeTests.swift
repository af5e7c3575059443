import Testing

@testable import Domain

@Suite struct WorkingTimeTests {
    static let calendar: WorkingTimeCalendar = {
        let years = (2024...2027).compactMap { year in
            try? YearCalendar(year: year, adjustments: year == 2025 ? CalendarAdjustment.example2025 : [])
        }
        return WorkingTimeCalendar(calendars: years)
    }()

    private func at(_ iso: String, _ hour: Int, _ minute: Int = 0) throws -> LocalMinute {
        LocalMinute(date: try #require(CivilDate(iso: iso)), minute: hour * 60 + minute)
    }

    private func text(_ instant: LocalMinute?) -> String {
        guard let instant else { return "nil" }
        let minute = instant.minuteOfDay
        return "\(instant.date) \(minute / 60 < 10 ? "0" : "")\(minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60)"
    }

    @Test func aWorkingDayIsEightOfficeHoursLater() throws {
        let c = Self.calendar
        #expect(text(c.due(from: try at("2025-03-03", 10), amount: 1, unit: .workingDays)) == "2025-03-04 10:00")
        // Accepted after hours: counted from the next working morning, due at the end of that day.
        #expect(text(c.due(from: try at("2025-03-03", 18), amount: 1, unit: .workingDays)) == "2025-03-04 17:00")
        // Lunch is not working time.
        #expect(text(c.due(from: try at("2025-03-03", 11), amount: 2, unit: .hours)) == "2025-03-03 14:00")
        // Friday 25 April 2025 + 1 day: Saturday 26 April was worked that year.
        #expect(text(c.due(from: try at("2025-04-25", 10), amount: 1, unit: .workingDays)) == "2025-04-26 10:00")
        // Over the 30/4–1/5 break (Wednesday to Sunday): one hour on Tuesday, seven on Monday.
        #expect(text(c.due(from: try at("2025-04-29", 16), amount: 1, unit: .workingDays)) == "2025-05-05 16:00")
    }

    @Test func aCalendarDayPeriodEndingOnADayOffEndsOnTheNextWorkingDay() throws {
        let c = Self.calendar
        #expect(text(c.due(from: try at("2025-04-25", 9), amount: 5, unit: .days)) == "2025-05-05 17:00")
        #expect(text(c.due(from: try at("2025-03-03", 9), amount: 3, unit: .days)) == "2025-03-06 17:00")
    }

    @Test func aPauseExtendsTheDeadlineOrRestartsThePeriod() throws {
        let c = Self.calendar
        let start = try at("2025-03-03", 8)
        #expect(text(c.due(from: start, amount: 5, unit: .workingDays)) == "2025-03-07 17:00")
        let pause = try at("2025-03-04", 8)..<(try at("2025-03-05", 8))
        #expect(text(c.due(from: start, amount: 5, unit: .workingDays, pauses: [pause])) == "2025-03-10 17:00")
        #expect(text(c.due(from: start, amount: 5, unit: .workingDays, pauses: [pause], rule: .restarts)) == "2025-03-11 17:00")
        // A pause over a weekend costs no working time.
        let weekend = try at("2025-03-08", 9)..<(try at("2025-03-09", 18))
        #expect(text(c.due(from: start, amount: 5, unit: .workingDays, pauses: [weekend])) == "2025-03-07 17:00")
    }

    @Test func timePausedTwiceOverCountsOnceInAnyOrder() throws {
        let c = Self.calendar
        let start = try at("2025-03-03", 8)
        let first = try at("2025-03-04", 8)..<(try at("2025-03-06", 8))
        let second = try at("2025-03-05", 8)..<(try at("2025-03-07", 8))
        // Together: 4 March 08:00 to 7 March 08:00, three working days.
        #expect(text(c.due(from: start, amount: 5, unit: .workingDays, pauses: [first, second])) == "2025-03-12 17:00")
        #expect(text(c.due(from: start, amount: 5, unit: .workingDays, pauses: [second, first])) == "2025-03-12 17:00")
        // Calendar days: 4 to 7 March is three days, not two plus two; one day from Monday ends on Friday.
        let days = try at("2025-03-03", 9)
        let dayFirst = try at("2025-03-04", 9)..<(try at("2025-03-06", 9))
        let daySecond = try at("2025-03-05", 9)..<(try at("2025-03-07", 9))
        #expect(text(c.due(from: days, amount: 1, unit: .days, pauses: [daySecond, dayFirst])) == "2025-03-07 17:00")
    }

    @Test func outsideTheCalendarOrNegativeIsNoAnswer() throws {
        let c = Self.calendar
        #expect(c.due(from: try at("2025-03-03", 8), amount: -1, unit: .workingDays) == nil)
        #expect(c.due(from: try at("2030-03-03", 8), amount: 1, unit: .workingDays) == nil)
        #expect(c.due(from: try at("2027-12-30", 8), amount: 30, unit: .workingDays) == nil)
        #expect(OfficeHours(periods: [780..<1020, 480..<720]) == nil)
        #expect(OfficeHours(periods: [480..<720, 700..<1020]) == nil)
        #expect(OfficeHours(periods: []) == nil)
    }

    // MARK: Properties, over random starts, amounts and pauses (a fixed seed, so a failure repeats)

    private func randomStart(_ random: inout SplitMix64) -> LocalMinute {
        let first = CivilDate(known: 2025, 1, 1).julianDay
        let date = CivilDate(julianDay: first + Int.random(in: 0..<365, using: &random))
        return LocalMinute(date: date, minute: Int.random(in: 0..<1440, using: &random))
    }

    @Test func addingThenMeasuringGivesBackTheAmount() {
        var random = SplitMix64(state: 2025)
        let c = Self.calendar
        for _ in 0..<20_000 {
            let start = randomStart(&random)
            let minutes = Int.random(in: 1...(60 * 480), using: &random)
            guard let due = c.adding(workingMinutes: minutes, to: start) else {
                Issue.record("no due date from \(text(start))")
                continue
            }
            #expect(c.workingMinutes(from: start, to: due) == minutes, "\(text(start)) + \(minutes) min → \(text(due))")
        }
    }

    @Test func aDueDateNeverFallsOnADayOffOrOutsideOfficeHours() {
        var random = SplitMix64(state: 7)
        let c = Self.calendar
        for _ in 0..<20_000 {
            let start = randomStart(&random)
            let unit = PeriodUnit.allCases[Int.random(in: 0..<3, using: &random)]
            guard let due = c.due(from: start, amount: Int.random(in: 1...60, using: &random), unit: unit) else {
                Issue.record("no due date")
                continue
            }
            #expect(c.isWorkingDay(due.date), "\(unit) from \(text(start)) → \(text(due))")
            let minute = due.minuteOfDay
            #expect(c.hours.periods.contains { $0.lowerBound < minute && minute <= $0.upperBound }, "\(text(due))")
        }
    }

    @Test func pausesOnlyEverMoveADeadlineLater() {
        var random = SplitMix64(state: 42)
        let c = Self.calendar
        for _ in 0..<20_000 {
            let start = randomStart(&random)
            let unit = PeriodUnit.allCases[Int.random(in: 0..<3, using: &random)]
            let amount = Int.random(in: 1...60, using: &random)
            let pauseStart = LocalMinute(start.value + Int.random(in: -2000...40_000, using: &random))
            let pause = pauseStart..<LocalMinute(pauseStart.value + Int.random(in: 1...20_000, using: &random))
            guard let plain = c.due(from: start, amount: amount, unit: unit) else { continue }
            for rule in PauseRule.allCases {
                guard let paused = c.due(from: start, amount: amount, unit: unit, pauses: [pause], rule: rule) else { continue }
                #expect(paused >= plain, "\(rule) \(unit) \(amount) from \(text(start)), pause \(text(pause.lowerBound))–\(text(pause.upperBound))")
                // The same pause reported twice is still one pause.
                #expect(c.due(from: start, amount: amount, unit: unit, pauses: [pause, pause], rule: rule) == paused)
            }
        }
    }
}

@Suite struct OfficeHoursTests {
    @Test func officeHoursAreReadAndWrittenAsText() throws {
        let hours = try #require(OfficeHours(text: "07:30-11:30, 13:30-17:30"))
        #expect(hours.minutesPerDay == 480)
        #expect(hours.text == "07:30-11:30,13:30-17:30")
        #expect(OfficeHours.standard.text == "08:00-12:00,13:00-17:00")
        for bad in ["", "8-12", "08:00-12:00,11:00-17:00", "12:00-08:00", "25:00-26:00", "08:00-12:00;13:00-17:00", "08:60-12:00"] {
            #expect(OfficeHours(text: bad) == nil, "\(bad)")
        }
    }

    @Test func deadlinesCountInTheAgencysOwnHours() throws {
        let hours = try #require(OfficeHours(text: "07:30-11:30,13:30-17:30"))
        let calendar = WorkingTimeCalendar(calendars: [try YearCalendar(year: 2025)], hours: hours)
        let after = LocalMinute(date: try #require(CivilDate(iso: "2025-03-03")), minute: 17 * 60 + 45)
        let due = try #require(calendar.due(from: after, amount: 1, unit: .workingDays))
        #expect(due.date.description == "2025-03-04")
        #expect(due.minuteOfDay == 17 * 60 + 30)
    }
}
