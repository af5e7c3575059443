import Domain
import Fluent
import Vapor

/// Pages for agency and system administrators (auditors read them): officers and their roles, sub-units, API
/// tokens. Each handler goes through `Administration`, which asks the access policy about every record.
enum AdminController {
    /// Refuses those the access policy keeps out of the administration pages (403) before any page work.
    private static func administration(_ req: Request) async throws -> Administration {
        let change = try await req.change()
        try requireAdministering(change.actor, req)
        return try await Administration(change)
    }

    /// Throws the policy's refusal unless `actor` may open the administration pages.
    static func requireAdministering(_ actor: Actor, _ req: Request) throws {
        try ChangeContext.enforce(
            AccessPolicy.mayOpenAdministration(actor), action: .read, resource: Resource(.officer), logger: req.logger)
    }

    /// Runs a form's action; when it refuses the form's fields, shows the form again with them and the refusal's
    /// status. Any other error goes on to the error page.
    private static func submit(
        _ req: Request, _ action: () async throws -> Response, orShow form: ([FieldError]) async throws -> View
    ) async throws -> Response {
        do {
            return try await action()
        } catch let error as UserError {
            guard case .invalidFields(let errors) = error.kind else { throw error }
            return try await form(errors.fields).encodeResponse(status: error.status, for: req)
        }
    }

    @Sendable static func home(req: Request) async throws -> Response {
        _ = try await administration(req)
        return req.redirect(to: SiteURL.adminOfficers.path, redirectType: .normal)
    }

    // MARK: Officers

    @Sendable static func officers(req: Request) async throws -> View {
        let admin = try await administration(req)
        let filter = (try? req.query.get(String.self, at: "agency")).flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
        let officers = try await admin.officers(in: filter)
        let context = OfficersContext(
            page: PageContext(request: req, title: req.localized("admin_officers_title")), nav: .init(req),
            filter: filter ?? "", officers: officers.map { OfficersContext.Row($0, req) })
        return try await req.view.render("admin-officers", context)
    }

    @Sendable static func newOfficerForm(req: Request) async throws -> View {
        _ = try await administration(req)
        return try await renderNewOfficer(req, input: .init(), errors: [])
    }

    @Sendable static func createOfficer(req: Request) async throws -> Response {
        let admin = try await administration(req)
        let input = try req.content.decode(Administration.NewOfficer.self)
        return try await submit(req, {
            let officer = try await admin.createOfficer(input)
            return req.redirect(to: Notice.officerInvited.after(SiteURL.adminOfficer(officer.id).path), redirectType: .normal)
        }, orShow: {
            try await renderNewOfficer(req, input: input, errors: $0)
        })
    }

    @Sendable static func officer(req: Request) async throws -> Response {
        let admin = try await administration(req)
        return try await renderOfficer(req, admin, id: try officerID(req), input: .init(), errors: [], viewing: true)
            .encodeResponse(for: req)
    }

    @Sendable static func grantRole(req: Request) async throws -> Response {
        let admin = try await administration(req)
        let id = try officerID(req)
        let input = try req.content.decode(Administration.NewRole.self)
        return try await submit(req, {
            _ = try await admin.grant(input, to: id)
            return req.redirect(to: Notice.roleGranted.after(SiteURL.adminOfficer(id).path), redirectType: .normal)
        }, orShow: {
            try await renderOfficer(req, admin, id: id, input: input, errors: $0)
        })
    }

    @Sendable static func revokeRole(req: Request) async throws -> Response {
        let admin = try await administration(req)
        let id = try officerID(req)
        guard let membership = req.parameters.get("membership").flatMap(UUID.init(uuidString:)) else {
            throw UserError(.recordNotFound)
        }
        let officer = try await admin.revoke(membership: membership, of: id)
        // Without a role left in the admin's units the officer's page is no longer theirs to open: back to the list.
        let next = officer.roles.isEmpty ? SiteURL.adminOfficers.path : SiteURL.adminOfficer(id).path
        return req.redirect(to: Notice.roleRevoked.after(next), redirectType: .normal)
    }

