import Domain
import Fluent
import Vapor

/// `/admin/calendar`: a year's days off and swaps for every officer to see; system administrators record the
/// year's adjustments (the Prime Minister's decisions), each with its legal reference, and remove wrong ones.
enum CalendarAdminController {
    struct AdjustmentInput: Content {
        var date: String?
        var kind: String?
        var reference: String?
    }

    @Sendable static func show(req: Request) async throws -> View {
        try await render(req, year: try year(req), input: .init(), errors: [:])
    }

    @Sendable static func add(req: Request) async throws -> Response {
        try await req.authorize(.create, Resource(.calendar))
        let input = try req.content.decode(AdjustmentInput.self)
        var errors: [String: String] = [:]
        let date = CivilDate(iso: (input.date ?? "").trimmingCharacters(in: .whitespaces))
        if date == nil { errors["date"] = FieldErrorText.message(.invalidDate, req.application.localization, req.language) }
        let kind = CalendarAdjustment.Kind(rawValue: input.kind ?? "")
        if kind == nil {
            errors["kind"] = FieldErrorText.message(
                .notOneOf(CalendarAdjustment.Kind.allCases.map(\.rawValue)), req.application.localization, req.language)
        }
        let (reference, referenceProblem) = TextInput.field(input.reference ?? "", maxLength: 300)
        if reference.isEmpty { errors["reference"] = FieldErrorText.message(.required, req.application.localization, req.language) }
        if let problem = referenceProblem {
            errors["reference"] = FieldErrorText.message(problem, req.application.localization, req.language)
        }
        let supported = VietnameseLunarCalendar.supportedYears
        if let date, !supported.contains(date.year) {
            errors["date"] = problemText(.unsupportedYear(date.year), req)
        }
        let shownYear = date.map(\.year).flatMap { supported.contains($0) ? $0 : nil } ?? LocalMinute(req.now).date.year
        guard errors.isEmpty, let date, let kind else {
            return try await render(req, year: shownYear, input: input, errors: errors).encodeResponse(status: .badRequest, for: req)
        }
        do {
            try await CalendarAdjustments.add(
                CalendarAdjustment(date: date, kind: kind, reference: reference), context: try await req.change())
        } catch let refusal as CalendarAdjustments.Refusal {
            let status: HTTPStatus
            switch refusal {
            case .exists(let date):
                errors["date"] = req.localized("calendar_problem_exists", ["date": req.formatting.day(date)])
                status = .conflict
            case .contradicts(let problem):
                errors["date"] = problemText(problem, req)
                status = .badRequest
            }
            return try await render(req, year: date.year, input: input, errors: errors).encodeResponse(status: status, for: req)
        }
        return req.redirect(to: Notice.calendarAdjusted.after(SiteURL.adminCalendar.path + "?year=\(date.year)"), redirectType: .normal)
    }

    @Sendable static func remove(req: Request) async throws -> Response {
        try await req.authorize(.delete, Resource(.calendar))
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let removed = try await CalendarAdjustments.remove(id, context: try await req.change())
        else { throw UserError(.recordNotFound) }
        return req.redirect(
            to: Notice.calendarAdjustmentRemoved.after(SiteURL.adminCalendar.path + "?year=\(removed.year)"), redirectType: .normal)
    }

    private static func year(_ req: Request) throws -> Int {
        guard let raw = try? req.query.get(String.self, at: "year") else { return LocalMinute(req.now).date.year }
        let range = VietnameseLunarCalendar.supportedYears
        guard let year = Int(raw), range.contains(year) else {
            throw UserError(.invalidParameter(name: "year", problem: .outOfRange(min: range.lowerBound, max: range.upperBound)))
        }
        return year
    }

    private static func problemText(_ problem: CalendarAdjustmentProblem, _ req: Request) -> String {
        let format = req.formatting
        return switch problem {
        case .bothOffAndWorking(let date): req.localized("calendar_problem_both", ["date": format.day(date)])
        case .alreadyOff(let date): req.localized("calendar_problem_already_off", ["date": format.day(date)])
        case .alreadyWorking(let date): req.localized("calendar_problem_already_working", ["date": format.day(date)])
        case .statutoryHoliday(let date): req.localized("calendar_problem_statutory", ["date": format.day(date)])
        case .outsideYear(let date): req.localized("calendar_problem_outside_year", ["date": format.day(date)])
        case .unsupportedYear(let year): req.localized("calendar_problem_year", ["year": "\(year)"])
        }
    }

