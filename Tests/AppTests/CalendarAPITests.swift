import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct CalendarAPITests {
    private func get(_ app: Application, _ path: String) async throws -> (status: HTTPStatus, json: [String: Any]) {
        var result: (HTTPStatus, [String: Any]) = (.internalServerError, [:])
        try await app.testing().test(.GET, path) { response in
            result = (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:])
        }
        return result
    }

    private func parameter(_ json: [String: Any]) -> String? {
        (json["error"] as? [String: Any])?["parameter"] as? String
    }

    @Test func aYearsCalendarHasItsLunarDaysHolidaysAndSwaps() async throws {
        try await withTestApp { app in
            let (status, json) = try await get(app, "/api/v1/calendar/2025")
            #expect(status == .ok)
            #expect(json["lunarNewYear"] as? String == "2025-01-29")
            #expect(json["hungKings"] as? String == "2025-04-07")
            #expect(json["extraWorkingDays"] as? [String] == ["2025-04-26"])
            let holidays = json["holidays"] as? [[String: String]] ?? []
            #expect(holidays.contains { $0["date"] == "2025-05-02" && $0["kind"] == "adjustment" })
            #expect(holidays.contains { $0["date"] == "2025-04-07" && $0["name"] == "Giỗ Tổ Hùng Vương" && $0["kind"] == "statutory" })
            #expect(holidays.filter { $0["name"] == "Tết Nguyên Đán" }.count == 6)  // five days and a compensation day
            let far = try await get(app, "/api/v1/calendar/2199")
            #expect(far.status == .ok)
        }
    }

    @Test func aDueDateIsComputedInVietnamTime() async throws {
        try await withTestApp { app in
            let local = try await get(app, "/api/v1/calendar/due?start=2025-04-29T16:00:00%2B07:00&amount=1&unit=workingDays")
            #expect(local.status == .ok)
            #expect(local.json["due"] as? String == "2025-05-05T16:00:00+07:00")
            // The same instant in UTC.
            let utc = try await get(app, "/api/v1/calendar/due?start=2025-04-29T09:00:00Z&amount=1&unit=workingDays")
            #expect(utc.json["due"] as? String == "2025-05-05T16:00:00+07:00")
            let days = try await get(app, "/api/v1/calendar/due?start=2025-04-25T09:00:00%2B07:00&amount=5&unit=days")
            #expect(days.json["due"] as? String == "2025-05-05T17:00:00+07:00")
            let hours = try await get(app, "/api/v1/calendar/due?start=2025-03-03T11:00:00%2B07:00&amount=2&unit=hours")
            #expect(hours.json["due"] as? String == "2025-03-03T14:00:00+07:00")
        }
    }

    @Test func aDueDateAccountsForASupplementPauseUnderEitherRule() async throws {
        try await withTestApp { app in
            // Accepted Monday 3 March 2025 09:00, five working days; waiting for a supplement from Tuesday 09:00 to
            // Thursday 09:00 (two working days).
            let base = "/api/v1/calendar/due?start=2025-03-03T09:00:00%2B07:00&amount=5&unit=workingDays"
            let pause = "&pauses=2025-03-04T09:00:00%2B07:00/2025-03-06T09:00:00%2B07:00"
            #expect(try await get(app, base).json["due"] as? String == "2025-03-10T09:00:00+07:00")
            #expect(try await get(app, base + pause).json["due"] as? String == "2025-03-12T09:00:00+07:00")
            #expect(try await get(app, base + pause + "&rule=extends").json["due"] as? String == "2025-03-12T09:00:00+07:00")
            // Restarting: five whole working days from Thursday 09:00.
            #expect(try await get(app, base + pause + "&rule=restarts").json["due"] as? String == "2025-03-13T09:00:00+07:00")
            // A pause that ended before the start changes nothing.
            let before = "&pauses=2025-02-24T09:00:00Z/2025-02-25T09:00:00Z"
            #expect(try await get(app, base + before).json["due"] as? String == "2025-03-10T09:00:00+07:00")
            // A `+` written into the address unencoded arrives as a space and still reads as the offset.
            let plain = try await get(app, "/api/v1/calendar/due?start=2025-03-03T09:00:00+07:00&amount=5&unit=workingDays")
            #expect(plain.json["due"] as? String == "2025-03-10T09:00:00+07:00")
        }
    }

    @Test func badInputNamesTheParameter() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let cases: [(String, String)] = [
                ("/api/v1/calendar/1899", "year"),
                ("/api/v1/calendar/2200", "year"),
                ("/api/v1/calendar/nam-nay", "year"),
                ("/api/v1/calendar/due?start=29/04/2025&amount=1&unit=workingDays", "start"),
                ("/api/v1/calendar/due?amount=1&unit=workingDays", "start"),
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=-1&unit=workingDays", "amount"),
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=mot&unit=workingDays", "amount"),
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=1&unit=weeks", "unit"),
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=1&unit=workingDays&agency=NOPE", "agency"),
                ("/api/v1/calendar/due?start=2300-01-01T00:00:00Z&amount=1&unit=workingDays", "start"),
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=1&unit=workingDays&rule=pauses", "rule"),
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=1&unit=workingDays&pauses=2025-05-01", "pauses"),
                // An end before its start.
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=1&unit=workingDays&pauses=2025-05-06T00:00:00Z/2025-05-05T00:00:00Z", "pauses"),
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=1&unit=workingDays&pauses=2025-05-06T00:00:00Z/2300-01-01T00:00:00Z", "pauses"),
                // Within the calendar's years, but more than 20 years after the start.
                ("/api/v1/calendar/due?start=1900-01-01T00:00:00Z&amount=1&unit=workingDays&pauses=1900-01-02T00:00:00Z/2199-01-01T00:00:00Z", "pauses"),
                ("/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=1&unit=workingDays&pauses="
                    + Array(repeating: "2025-05-05T00:00:00Z/2025-05-06T00:00:00Z", count: 21).joined(separator: ","), "pauses"),
            ]
            let known = try await get(app, "/api/v1/calendar/due?start=2025-04-29T16:00:00Z&amount=1&unit=workingDays&agency=00004")
            #expect(known.status == .ok)
            for (path, name) in cases {
                let (status, json) = try await get(app, path)
                #expect(status == .badRequest, "\(path)")
                #expect(parameter(json) == name, "\(path)")
            }
        }
    }
}