    private static func officerID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UserError(.recordNotFound) }
        return id
    }

    private static func renderNewOfficer(_ req: Request, input: Administration.NewOfficer, errors: [FieldError])
        async throws -> View
    {
        var context = NewOfficerContext(
            page: PageContext(request: req, title: req.localized("admin_new_officer_title")), nav: .init(req),
            csrf: req.csrfToken, form: input, roles: RoleOption.all(req, selected: input.role),
            errors: FieldErrorText.messages(errors, req))
        context.listProblems(order: errors.map(\.field), req)
        return try await req.view.render("admin-officer-new", context)
    }

    private static func renderOfficer(
        _ req: Request, _ admin: Administration, id: UUID, input: Administration.NewRole, errors: [FieldError],
        viewing: Bool = false
    ) async throws -> View {
        // Opening the page shows the officer's contact details: that look is recorded.
        let officer = viewing ? try await admin.viewOfficer(id: id) : try await admin.officer(id: id)
        var context = OfficerContext(
            page: PageContext(request: req, title: officer.fullName), nav: .init(req), csrf: req.csrfToken,
            officer: .init(officer, req), grantURL: SiteURL.adminGrantRole(officer.id).path, grant: input, roles: RoleOption.all(req, selected: input.role),
            errors: FieldErrorText.messages(errors, req))
        context.listProblems(order: errors.map(\.field), req)
        return try await req.view.render("admin-officer", context)
    }

    // MARK: Units

    @Sendable static func units(req: Request) async throws -> View {
        let admin = try await administration(req)
        return try await renderUnits(req, admin, input: .init(), errors: [])
    }

    @Sendable static func createUnit(req: Request) async throws -> Response {
        let admin = try await administration(req)
        let input = try req.content.decode(Administration.NewUnit.self)
        return try await submit(req, {
            _ = try await admin.createUnit(input)
            return req.redirect(
                to: Notice.unitCreated.after(SiteURL.adminUnits.path + "?parent=" + AgencyAPIController.queryValue(input.parent ?? "")),
                redirectType: .normal)
        }, orShow: {
            try await renderUnits(req, admin, input: input, errors: $0)
        })
    }

    @Sendable static func setOfficeHours(req: Request) async throws -> Response {
        let admin = try await administration(req)
        let input = try req.content.decode(Administration.NewOfficeHours.self)
        return try await submit(req, {
            try await admin.setOfficeHours(input)
            return req.redirect(
                to: Notice.officeHoursSaved.after(
                    SiteURL.adminUnits.path + "?parent=" + AgencyAPIController.queryValue(input.agency ?? "")),
                redirectType: .normal)
        }, orShow: {
            try await renderUnits(req, admin, input: .init(parent: input.agency), errors: $0, hoursInput: input.hours)
        })
    }

    private static func renderUnits(
        _ req: Request, _ admin: Administration, input: Administration.NewUnit, errors: [FieldError],
        hoursInput: String? = nil
    ) async throws -> View {
        let parentCode = input.parent ?? (try? req.query.get(String.self, at: "parent")) ?? ""
        let parent = admin.tree.byCode[parentCode]
        if !parentCode.isEmpty, parent == nil { throw UserError(.agencyNotFound(code: parentCode)) }
        let children = try await AgencyQueries.children(of: parent?.id, on: req.db)
        var context = UnitsContext(
            page: PageContext(request: req, title: req.localized("admin_units_title")), nav: .init(req),
            csrf: req.csrfToken, parent: parent.map { AgencyRef(code: $0.code, name: $0.name) },
            children: children.map { UnitsContext.Child(code: $0.code, name: $0.name, kind: req.localized("kind_" + $0.kind.rawValue)) },
            officeHours: admin.tree.officeHours(ofCode: parentCode)?.text ?? "",
            hoursInput: hoursInput,
            form: input, kinds: Administration.unitKinds.map { RoleOption(value: $0.rawValue, label: req.localized("kind_" + $0.rawValue), selected: input.kind == $0.rawValue) },
            errors: FieldErrorText.messages(errors, req))
        context.listProblems(order: ["hours"] + errors.map(\.field), req)
        // The unit picker: find a unit by its name however it is typed, then open it.
        if let text = try AgencyAPIController.searchText(req) {
            context.q = text
            context.matches = admin.tree.search.search(text, limit: AgencyAPIController.defaultLimit).compactMap { found in
                admin.tree.byCode[found.code].map { .init(code: $0.code, name: $0.name, kind: req.localized("kind_" + $0.kind.rawValue)) }
            }
            context.noMatches = context.matches?.isEmpty ?? false
        }
        return try await req.view.render("admin-units", context)
    }

    // MARK: Audit log

    /// `GET /admin/audit`: the audit log for auditors and system administrators. Looks at personal data still
    /// being gathered are sealed first, so none is missing; the chain is checked from the last checkpoint (what was
    /// added since), and the page says when it was last checked in full.
    @Sendable static func audit(req: Request) async throws -> View {
        let admin = try await administration(req)
        try await req.authorize(.read, Resource(.auditLog, agencyPath: try await auditScope(req)))
        let before = try? req.query.get(Int.self, at: "before")
        let now = req.now
        try await AuditLooks.seal(endedBefore: nil, on: req.db)
        let check = try await AuditLog.checkSinceCheckpoint(on: req.db, now: now)
        let lines = try await admin.auditEntries(before: before)
        let status: String =
            switch check.verification {
            case .intact(let count): req.localized("audit_chain_intact", ["n": "\(count)"])
            case .broken(let seq): req.localized("audit_chain_broken", ["seq": "\(seq)"])
            }
        let context = AuditContext(
            page: PageContext(request: req, title: req.localized("admin_audit_title")), nav: .init(req),
            csrf: req.csrfToken, chain: status, intact: check.verification.isIntact,
            lastFullCheck: check.lastFullCheck.map { req.localized("audit_full_check_at", ["time": VietnamTime.dateTime($0)]) }
                ?? req.localized("audit_full_check_never"),
            verifyURL: SiteURL.adminAuditVerify.path,
            lines: lines.map {
                .init(seq: $0.seq, time: VietnamTime.dateTime($0.at), actor: $0.actor, action: $0.action,
                    subject: $0.subject, agency: $0.agency ?? "—", details: $0.details == "{}" ? "" : $0.details)
            },
            older: lines.count == 100 ? lines.last.map { SiteURL.adminAudit.path + "?before=\($0.seq)" } : nil)
        return try await req.view.render("admin-audit", context)
    }

    /// `POST /admin/audit/verify`: queues a check of the whole chain (the worker runs it), at most one at a time.
    @Sendable static func verifyAudit(req: Request) async throws -> Response {
        _ = try await administration(req)
        try await req.authorize(.read, Resource(.auditLog, agencyPath: try await auditScope(req)))
        try await AuditVerifyJob.enqueueUnlessPending(now: req.now, on: req.db)
        return req.redirect(to: Notice.auditVerifyQueued.after(SiteURL.adminAudit.path), redirectType: .normal)
    }

    /// The unit whose log an auditor or admin reads: their first unit with a reading role (any reaching
    /// membership suffices for the policy; each line is then filtered by its own units).
    private static func auditScope(_ req: Request) async throws -> [String] {
        guard case .officer(_, let memberships) = try await req.actor() else { return [] }
        let tree = try await req.application.agencyTree.tree(on: req.db)
        let reading = memberships.first { $0.role == .auditor || $0.role == .systemAdmin }
        return reading?.agency.flatMap { tree.path(ofCode: $0) } ?? []
    }

    // MARK: Tokens

    @Sendable static func tokens(req: Request) async throws -> View {
        let admin = try await administration(req)
        return try await renderTokens(req, admin, created: nil, input: .init(), errors: [])
    }

    @Sendable static func createToken(req: Request) async throws -> Response {
        let admin = try await administration(req)
        let input = try req.content.decode(Administration.NewToken.self)
        return try await submit(req, {
            let created = try await admin.createToken(input)
            // Shown on this response only: no redirect, so the token never sits in a URL or history.
            let response = try await renderTokens(req, admin, created: created.token, input: .init(), errors: [])
                .encodeResponse(status: .created, for: req)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }, orShow: {
            try await renderTokens(req, admin, created: nil, input: input, errors: $0)
        })
    }

    @Sendable static func revokeToken(req: Request) async throws -> Response {
        let admin = try await administration(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UserError(.recordNotFound) }
        try await admin.revokeToken(id: id)
        return req.redirect(to: Notice.tokenRevoked.after(SiteURL.adminTokens.path), redirectType: .normal)
    }

    private static func renderTokens(
        _ req: Request, _ admin: Administration, created: String?, input: Administration.NewToken, errors: [FieldError]
    ) async throws -> View {
        let tokens = try await admin.tokens()
        var context = TokensContext(
            page: PageContext(request: req, title: req.localized("admin_tokens_title")), nav: .init(req),
            csrf: req.csrfToken, created: created, form: input,
            tokens: tokens.map { token in
                .init(
                    id: token.id.uuidString, name: token.name, agency: token.agency.map { "\($0.name) (\($0.code))" }
                        ?? req.localized("role_whole_system"),
                    permissions: token.permissions.joined(separator: ", "),
                    lastUsed: token.lastUsedAt.map(VietnamTime.dateTime) ?? "—", revoked: token.revokedAt != nil,
                    revokeURL: SiteURL.adminTokenRevoke(token.id).path)
            }, errors: FieldErrorText.messages(errors, req))
        context.listProblems(order: errors.map(\.field), req)
        return try await req.view.render("admin-tokens", context)
    }

    // MARK: Shown again (a lost anti-forgery token)

    @Sendable static func newOfficerAgain(req: Request) async throws -> View {
        _ = try await administration(req)
        let input = (try? req.content.decode(Administration.NewOfficer.self)) ?? .init()
        return try await renderNewOfficer(req, input: input, errors: [])
    }

    @Sendable static func grantRoleAgain(req: Request) async throws -> View {
        let admin = try await administration(req)
        let input = (try? req.content.decode(Administration.NewRole.self)) ?? .init()
        return try await renderOfficer(req, admin, id: try officerID(req), input: input, errors: [])
    }

    @Sendable static func unitsAgain(req: Request) async throws -> View {
        let admin = try await administration(req)
        let input = (try? req.content.decode(Administration.NewUnit.self)) ?? .init()
        return try await renderUnits(req, admin, input: input, errors: [])
    }

    @Sendable static func officeHoursAgain(req: Request) async throws -> View {
        let admin = try await administration(req)
        let input = (try? req.content.decode(Administration.NewOfficeHours.self)) ?? .init()
        return try await renderUnits(req, admin, input: .init(parent: input.agency), errors: [], hoursInput: input.hours)
    }

    @Sendable static func tokensAgain(req: Request) async throws -> View {
        let admin = try await administration(req)
        let input = (try? req.content.decode(Administration.NewToken.self)) ?? .init()
        return try await renderTokens(req, admin, created: nil, input: input, errors: [])
    }
}

