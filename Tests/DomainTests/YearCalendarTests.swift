import Testing

@testable import Domain

@Suite struct YearCalendarTests {
    private func day(_ iso: String) throws -> CivilDate { try #require(CivilDate(iso: iso)) }

    private func offDays(_ calendar: YearCalendar) -> [String] {
        calendar.holidays.map { "\($0.date) \($0.name) \($0.kind.rawValue)" }
    }

    @Test func the2025CalendarWithItsSwapMatchesTheGovernmentsDecision() throws {
        let calendar = try YearCalendar(year: 2025, adjustments: CalendarAdjustment.example2025)
        #expect(calendar.lunarNewYear.description == "2025-01-29")
        #expect(calendar.hungKings.description == "2025-04-07")
        // The 30/4–1/5 break: Wednesday 30 April to Sunday 4 May, Friday 2 May for Saturday 26 April.
        for off in ["2025-04-30", "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-04-07", "2025-01-01"] {
            #expect(!calendar.isWorkingDay(try day(off)), "\(off)")
        }
        #expect(calendar.isWorkingDay(try day("2025-04-26")))
        #expect(calendar.isWorkingDay(try day("2025-05-05")))
        #expect(calendar.extraWorkingDays.map(\.description) == ["2025-04-26"])
        #expect(offDays(calendar).contains("2025-05-02 adjustment adjustment"))
        // Tết: the last day of the Year of the Dragon (28 January) and the first four of the Snake; Saturday
        // 1 February is compensated on Monday 3 February.
        for off in ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03"] {
            #expect(!calendar.isWorkingDay(try day(off)), "\(off)")
        }
        #expect(offDays(calendar).contains("2025-02-03 tet compensation"))
        #expect(calendar.isWorkingDay(try day("2025-02-04")))
    }

    @Test func aHolidayOnAWeekendIsCompensatedOnTheNextWorkingDay() throws {
        let calendar = try YearCalendar(year: 2023)
        // 1 January 2023 was a Sunday; 2 September a Saturday (with Friday 1 September).
        #expect(offDays(calendar).contains("2023-01-02 new_year compensation"))
        #expect(offDays(calendar).contains("2023-09-04 national compensation"))
        #expect(!calendar.isWorkingDay(try day("2023-01-02")))
        #expect(calendar.isWorkingDay(try day("2023-01-03")))
    }

    @Test func hungKingsDayFollowsTheLunarCalendar() throws {
        #expect(try YearCalendar(year: 2026).hungKings.description == "2026-04-26")
        // A Sunday in 2026: Monday 27 April is off instead.
        #expect(!(try YearCalendar(year: 2026).isWorkingDay(try day("2026-04-27"))))
    }

    @Test func everyYearHasAboutTwoHundredFortyFiveWorkingDays() throws {
        for year in [1900, 1968, 2000, 2024, 2025, 2100, 2199] {
            let count = try YearCalendar(year: year).workingDayCount
            #expect((240...252).contains(count), "\(year): \(count)")
        }
    }

    @Test func contradictoryOrPointlessAdjustmentsAreRefused() throws {
        let reference = "Thông báo thử"
        let sunday = try day("2025-04-27")
        let tuesday = try day("2025-04-22")
        func attempt(_ adjustments: [CalendarAdjustment]) -> CalendarAdjustmentProblem? {
            do {
                _ = try YearCalendar(year: 2025, adjustments: adjustments)
                return nil
            } catch {
                return error
            }
        }
        #expect(attempt([.init(date: sunday, kind: .dayOff, reference: reference), .init(date: sunday, kind: .workingDay, reference: reference)])
            == .bothOffAndWorking(sunday))
        #expect(attempt([.init(date: sunday, kind: .dayOff, reference: reference)]) == .alreadyOff(sunday))
        #expect(attempt([.init(date: tuesday, kind: .workingDay, reference: reference)]) == .alreadyWorking(tuesday))
        let reunification = try day("2025-04-30")
        #expect(attempt([.init(date: reunification, kind: .workingDay, reference: reference)]) == .statutoryHoliday(reunification))
        let nextYear = try day("2026-01-05")
        #expect(attempt([.init(date: nextYear, kind: .dayOff, reference: reference)]) == .outsideYear(nextYear))
        #expect(throws: CalendarAdjustmentProblem.unsupportedYear(2200)) { try YearCalendar(year: 2200) }
    }
}

@Suite struct MovedHolidayTests {
    private func day(_ iso: String) throws -> CivilDate { try #require(CivilDate(iso: iso)) }

    @Test func theDayBeside2SeptemberCanMoveAsIn2021() throws {
        // 2021: 2 and 3 September off, 1 September worked.
        let calendar = try YearCalendar(year: 2021, adjustments: [
            .init(date: try day("2021-09-01"), kind: .workingDay, reference: "Thông báo 2021"),
            .init(date: try day("2021-09-03"), kind: .dayOff, reference: "Thông báo 2021"),
        ])
        #expect(calendar.isWorkingDay(try day("2021-09-01")))
        #expect(!calendar.isWorkingDay(try day("2021-09-02")))
        #expect(!calendar.isWorkingDay(try day("2021-09-03")))
        #expect(!calendar.holidays.contains { $0.date == (try? day("2021-09-01")) })
    }

    @Test func tetAndItsCompensationDaysCanMoveAsIn2024() throws {
        // 2024: Tết from Thursday 8 to Wednesday 14 February; Thursday 15 February worked.
        let calendar = try YearCalendar(year: 2024, adjustments: [
            .init(date: try day("2024-02-08"), kind: .dayOff, reference: "Thông báo 2024"),
            .init(date: try day("2024-02-15"), kind: .workingDay, reference: "Thông báo 2024"),
        ])
        for off in ["2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14"] {
            #expect(!calendar.isWorkingDay(try day(off)), "\(off)")
        }
        #expect(calendar.isWorkingDay(try day("2024-02-15")))
    }

    @Test func whatTheLawFixesCannotBeWorkedAndAComputedDayOffIsNotAddedTwice() throws {
        #expect(throws: CalendarAdjustmentProblem.statutoryHoliday(try day("2024-09-02"))) {
            try YearCalendar(year: 2024, adjustments: [.init(date: try day("2024-09-02"), kind: .workingDay, reference: "x")])
        }
        #expect(throws: CalendarAdjustmentProblem.statutoryHoliday(try day("2024-02-10"))) {
            try YearCalendar(year: 2024, adjustments: [.init(date: try day("2024-02-10"), kind: .workingDay, reference: "x")])
        }
        // 1 January 2022 was a Saturday: Monday 3 January is already the computed compensation day.
        #expect(throws: CalendarAdjustmentProblem.alreadyOff(try day("2022-01-03"))) {
            try YearCalendar(year: 2022, adjustments: [.init(date: try day("2022-01-03"), kind: .dayOff, reference: "x")])
        }
    }
}
