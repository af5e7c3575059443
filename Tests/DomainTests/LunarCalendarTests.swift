import Testing

@testable import Domain

@Suite struct LunarCalendarTests {
    private func date(_ iso: String) throws -> CivilDate { try #require(CivilDate(iso: iso)) }

    @Test func tetFallsOnTheKnownDays2020To2030() throws {
        let known = [
            2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10",
            2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13",
            2030: "2030-02-02",
        ]
        for (year, day) in known {
            #expect(VietnameseLunarCalendar.newYear(year)?.description == day, "Tết \(year)")
        }
    }

    /// Where Vietnam's UTC+7 starts the year a day (or a month) before China's UTC+8 calendar.
    @Test func tetFollowsVietnamTimeWhereItDiffersFromChina() throws {
        #expect(VietnameseLunarCalendar.newYear(1968)?.description == "1968-01-29")  // China: 30 January
        #expect(VietnameseLunarCalendar.newYear(1985)?.description == "1985-01-21")  // China: 20 February
        #expect(VietnameseLunarCalendar.newYear(2007)?.description == "2007-02-17")  // China: 18 February
        #expect(VietnameseLunarCalendar.newYear(2030)?.description == "2030-02-02")  // China: 3 February
        // The new moon falls at 23:31 in Hà Nội, 00:31 the next day in Beijing.
        #expect(VietnameseLunarCalendar.newYear(2053)?.description == "2053-02-18")  // China: 19 February
    }

    @Test func leapMonthsAreFoundAndNamed() throws {
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2020) == 4)
        #expect(VietnameseLunarCalendar.lunar(try date("2020-05-23")) == LunarDate(year: 2020, month: 4, day: 1, isLeapMonth: true))
        #expect(VietnameseLunarCalendar.lunar(try date("2020-05-22")) == LunarDate(year: 2020, month: 4, day: 30))
        #expect(VietnameseLunarCalendar.civil(LunarDate(year: 2020, month: 4, day: 1, isLeapMonth: true)) == (try date("2020-05-23")))
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2023) == 2)
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2025) == 6)
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2024) == nil)
        // A leap month the year does not have does not exist.
        #expect(VietnameseLunarCalendar.civil(LunarDate(year: 2024, month: 4, day: 1, isLeapMonth: true)) == nil)
    }

    @Test func hungKingsDayIsTheTenthOfTheThirdLunarMonth() throws {
        #expect(VietnameseLunarCalendar.civil(LunarDate(year: 2025, month: 3, day: 10))?.description == "2025-04-07")
        #expect(VietnameseLunarCalendar.civil(LunarDate(year: 2026, month: 3, day: 10))?.description == "2026-04-26")
    }

    @Test func everyDayOf1900To2199ConvertsToLunarAndBack() throws {
        let first = try date("1900-01-01").julianDay
        let last = try date("2199-12-31").julianDay
        var previous: LunarDate?
        var yearsWithLeap = 0
        for day in first...last {
            let civil = CivilDate(julianDay: day)
            let lunar = try #require(VietnameseLunarCalendar.lunar(civil))
            if lunar.year >= 1900, lunar.year <= 2199 {
                #expect(VietnameseLunarCalendar.civil(lunar) == civil, "\(civil) → \(lunar)")
            }
            if let previous, lunar.day == 1 {
                // A new month follows a month of 29 or 30 days.
                #expect(previous.day == 29 || previous.day == 30, "\(civil)")
                if lunar.isLeapMonth { yearsWithLeap += 1 }
            } else if let previous {
                #expect(lunar.day == previous.day + 1, "\(civil)")
            }
            previous = lunar
        }
        // 7 leap months every 19 years: about 110 in three centuries.
        #expect((105...115).contains(yearsWithLeap))
    }

    @Test func datesOutsideTheSupportedYearsAreRefused() {
        #expect(VietnameseLunarCalendar.newYear(1899) == nil)
        #expect(VietnameseLunarCalendar.newYear(2200) == nil)
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CivilDate(iso: "2025-13-01") == nil)
        #expect(CivilDate(iso: "25-01-01") == nil)
    }

    @Test func civilDatesKnowTheirWeekday() throws {
        #expect(try date("2026-11-29").weekday == 7)  // a Sunday
        #expect(try date("2025-04-26").weekday == 6)  // the Saturday worked in 2025
        #expect(try date("2000-02-29").adding(days: 1).description == "2000-03-01")
    }
}