    private static func render(_ req: Request, year: Int, input: AdjustmentInput, errors: [String: String]) async throws -> View {
        let calendar = try await req.application.calendars.year(year, on: req.db)
        let adjustments = try await CalendarAdjustmentModel.query(on: req.db).filter(\.$year == year).sort(\.$date).all()
        let actor = try await req.actor()
        let canEdit = AccessPolicy.decide(actor, .create, Resource(.calendar)).isAllowed
        // The hours that count for the reader's own units (each inherited from above unless the unit sets its own).
        let tree = try await req.application.agencyTree.tree(on: req.db)
        var unitCodes: [String] = []
        if case .officer(_, let memberships) = actor {
            for code in memberships.compactMap(\.agency) where !unitCodes.contains(code) { unitCodes.append(code) }
        }
        let officeHours = [CalendarPageContext.UnitHours(unit: req.localized("calendar_standard_hours"), hours: OfficeHours.standard.text)]
            + unitCodes.compactMap { code in
                guard let node = tree.byCode[code], let hours = tree.officeHours(ofCode: code) else { return nil }
                return .init(unit: node.name, hours: hours.text)
            }
        let format = req.formatting
        var context = CalendarPageContext(
            page: PageContext(request: req, title: req.localized("admin_calendar_title", ["year": "\(year)"])),
            nav: .init(req), csrf: req.csrfToken, year: year,
            previousURL: year > VietnameseLunarCalendar.supportedYears.lowerBound ? SiteURL.adminCalendar.path + "?year=\(year - 1)" : nil,
            nextURL: year < VietnameseLunarCalendar.supportedYears.upperBound ? SiteURL.adminCalendar.path + "?year=\(year + 1)" : nil,
            lunarNewYear: format.day(calendar.lunarNewYear), hungKings: format.day(calendar.hungKings),
            workingDays: calendar.workingDayCount,
            holidays: calendar.holidays.map {
                .init(date: format.day($0.date), name: req.localized("holiday_" + $0.name), kind: req.localized("holiday_kind_" + $0.kind.rawValue))
            },
            extraWorkingDays: calendar.extraWorkingDays.map(format.day),
            adjustments: adjustments.compactMap { model in
                model.id.map {
                    .init(date: CivilDate(iso: model.date).map(format.day) ?? model.date, kind: req.localized("adjustment_kind_" + model.kind.rawValue), reference: model.reference,
                        removeURL: SiteURL.adminCalendarRemove($0).path)
                }
            },
            officeHours: officeHours, canEdit: canEdit, form: input, errors: errors)
        context.listProblems(order: ["date", "kind", "reference"], req)
        return try await req.view.render("admin-calendar", context)
    }

    @Sendable static func addAgain(req: Request) async throws -> View {
        let input = (try? req.content.decode(AdjustmentInput.self)) ?? .init()
        let year = CivilDate(iso: input.date ?? "").map(\.year)
            .flatMap { VietnameseLunarCalendar.supportedYears.contains($0) ? $0 : nil } ?? LocalMinute(req.now).date.year
        return try await render(req, year: year, input: input, errors: [:])
    }
}

struct CalendarPageContext: FormPageContext {
    struct Day: Encodable {
        var date: String
        var name: String
        var kind: String
    }

    struct UnitHours: Encodable {
        var unit: String
        var hours: String
    }

    struct Adjustment: Encodable {
        var date: String
        var kind: String
        var reference: String
        var removeURL: String
    }

    var page: PageContext
    var nav: AdminNav
    var csrf: String
    var year: Int
    var previousURL: String?
    var nextURL: String?
    var lunarNewYear: String
    var hungKings: String
    var workingDays: Int
    var holidays: [Day]
    var extraWorkingDays: [String]
    var adjustments: [Adjustment]
    var officeHours: [UnitHours]
    var canEdit: Bool
    var form: CalendarAdminController.AdjustmentInput
    var errors: [String: String]
    var problems: [FormProblem] = []
}

/// Emitted whenever a year's calendar changes: every open dossier whose deadlines fall in or after that year has
/// them recomputed by the registered recomputers (the dossier store registers one when it exists).
struct CalendarChangedJob: JobHandler {
    struct Payload: Codable, Sendable {
        var year: Int
    }

    static let kind = "calendar.changed"

    func handle(_ payload: Payload, context: JobContext) async throws {
        for recompute in context.application.deadlineRecomputers {
            try await recompute(payload.year, context)
        }
        context.logger.info("calendar change handled", metadata: [
            "year": "\(payload.year)", "recomputers": "\(context.application.deadlineRecomputers.count)",
        ])
    }
}

extension Application {
    typealias DeadlineRecomputer = @Sendable (_ fromYear: Int, _ context: JobContext) async throws -> Void

    private struct RecomputersKey: StorageKey {
        typealias Value = [DeadlineRecomputer]
    }

    /// What recomputes stored deadlines after a calendar change; each must be idempotent (jobs may run twice).
    var deadlineRecomputers: [DeadlineRecomputer] {
        get { storage[RecomputersKey.self] ?? [] }
        set { storage[RecomputersKey.self] = newValue }
    }
}
