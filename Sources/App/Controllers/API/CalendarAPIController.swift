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
        let pauses = try pauseIntervals((try? req.query.get(String.self, at: "pauses")) ?? "")
        let rawRule = (try? req.query.get(String.self, at: "rule")) ?? PauseRule.extends.rawValue
        guard let rule = PauseRule(rawValue: rawRule) else {
            throw UserError(.invalidParameter(name: "rule", problem: .notOneOf(PauseRule.allCases.map(\.rawValue))))
        }
        let start = LocalMinute(startDate)
        let supported = VietnameseLunarCalendar.supportedYears
        guard supported.contains(start.date.year) else {
            throw UserError(.invalidParameter(name: "start", problem: .outOfRange(min: supported.lowerBound, max: supported.upperBound)))
        }
        // Enough years for the period and its pauses: a year holds at least 240 working days. A pause may end at
        // most 20 years after the start, so one request never builds centuries of calendar.
        let pausedUntil = pauses.map(\.upperBound.date.year).max() ?? start.date.year
        let latestPause = min(start.date.year + maximumPauseYears, supported.upperBound)
        guard pausedUntil <= latestPause else {
            throw UserError(.invalidParameter(name: "pauses", problem: .outOfRange(min: start.date.year, max: latestPause)))
        }
        let lastYear = max(start.date.year, pausedUntil) + (unit == .days ? amount / 365 : amount / 240) + 1
        let calendar = try await req.application.calendars.workingTime(
            start.date.year...min(lastYear, supported.upperBound), hours: hours, on: req.db)
        guard let due = calendar.due(from: start, amount: amount, unit: unit, pauses: pauses, rule: rule) else {
            throw UserError(.invalidParameter(name: "amount", problem: .outOfRange(min: 0, max: maximumAmount)))
        }
        return DueDTO(due: due.iso8601)
    }

    /// The most pause intervals one request may carry (a dossier has one supplement request, rarely a few).
    static let maximumPauses = 20
    /// How many years after `start` a pause may end.
    static let maximumPauseYears = 20
    /// The longest `START/END` item: two instants of at most 40 characters (as `start` allows) and the slash.
    static let maximumPauseLength = 2 * 40 + 1

    /// `START/END,START/END`: the intervals the clock stood still, each end after its start.
    static func pauseIntervals(_ text: String) throws -> [Range<LocalMinute>] {
        guard !text.isEmpty else { return [] }
        let refusal = UserError(.invalidParameter(name: "pauses", problem: .notIntervals(max: maximumPauses)))
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        guard text.count <= maximumPauses * (maximumPauseLength + 1), items.count <= maximumPauses else { throw refusal }
        return try items.map { item in
            let ends = item.split(separator: "/", omittingEmptySubsequences: false)
            guard item.count <= maximumPauseLength, ends.count == 2, let from = parseInstant(String(ends[0])), let to = parseInstant(String(ends[1])) else {
                throw refusal
            }
            let interval = (LocalMinute(from), LocalMinute(to))
            guard interval.0 < interval.1 else { throw refusal }
            return interval.0..<interval.1
        }
    }

    /// ISO 8601 with an offset (`Z` or `±hh:mm`), with or without seconds and fractions. A `+` left unencoded
    /// in a query string arrives as a space, so a space before the offset reads as `+`.
    static func parseInstant(_ raw: String) -> Date? {
        let text = raw.replacingOccurrences(of: " ", with: "+")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
