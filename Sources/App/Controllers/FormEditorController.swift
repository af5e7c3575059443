import Domain
import Fluent
import Vapor

/// `/admin/procedures/{code}/form`: a procedure's e-form as JSON, with a preview of the form a citizen fills. The
/// managing agency's administrators and system administrators save new versions, giving a reason; a broken
/// definition is refused with every reason, and what was typed stays in the box. Others with the administration
/// pages read it.
enum FormEditorController {
    struct Input: Content {
        var definition: String?
        var reason: String?
        /// The version the editor opened ("" for the standard form).
        var base: String?
        /// `preview` or `save`.
        var action: String?
    }

    static let maximumReasonLength = 300
    /// A definition of `ProcedureForms.largestDefinition`, URL-encoded (Vietnamese letters take up to nine bytes).
    static let bodyLimit: ByteCount = "2mb"

    @Sendable static func show(req: Request) async throws -> View {
        try AdminController.requireAdministering(try await req.actor(), req)
        let found = try await procedure(req)
        let current = try await ProcedureForms.current(of: found, on: req.db)
        let input = Input(definition: pretty(current.definition), reason: "", base: current.version.map(String.init))
        return try await render(req, found, input: input, definition: current.definition, problems: [], errors: [:])
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        try AdminController.requireAdministering(try await req.actor(), req)
        let found = try await procedure(req)
        let input = try req.content.decode(Input.self)
        let localization = req.application.localization
        var errors: [String: String] = [:]
        var problems: [String] = []
        var definition: FormDefinition?
        switch ProcedureForms.read(input.definition ?? "") {
        case .success(let read):
            definition = read
            problems = read.problems.map { DefinitionProblemText.message($0, localization, req.language) }
        case .failure(let refusal):
            problems = [DefinitionProblemText.message(refusal, localization, req.language)]
        }
        if !problems.isEmpty { errors["definition"] = problems.count == 1 ? problems[0] : req.localized("form_definition_problems", ["count": "\(problems.count)"]) }
        guard input.action == "save" else {
            // A preview saves nothing: the form as it would be, with its problems.
            return try await render(req, found, input: input, definition: definition, problems: problems, errors: errors)
                .encodeResponse(status: errors.isEmpty ? .ok : .badRequest, for: req)
        }
        let (reason, reasonProblem) = TextInput.field(input.reason ?? "", maxLength: maximumReasonLength, multiline: true)
        if reason.isEmpty {
            errors["reason"] = FieldErrorText.message(.required, localization, req.language)
        } else if let reasonProblem {
            errors["reason"] = FieldErrorText.message(reasonProblem, localization, req.language)
        }
        let base: Int? = input.base.flatMap { Int($0) }
        guard errors.isEmpty, let definition else {
            return try await render(req, found, input: input, definition: definition, problems: problems, errors: errors)
                .encodeResponse(status: .badRequest, for: req)
        }
        do {
            try await ProcedureForms.save(definition, reason: reason, base: base, of: found, context: try await req.change())
        } catch ProcedureForms.Refusal.changedSince(_, let current) {
            errors["definition"] = req.localized("form_definition_changed_since", ["version": "\(current)"])
            return try await render(req, found, input: input, definition: definition, problems: [], errors: errors)
                .encodeResponse(status: .conflict, for: req)
        }
        return req.redirect(
            to: Notice.formSaved.after(SiteURL.adminProcedureForm(code: found.model.code).path), redirectType: .normal)
    }

    @Sendable static func submitAgain(req: Request) async throws -> View {
        try AdminController.requireAdministering(try await req.actor(), req)
        let found = try await procedure(req)
        let current = try await ProcedureForms.current(of: found, on: req.db)
        var input = (try? req.content.decode(Input.self)) ?? Input()
        input.definition = input.definition ?? pretty(current.definition)
        let definition = (try? ProcedureForms.read(input.definition ?? "").get()) ?? current.definition
        return try await render(req, found, input: input, definition: definition, problems: [], errors: [:])
    }

    private static func procedure(_ req: Request) async throws -> CatalogueQueries.FoundProcedure {
        let code = req.parameters.get("code") ?? ""
        guard let found = try await CatalogueQueries.procedure(code: code, on: req.db) else {
            throw UserError(.procedureNotFound(code: code))
        }
        return found
    }

