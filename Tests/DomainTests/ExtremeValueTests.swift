import Foundation
import Testing

@testable import Domain

/// Values no real input has, which a request, an import or a job can still bring: each used to trap (overflow, a
/// range whose bounds cross) and so stop the whole server. Each is now an answer.
@Suite struct ExtremeValueTests {
    @Test func civilDatesAtTheEndsOfIntStayInTheirRangeAndAddWithoutOverflow() {
        let range = CivilDate.supportedJulianDays
        #expect(CivilDate(julianDay: .max).julianDay == range.upperBound)
        #expect(CivilDate(julianDay: .min).julianDay == range.lowerBound)
        let today = CivilDate(julianDay: 2_461_000)
        #expect(today.adding(days: .max).julianDay == range.upperBound)
        #expect(today.adding(days: .min).julianDay == range.lowerBound)
        #expect(CivilDate(julianDay: .max).adding(days: .max).julianDay == range.upperBound)
        #expect(CivilDate(year: .max, month: 1, day: 1) == nil)
        #expect(CivilDate(year: .min, month: 12, day: 31) == nil)
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
    }

    @Test func workingTimeRefusesAmountsNoCalendarReachesInsteadOfOverflowing() throws {
        let calendar = WorkingTimeCalendar(calendars: [try YearCalendar(year: 2025, adjustments: [])])
        let start = LocalMinute(date: try #require(CivilDate(iso: "2025-03-03")), minute: 9 * 60)
        #expect(calendar.due(from: start, amount: .max, unit: .hours) == nil)
        #expect(calendar.due(from: start, amount: 1_000_001, unit: .days) == nil)
        #expect(calendar.due(from: start, amount: -1, unit: .workingDays) == nil)
        #expect(calendar.adding(workingMinutes: .max, to: start) == nil)
        // A minute past either end of the day is the day's end, not another day far away.
        #expect(LocalMinute(date: start.date, minute: .max).minuteOfDay == 0)
        #expect(LocalMinute(date: start.date, minute: .min) == LocalMinute(date: start.date, minute: 0))
        // Any stored instant has a date.
        #expect(LocalMinute(.max).date.julianDay <= CivilDate.supportedJulianDays.upperBound)
        #expect(LocalMinute(.min).date.julianDay >= CivilDate.supportedJulianDays.lowerBound)
    }

    @Test func retriesAndRefundsAtAbsurdCountsStayInRange() {
        let policy = RetryPolicy(maxAttempts: .max)
        #expect(policy.next(afterFailedAttempt: .min) == .retry(after: policy.baseDelay))
        #expect(policy.next(afterFailedAttempt: 0) == .retry(after: policy.baseDelay))
        #expect(policy.next(afterFailedAttempt: .max - 1) == .retry(after: policy.maxDelay))
        let empty = ThrottleState(failures: .min, windowStart: Date(), lockedUntil: nil)
        #expect(LoginThrottle.refunding(empty, rule: .account).failures == 0)
    }

    @Test func aProcessingTimeOfAMillionDaysIsKeptAsTextNotParsed() throws {
        var record = PortalFixtures.notaryCardReissue
        record.channels = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến9999999999999999999999 Ngày làm việc"
            + "100,000 Việt Nam Đồng(/hồ sơ)"
        let parsed = try ProcedureParser.parse(record, managingAgencyCode: "BTP")
        let offer = try #require(parsed.procedure.channels.value?.first)
        #expect(offer.processingTime.value == nil)
        // A note opened right at the end of the text, with nothing inside, is no note and no trap.
        record.channels = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việc100,000 Việt Nam Đồng("
        #expect(throws: Never.self) { try ProcedureParser.parse(record, managingAgencyCode: "BTP") }
    }
}