// MARK: - Contexts

/// The administration section's own links.
struct AdminNav: Encodable {
    var officers = SiteURL.adminOfficers.path
    var newOfficer = SiteURL.adminNewOfficer.path
    var units = SiteURL.adminUnits.path
    var tokens = SiteURL.adminTokens.path
    /// Nil for those who may not read the audit log or the job queue: the navigation offers only what opens.
    var audit: String?
    var calendar = SiteURL.adminCalendar.path
    var jobs: String?

    init(_ req: Request) {
        guard let actor = req.knownActor else { return }
        let memberships: [Membership] = if case .officer(_, let memberships) = actor { memberships } else { [] }
        let reads = { (kind: Resource.Kind) in
            memberships.contains { membership in
                let path = membership.agency.map { [$0] } ?? []
                return AccessPolicy.decide(actor, .read, Resource(kind, agencyPath: path)).isAllowed
            }
        }
        audit = reads(.auditLog) ? SiteURL.adminAudit.path : nil
        jobs = reads(.jobQueue) ? SiteURL.adminJobs.path : nil
    }
}

struct RoleOption: Encodable {
    var value: String
    var label: String
    var selected: Bool

    static func all(_ req: Request, selected: String?) -> [RoleOption] {
        Domain.Role.allCases.map { RoleOption(value: $0.rawValue, label: req.localized("role_" + $0.rawValue), selected: $0.rawValue == selected) }
    }
}

