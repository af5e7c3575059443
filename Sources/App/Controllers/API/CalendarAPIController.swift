import Domain
import Fluent
import Vapor

/// `/api/v1/calendar`: a year's public calendar and due-date arithmetic, so integrators and auditors can check a
/// date the platform promised.
enum CalendarAPIController {
    struct HolidayDTO: Content {
        var date: String
        var name: String
        var kind: Holiday.Kind
    }

    struct YearDTO: Content {
        var year: Int
        var lunarNewYear: String
        var hungKings: String
        var holidays: [HolidayDTO]
        var extraWorkingDays: [String]
    }

    /// `GET /api/v1/calendar/{year}`.
    @Sendable static func year(req: Request) async throws -> YearDTO {
        let range = VietnameseLunarCalendar.supportedYears
        guard let year = req.parameters.get("year").flatMap(Int.init), range.contains(year) else {
            throw UserError(.invalidParameter(name: "year", problem: .outOfRange(min: range.lowerBound, max: range.upperBound)))
        }
        let calendar = try await req.application.calendars.year(year, on: req.db)
        return YearDTO(
            year: year, lunarNewYear: calendar.lunarNewYear.description, hungKings: calendar.hungKings.description,
            holidays: calendar.holidays.map {
                HolidayDTO(date: $0.date.description, name: req.localized("holiday_" + $0.name), kind: $0.kind)
            },
            extraWorkingDays: calendar.extraWorkingDays.map(\.description))
    }

    struct DueDTO: Content {
        var due: String
    }

    /// The longest period the API computes: ten years of calendar days.
    static let maximumAmount = 3650

    /// `GET /api/v1/calendar/due?start=&amount=&unit=&agency=`.
    @Sendable static func due(req: Request) async throws -> DueDTO {
        let rawStart = (try? req.query.get(String.self, at: "start")) ?? ""
        guard rawStart.count <= 40, let startDate = parseInstant(rawStart) else {
            throw UserError(.invalidParameter(name: "start", problem: .notAnInstant))
        }
        let rawAmount = try? req.query.get(String.self, at: "amount")
        guard let amount = rawAmount.flatMap({ Int($0) }) else {
            throw UserError(.invalidParameter(name: "amount", problem: .notAWholeNumber))
        }
        guard (0...maximumAmount).contains(amount) else {
            throw UserError(.invalidParameter(name: "amount", problem: .outOfRange(min: 0, max: maximumAmount)))
        }
        let rawUnit = (try? req.query.get(String.self, at: "unit")) ?? ""
        guard let unit = PeriodUnit(rawValue: rawUnit) else {
            throw UserError(.invalidParameter(name: "unit", problem: .notOneOf(PeriodUnit.allCases.map(\.rawValue))))
        }
        var hours = OfficeHours.standard
        if let code = try? req.query.get(String.self, at: "agency") {
            guard code.count <= 64,
                let agencyHours = try await req.application.agencyTree.tree(on: req.db).officeHours(ofCode: code)
            else {
                throw UserError(.invalidParameter(name: "agency", problem: .noSuchAgency))
            }
            hours = agencyHours
        }
        let start = LocalMinute(startDate)
        let supported = VietnameseLunarCalendar.supportedYears
        // Enough years for the period: a year holds at least 240 working days.
        let lastYear = start.date.year + (unit == .days ? amount / 365 : amount / 240) + 1
        guard supported.contains(start.date.year) else {
            throw UserError(.invalidParameter(name: "start", problem: .outOfRange(min: supported.lowerBound, max: supported.upperBound)))
        }
        let calendar = try await req.application.calendars.workingTime(
            start.date.year...min(lastYear, supported.upperBound), hours: hours, on: req.db)
        guard let due = calendar.due(from: start, amount: amount, unit: unit) else {
            throw UserError(.invalidParameter(name: "amount", problem: .outOfRange(min: 0, max: maximumAmount)))
        }
        return DueDTO(due: due.iso8601)
    }

    /// ISO 8601 with an offset (`Z` or `±hh:mm`), with or without seconds and fractions.
    static func parseInstant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