    /// The definition as the editor shows it: indented, keys in a stable order.
    static func pretty(_ definition: FormDefinition) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(definition)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    private static func render(
        _ req: Request, _ found: CatalogueQueries.FoundProcedure, input: Input, definition: FormDefinition?,
        problems: [String], errors: [String: String]
    ) async throws -> View {
        let resource = try await ProcedureSettings.resource(of: found, app: req.application)
        let current = try await ProcedureForms.current(of: found, on: req.db)
        var context = FormEditorContext(
            page: PageContext(request: req, title: req.localized("form_editor_title")), nav: .init(req),
            csrf: req.csrfToken, code: found.procedure.code, name: found.procedure.name, agency: found.agencyName,
            settingsURL: SiteURL.adminProcedure(code: found.procedure.code).path,
            actionURL: SiteURL.adminProcedureForm(code: found.procedure.code).path,
            version: current.version.map { req.localized("form_version", ["version": "\($0)"]) }
                ?? req.localized("form_standard"),
            definition: input.definition ?? "", reason: input.reason ?? "", base: input.base ?? "",
            canEdit: AccessPolicy.decide(try await req.actor(), .update, resource).isAllowed,
            definitionProblems: problems, documents: current.slots.map(\.name),
            eform: definition.map { EFormRenderer(request: req).view($0, values: .empty, errors: []) },
            errors: errors)
        context.listProblems(order: ["definition", "reason"], req)
        return try await req.view.render("admin-procedure-form", context)
    }
}

struct FormEditorContext: FormPageContext {
    var page: PageContext
    var nav: AdminNav
    var csrf: String
    var code: String
    var name: String
    var agency: String
    var settingsURL: String
    var actionURL: String
    /// "Version 3", or "standard form".
    var version: String
    var definition: String
    var reason: String
    var base: String
    var canEdit: Bool
    /// Every problem of the definition, each a sentence.
    var definitionProblems: [String]
    var documents: [String]
    /// The preview: the form as a citizen sees it.
    var eform: EFormView?
    var errors: [String: String]
    var problems: [FormProblem] = []
}

/// Sentences for what is wrong with a form definition, in the reader's language (`form_definition_*` keys).
enum DefinitionProblemText {
    static func message(_ problem: DefinitionProblem, _ localization: Localization, _ language: Language) -> String {
        func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
            problem.path + ": " + localization.string("form_definition_" + key, language, arguments)
        }
        switch problem.reason {
        case .noSections: return text("no_sections")
        case .tooManySections(let max): return text("too_many_sections", ["max": "\(max)"])
        case .tooManyFields(let max): return text("too_many_fields", ["max": "\(max)"])
        case .noFields: return text("no_fields")
        case .invalidKey(let key): return text("invalid_key", ["key": key])
        case .duplicateKey(let key): return text("duplicate_key", ["key": key])
        case .emptyLabel: return text("empty_label")
        case .labelTooLong(let max): return text("label_too_long", ["max": "\(max)"])
        case .controlCharacters: return text("control_characters")
        case .propertyNotForType(let property, let type):
            return text("property_not_for_type", ["property": property, "type": type.rawValue])
        case .missingOptions: return text("missing_options")
        case .tooManyOptions(let max): return text("too_many_options", ["max": "\(max)"])
        case .duplicateOption(let value): return text("duplicate_option", ["value": value])
        case .emptyOptionValue: return text("empty_option_value")
        case .invalidLimit(let property): return text("invalid_limit", ["property": property])
        case .nestedGroup: return text("nested_group")
        case .unknownConditionField(let field): return text("unknown_condition_field", ["field": field])
        case .conditionOnCompound(let field): return text("condition_on_compound", ["field": field])
        case .conditionValueImpossible(let value): return text("condition_value_impossible", ["value": value])
        case .prefillMismatch(let prefill): return text("prefill_mismatch", ["prefill": prefill.rawValue])
        }
    }

    static func message(_ refusal: ProcedureForms.Refusal, _ localization: Localization, _ language: Language) -> String {
        switch refusal {
        case .unreadable(let path, let detail):
            return localization.string(
                "form_definition_unreadable", language, ["path": path.isEmpty ? "/" : path, "detail": detail])
        case .broken(let problems):
            return problems.map { message($0, localization, language) }.joined(separator: " ")
        case .changedSince(_, let current):
            return localization.string("form_definition_changed_since", language, ["version": "\(current)"])
        }
    }
}