struct OfficersContext: Encodable {
    struct Row: Encodable {
        var url: String
        var fullName: String
        var email: String
        var roles: [String]

        init(_ officer: Administration.Officer, _ req: Request) {
            url = SiteURL.adminOfficer(officer.id).path
            fullName = officer.fullName
            email = officer.email
            roles = officer.roles.map { OfficerContext.roleLine($0, req) }
        }
    }

    var page: PageContext
    var nav: AdminNav
    var filter: String
    var officers: [Row]
}

struct NewOfficerContext: FormPageContext {
    var page: PageContext
    var nav: AdminNav
    var csrf: String
    var form: Administration.NewOfficer
    var roles: [RoleOption]
    var errors: [String: String]
    var problems: [FormProblem] = []
}

struct OfficerContext: FormPageContext {
    struct Details: Encodable {
        var fullName: String
        var email: String
        var phone: String
        var roles: [Held]

        init(_ officer: Administration.Officer, _ req: Request) {
            fullName = officer.fullName
            email = officer.email
            phone = officer.phone
            roles = officer.roles.map {
                Held(label: OfficerContext.roleLine($0, req), revokeURL: SiteURL.adminRevokeRole(officer.id, $0.id).path)
            }
        }
    }

    struct Held: Encodable {
        var label: String
        var revokeURL: String
    }

