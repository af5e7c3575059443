import Domain
import Fluent
import Vapor

/// `/admin/procedures/{code}`: the settings a platform keeps for a procedure beyond what the national portal
/// publishes. Today that is the pause rule (DESIGN.md §3): whether waiting for the applicant's supplement extends the
/// deadline by the paused time or restarts the period. The managing agency's administrators and system
/// administrators change it, giving a reason; auditors and other administrators read it.
enum ProcedureSettingsController {
    struct PauseRuleInput: Content {
        var rule: String?
        var reason: String?
    }

    static let maximumReasonLength = 300

    @Sendable static func show(req: Request) async throws -> View {
        try AdminController.requireAdministering(try await req.actor(), req)
        let found = try await procedure(req)
        return try await render(req, found, input: .init(rule: found.procedure.pauseRule.rawValue), errors: [:])
    }

    @Sendable static func setPauseRule(req: Request) async throws -> Response {
        let found = try await procedure(req)
        try await req.authorize(.update, found.resource)
        let input = try req.content.decode(PauseRuleInput.self)
        var errors: [String: String] = [:]
        let localization = req.application.localization
        let rule = PauseRule(rawValue: input.rule ?? "")
        if rule == nil {
            errors["rule"] = FieldErrorText.message(.notOneOf(PauseRule.allCases.map(\.rawValue)), localization, req.language)
        }
        let (reason, reasonProblem) = TextInput.field(input.reason ?? "", maxLength: maximumReasonLength, multiline: true)
        if reason.isEmpty {
            errors["reason"] = FieldErrorText.message(.required, localization, req.language)
        } else if let problem = reasonProblem {
            errors["reason"] = FieldErrorText.message(problem, localization, req.language)
        }
        guard errors.isEmpty, let rule else {
            return try await render(req, found, input: input, errors: errors).encodeResponse(status: .badRequest, for: req)
        }
        try await ProcedureSettings.setPauseRule(rule, reason: reason, of: found.procedure, context: try await req.change())
        let model = found.procedure.model
        return req.redirect(to: Notice.settingsSaved.after(SiteURL.adminProcedure(code: model.code).path), redirectType: .normal)
    }

    private struct Found {
        var procedure: CatalogueQueries.FoundProcedure
        /// The catalogue record as the access policy sees it: owned by its managing agency.
        var resource: Resource
    }

    private static func procedure(_ req: Request) async throws -> Found {
        let code = req.parameters.get("code") ?? ""
        guard let found = try await CatalogueQueries.procedure(code: code, on: req.db) else {
            throw UserError(.procedureNotFound(code: code))
        }
        return Found(procedure: found, resource: try await ProcedureSettings.resource(of: found, app: req.application))
    }

    private static func render(_ req: Request, _ found: Found, input: PauseRuleInput, errors: [String: String])
        async throws -> View
    {
        let canEdit = AccessPolicy.decide(try await req.actor(), .update, found.resource).isAllowed
        let current = found.procedure.pauseRule
        var context = ProcedureSettingsContext(
            page: PageContext(request: req, title: req.localized("procedure_settings_title")), nav: .init(req),
            csrf: req.csrfToken, code: found.procedure.procedure.code, name: found.procedure.procedure.name,
            agency: found.procedure.agencyName, procedureURL: SiteURL.procedure(code: found.procedure.procedure.code).path,
            actionURL: SiteURL.adminProcedurePauseRule(code: found.procedure.procedure.code).path,
            formURL: SiteURL.adminProcedureForm(code: found.procedure.procedure.code).path,
            formVersion: try await ProcedureForms.current(of: found.procedure, on: req.db).version
                .map { req.localized("form_version", ["version": "\($0)"]) } ?? req.localized("form_standard"),
            current: req.localized("pause_rule_" + current.rawValue),
            rules: PauseRule.allCases.map {
                .init(value: $0.rawValue, label: req.localized("pause_rule_" + $0.rawValue), selected: $0.rawValue == input.rule)
            },
            reason: input.reason ?? "", canEdit: canEdit, errors: errors)
        context.listProblems(order: ["rule", "reason"], req)
        return try await req.view.render("admin-procedure", context)
    }

    @Sendable static func pauseRuleAgain(req: Request) async throws -> View {
        try AdminController.requireAdministering(try await req.actor(), req)
        let found = try await procedure(req)
        let input = (try? req.content.decode(PauseRuleInput.self)) ?? .init(rule: found.procedure.pauseRule.rawValue)
        return try await render(req, found, input: input, errors: [:])
    }
}

struct ProcedureSettingsContext: FormPageContext {
    var page: PageContext
    var nav: AdminNav
    var csrf: String
    var code: String
    var name: String
    var agency: String
    var procedureURL: String
    var actionURL: String
    var formURL: String
    /// "Version 2", or the standard form.
    var formVersion: String
    var current: String
    var rules: [Option]
    var reason: String
    var canEdit: Bool
    var errors: [String: String]
    var problems: [FormProblem] = []
}