    var page: PageContext
    var nav: AdminNav
    var csrf: String
    var officer: Details
    var grantURL: String
    var grant: Administration.NewRole
    var roles: [RoleOption]
    var errors: [String: String]
    var problems: [FormProblem] = []

    static func roleLine(_ role: Administration.Officer.Role, _ req: Request) -> String {
        req.localized("role_" + role.role.rawValue) + " — "
            + (role.agency.map { "\($0.name) (\($0.code))" } ?? req.localized("role_whole_system"))
    }
}

struct UnitsContext: FormPageContext {
    struct Child: Encodable {
        var code: String
        var name: String
        var kind: String
    }

    var page: PageContext
    var nav: AdminNav
    var csrf: String
    var parent: AgencyRef?
    var children: [Child]
    /// The hours that apply at the parent unit (its own or inherited).
    var officeHours: String
    /// What was typed into the hours field, when it is shown again with an error.
    var hoursInput: String?
    var form: Administration.NewUnit
    var kinds: [RoleOption]
    var errors: [String: String]
    var problems: [FormProblem] = []
    /// A search by name (`?q=`): what was typed, and the units found.
    var q = ""
    var matches: [Child]? = nil
    var noMatches = false
}

struct AuditContext: Encodable {
    struct Line: Encodable {
        var seq: Int
        var time: String
        var actor: String
        var action: String
        var subject: String
        var agency: String
        var details: String
    }

    var page: PageContext
    var nav: AdminNav
    var csrf: String
    /// "The chain of 1,234 entries is intact", or where it breaks.
    var chain: String
    var intact: Bool
    /// "Last checked in full: 02/12/2026 03:00", or never.
    var lastFullCheck: String
    var verifyURL: String
    var lines: [Line]
    var older: String?
}

struct TokensContext: FormPageContext {
    struct Row: Encodable {
        var id: String
        var name: String
        var agency: String
        var permissions: String
        var lastUsed: String
        var revoked: Bool
        var revokeURL: String
    }

    var page: PageContext
    var nav: AdminNav
    var csrf: String
    /// The new token, on the one response that shows it.
    var created: String?
    var form: Administration.NewToken
    var tokens: [Row]
    var errors: [String: String]
    var problems: [FormProblem] = []
}
