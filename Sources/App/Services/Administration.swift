import Domain
import Fluent
import SQLKit
import Vapor

/// Officers, their roles, sub-units and API tokens: what agency admins manage. Pages, the API and the command line
/// all call these, and every call asks `AccessPolicy` about the actor and the record's agency, so they cannot
/// disagree.
struct Administration {
    let context: ChangeContext
    let tree: AgencyTree

    init(_ context: ChangeContext) async throws {
        self.context = context
        self.tree = try await context.app.agencyTree.tree(on: context.database)
    }

    private var db: any Database { context.database }
    private var actor: Actor { context.actor }

    // MARK: Officers

    struct Officer: Content {
        struct Role: Content {
            var id: UUID
            var role: Domain.Role
            /// Nil: the whole system.
            var agency: AgencyRef?
        }

        var id: UUID
        var fullName: String
        var email: String
        var phone: String
        var roles: [Role]
    }

    /// The officers the actor may see: those holding a role in a unit the actor reaches; with `agency`, only
    /// those holding one in that unit or under it.
    func officers(in agency: String? = nil) async throws -> [Officer] {
        let filterPath = try agency.map { code throws -> [String] in
            guard let path = tree.path(ofCode: code) else { throw UserError(.agencyNotFound(code: code)) }
            return path
        }
        let accounts = try await AccountModel.query(on: db).filter(\.$kind == .officer).sort(\.$fullName).all()
        let memberships = Dictionary(grouping: try await MembershipModel.query(on: db).all(), by: { $0.$account.id })
        return accounts.compactMap { account -> Officer? in
            guard let id = account.id else { return nil }
            let held = memberships[id] ?? []
            let paths = held.map { tree.path(of: $0.$agency.id) }
            let visible =
                paths.contains { AccessPolicy.decide(actor, .read, Resource(.officer, agencyPath: $0)).isAllowed }
                || (held.isEmpty && AccessPolicy.decide(actor, .read, Resource(.officer)).isAllowed)
            guard visible else { return nil }
            // The filter looks only at roles the actor may see: filtering by another province's code must not
            // pick out which of one's own officers also work there.
            if let filterPath, let last = filterPath.last,
                !paths.contains(where: { $0.contains(last) && AccessPolicy.decide(actor, .read, Resource(.officer, agencyPath: $0)).isAllowed })
            {
                return nil
            }
            return officer(account, held, readBy: actor)
        }
    }

    /// One officer, if the actor may see them: 404 when there is no such officer, 403 when they work elsewhere.
    func officer(id: UUID) async throws -> Officer {
        guard let account = try await AccountModel.find(id, on: db), account.kind == .officer else {
            throw UserError(.recordNotFound)
        }
        let held = try await MembershipModel.query(on: db).filter(\.$account.$id == id).all()
        let paths = held.isEmpty ? [[]] : held.map { tree.path(of: $0.$agency.id) }
        guard paths.contains(where: { AccessPolicy.decide(actor, .read, Resource(.officer, agencyPath: $0)).isAllowed })
        else {
            try context.authorize(.read, Resource(.officer, agencyPath: paths.first ?? []))
            throw UserError(.denied(.outsideTheActorsAgencies))
        }
        return officer(account, held, readBy: actor)
    }

    /// Records that the actor saw an officer's contact details (their personal data), then returns them. The look
    /// is filed under the officer's units and the reader's own, so the auditors of both see it; repeated looks
    /// within a few minutes are one entry with a count (`AuditLooks`).
    func viewOfficer(id: UUID) async throws -> Officer {
        let officer = try await officer(id: id)
        let recordUnits = try await MembershipModel.query(on: db).filter(\.$account.$id == id).all()
            .compactMap { $0.$agency.id.flatMap { tree.byID[$0]?.code } }
        try await AuditLooks.record(
            .init(
                actor: actor.auditName, subject: AuditLog.name("account", id),
                agency: officer.roles.first?.agency?.code ?? recordUnits.sorted().first,
                filedUnder: recordUnits + actor.units),
            at: context.now, on: db)
        context.logger.notice("personal_data.viewed", metadata: ["subject": "account:\(id)", "by": "\(actor.auditName)"])
        return officer
    }

    struct NewOfficer: Content {
        var fullName: String?
        var email: String?
        var phone: String?
        var agency: String?
        var role: String?
    }

    /// Creates an officer with a first role and emails them a link to choose their password (valid 72 hours), in
    /// one transaction: there is never an officer without an invitation, nor an invitation without an officer. Of
    /// two creations with the same email at once, the second is told the email is taken.
    func createOfficer(_ input: NewOfficer) async throws -> Officer {
        var errors: [FieldError] = []
        let (fullName, nameProblem) = TextInput.field(input.fullName ?? "", maxLength: RegistrationRules.maximumNameLength)
        if fullName.isEmpty { errors.append(FieldError("fullName", .required)) }
        if let nameProblem { errors.append(FieldError("fullName", nameProblem)) }
        let email = (input.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if email.isEmpty {
            errors.append(FieldError("email", .required))
        } else if !RegistrationRules.isEmail(email) {
            errors.append(FieldError("email", .invalidEmail))
        } else if try await AccountModel.query(on: db).filter(\.$email == email).count() > 0 {
            errors.append(FieldError("email", .alreadyRegistered))
        }
        let phone = RegistrationRules.normalizedPhone(input.phone ?? "")
        if phone == nil { errors.append(FieldError("phone", (input.phone ?? "").isEmpty ? .required : .invalidPhone)) }
        let grant = try await checkGrant(role: input.role, agency: input.agency, errors: &errors)
        guard errors.isEmpty, let phone, let grant else { throw UserError(.invalidFields(FormErrors(errors))) }

        let account = AccountModel()
        account.kind = .officer
        account.fullName = fullName
        account.email = email
        account.phone = phone
        account.language = context.language.rawValue
        // Nobody knows this password: the officer chooses theirs through the invitation link.
        account.passwordHash = try await Passwords.unusable(in: context.app)
        try await UniqueViolation.answer([.accountEmail: [FieldError("email", .alreadyRegistered)]]) {
            try await db.transaction { transaction in
                try await account.create(on: transaction)
                try await MembershipModel(accountID: account.requireID(), agencyID: grant.agencyID, role: grant.role)
                    .create(on: transaction)
                try await context.audit(
                    "officer.created", subject: AuditLog.name("account", try account.requireID()),
                    agency: grant.agencyCode, details: ["role": grant.role.rawValue], on: transaction)
                _ = try await PasswordResets.request(
                    for: account, purpose: .invitation, in: context.app, database: transaction, now: context.now)
            }
        }
        return try await officer(id: account.requireID())
    }

    struct NewRole: Content {
        var agency: String?
        var role: String?
    }

    /// Gives an officer one more role; giving one they already hold changes nothing.
    func grant(_ input: NewRole, to officerID: UUID) async throws -> Officer {
        _ = try await officer(id: officerID)
        var errors: [FieldError] = []
        guard let grant = try await checkGrant(role: input.role, agency: input.agency, errors: &errors), errors.isEmpty
        else { throw UserError(.invalidFields(FormErrors(errors))) }
        let existing = MembershipModel.query(on: db).filter(\.$account.$id == officerID).filter(\.$role == grant.role)
        if let agencyID = grant.agencyID { existing.filter(\.$agency.$id == agencyID) } else { existing.filter(\.$agency.$id == nil) }
        if try await existing.count() == 0 {
            try await db.transaction { transaction in
                try await MembershipModel(accountID: officerID, agencyID: grant.agencyID, role: grant.role)
                    .create(on: transaction)
                try await context.audit(
                    "role.granted", subject: AuditLog.name("account", officerID), agency: grant.agencyCode,
                    details: ["role": grant.role.rawValue], on: transaction)
            }
        }
        return try await officer(id: officerID)
    }

    /// Takes a role away, under the same rule as giving it; nobody removes their own roles.
    func revoke(membership membershipID: UUID, of officerID: UUID) async throws -> Officer {
        guard let membership = try await MembershipModel.find(membershipID, on: db), membership.$account.id == officerID
        else { throw UserError(.recordNotFound) }
        if case .officer(let id, _) = actor, id == officerID { throw UserError(.denied(.roleDoesNotAllow)) }
        let path = tree.path(of: membership.$agency.id)
        if case .deny(let reason) = AccessPolicy.mayGrant(membership.role, at: path, by: actor) {
            context.logger.notice("role revocation denied", metadata: ["reason": "\(reason.rawValue)"])
            throw UserError(.denied(reason))
        }
        try await db.transaction { transaction in
            try await membership.delete(on: transaction)
            try await context.audit(
                "role.revoked", subject: AuditLog.name("account", officerID), agency: path.last,
                details: ["role": membership.role.rawValue], on: transaction)
        }
        // The officer as this actor now sees them: with no role left in the actor's units they are no longer the
        // actor's to read, but the change was theirs to make, and they are told it was made (not refused).
        guard let account = try await AccountModel.find(officerID, on: db) else { throw UserError(.recordNotFound) }
        let left = try await MembershipModel.query(on: db).filter(\.$account.$id == officerID).all()
        return officer(account, left, readBy: actor)
    }

    /// Validates a role and unit to grant: the role exists, the unit exists (blank: the whole system), and the actor
    /// may grant that role there. Problems are added to `errors`.
    private func checkGrant(role rawRole: String?, agency rawAgency: String?, errors: inout [FieldError]) async throws
        -> (role: Domain.Role, agencyID: UUID?, agencyCode: String?)?
    {
        let role = Domain.Role(rawValue: rawRole ?? "")
        if role == nil { errors.append(FieldError("role", .notOneOf(Domain.Role.allCases.map(\.rawValue)))) }
        let code = (rawAgency ?? "").trimmingCharacters(in: .whitespaces)
        let node = code.isEmpty ? nil : tree.byCode[code]
        if !code.isEmpty, node == nil { errors.append(FieldError("agency", .unknownAgency(code: code))) }
        guard let role, code.isEmpty || node != nil else { return nil }
        let path = node.map { tree.path(of: $0.id) } ?? []
        switch AccessPolicy.mayGrant(role, at: path, by: actor) {
        case .allow:
            return (role, node?.id, node?.code)
        case .deny(.outsideTheActorsAgencies):
            errors.append(FieldError("agency", .notPermitted))
        case .deny:
            errors.append(FieldError("role", .notPermitted))
        }
        return nil
    }

    /// The officer as `actor` may see them: only the roles held in units the actor reaches (a Hà Nội admin does
    /// not learn what the same person does in Đà Nẵng).
    private func officer(_ account: AccountModel, _ memberships: [MembershipModel], readBy actor: Actor) -> Officer {
        Officer(
            id: account.id ?? UUID(), fullName: account.fullName, email: account.email, phone: account.phone,
            roles: memberships.compactMap { membership in
                guard let id = membership.id else { return nil }
                let path = tree.path(of: membership.$agency.id)
                guard AccessPolicy.decide(actor, .read, Resource(.officer, agencyPath: path)).isAllowed else { return nil }
                let agency = membership.$agency.id.flatMap { tree.byID[$0] }.map { AgencyRef(code: $0.code, name: $0.name) }
                return Officer.Role(id: id, role: membership.role, agency: agency)
            }.sorted { ($0.agency?.code ?? "", $0.role.rawValue) < ($1.agency?.code ?? "", $1.role.rawValue) })
    }

    // MARK: API tokens

    struct Token: Content {
        var id: UUID
        var name: String
        var agency: AgencyRef?
        var permissions: [String]
        var createdAt: Date?
        var lastUsedAt: Date?
        var revokedAt: Date?
    }

    func tokens() async throws -> [Token] {
        return try await APITokenModel.query(on: db).sort(\.$createdAt, .descending).all().compactMap { model in
            let path = tree.path(of: model.$agency.id)
            guard AccessPolicy.decide(actor, .read, Resource(.apiToken, agencyPath: path)).isAllowed else { return nil }
            return token(model)
        }
    }

    struct NewToken: Content {
        var name: String?
        var agency: String?
        var write: String?
    }

    /// Creates a token; the returned string is its only appearance.
    func createToken(_ input: NewToken) async throws -> (token: String, summary: Token) {
        var errors: [FieldError] = []
        let (name, nameProblem) = TextInput.field(input.name ?? "", maxLength: 100)
        if name.isEmpty { errors.append(FieldError("name", .required)) }
        if let nameProblem { errors.append(FieldError("name", nameProblem)) }
        let code = (input.agency ?? "").trimmingCharacters(in: .whitespaces)
        let node = code.isEmpty ? nil : tree.byCode[code]
        if !code.isEmpty, node == nil { errors.append(FieldError("agency", .unknownAgency(code: code))) }
        guard errors.isEmpty else { throw UserError(.invalidFields(FormErrors(errors))) }
        try context.authorize(.create, Resource(.apiToken, agencyPath: node.map { tree.path(of: $0.id) } ?? []))
        let permissions: Set<APIPermission> = ["on", "true", "1"].contains(input.write ?? "") ? [.read, .write] : [.read]
        let created = try await db.transaction { transaction in
            let created = try await APITokens.create(
                name: name, agencyID: node?.id, permissions: permissions, on: transaction)
            try await context.audit(
                "token.created", subject: AuditLog.name("token", try created.model.requireID()), agency: node?.code,
                details: ["name": name, "permissions": permissions.map(\.rawValue).sorted().joined(separator: ",")],
                on: transaction)
            return created
        }
        return (created.token, token(created.model))
    }

    /// Revokes a token (it stops working at once); revoking a revoked one changes nothing.
    @discardableResult
    func revokeToken(id: UUID) async throws -> Token {
        guard let model = try await APITokenModel.find(id, on: db) else { throw UserError(.recordNotFound) }
        try context.authorize(.update, Resource(.apiToken, agencyPath: tree.path(of: model.$agency.id)))
        guard model.revokedAt == nil else { return token(model) }
        model.revokedAt = context.now
        try await db.transaction { transaction in
            try await model.save(on: transaction)
            try await context.audit(
                "token.revoked", subject: AuditLog.name("token", id), agency: tree.path(of: model.$agency.id).last, on: transaction)
        }
        return token(model)
    }

    private func token(_ model: APITokenModel) -> Token {
        Token(
            id: model.id ?? UUID(), name: model.name,
            agency: model.$agency.id.flatMap { tree.byID[$0] }.map { AgencyRef(code: $0.code, name: $0.name) },
            permissions: APIPermission.allCases.filter(model.permissionSet.contains).map(\.rawValue),
            createdAt: model.createdAt, lastUsedAt: model.lastUsedAt, revokedAt: model.revokedAt)
    }

    // MARK: Sub-units

    struct NewUnit: Content {
        var parent: String?
        /// Appended to the parent's code: `01` + `STP` → `01.STP`.
        var suffix: String?
        var name: String?
        var kind: String?
    }

    static let unitKinds: [AgencyKind] = [.department, .center]

    /// Adds a department or service center under a unit the actor administers.
    func createUnit(_ input: NewUnit) async throws -> AgencyRef {
        var errors: [FieldError] = []
        let parentCode = (input.parent ?? "").trimmingCharacters(in: .whitespaces)
        let parent = tree.byCode[parentCode]
        if parent == nil {
            errors.append(FieldError("parent", parentCode.isEmpty ? .required : .unknownAgency(code: parentCode)))
        }
        let suffix = (input.suffix ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        if suffix.isEmpty {
            errors.append(FieldError("suffix", .required))
        } else if suffix.count > 16 || !suffix.unicodeScalars.allSatisfy(allowed.contains) {
            errors.append(FieldError("suffix", .tooLong(max: 16)))
        }
        let (name, nameProblem) = TextInput.field(input.name ?? "", maxLength: 200)
        if name.isEmpty { errors.append(FieldError("name", .required)) }
        if let nameProblem { errors.append(FieldError("name", nameProblem)) }
        let kind = AgencyKind(rawValue: input.kind ?? "").flatMap { Self.unitKinds.contains($0) ? $0 : nil }
        if kind == nil { errors.append(FieldError("kind", .notOneOf(Self.unitKinds.map(\.rawValue)))) }
        let code = parentCode + "." + suffix
        if parent != nil, !suffix.isEmpty, tree.byCode[code] != nil { errors.append(FieldError("suffix", .alreadyRegistered)) }
        guard errors.isEmpty, let parent, let kind else { throw UserError(.invalidFields(FormErrors(errors))) }
        try context.authorize(.create, Resource(.agency, agencyPath: tree.path(of: parent.id)))
        let unit = AgencyModel(code: code, name: name, nameEn: nil, kind: kind, parentID: parent.id)
        try await db.transaction { transaction in
            try await unit.create(on: transaction)
            try await context.audit(
                "unit.created", subject: "agency:\(code)", agency: parent.code, details: ["name": name, "kind": kind.rawValue],
                on: transaction)
        }
        return AgencyRef(code: code, name: name)
    }

    // MARK: Audit log

    /// The newest entries the actor may read (auditors and system admins, within their units), newest first;
    /// `before` pages back through older ones. A reader of the whole system reads the log itself; a unit's reader
    /// reads the entries filed under their units (`audit_scope`, an index), each then checked by the policy.
    func auditEntries(before: Int? = nil, limit: Int = 100) async throws -> [AuditLog.ChainRow] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let readingUnits: [String?] =
            if case .officer(_, let memberships) = actor {
                memberships.filter { $0.role == .auditor || $0.role == .systemAdmin }.map(\.agency)
            } else { [] }
        guard !readingUnits.isEmpty else { return [] }
        let columns: SQLQueryString = "audit_log.*"
        let older: SQLQueryString = before.map { "AND audit_log.seq < \(bind: $0)" } ?? ""
        let rows: [any SQLRow]
        if readingUnits.contains(where: { $0 == nil }) {
            rows = try await sql.raw("""
                SELECT \(columns) FROM audit_log WHERE 1 = 1 \(older) ORDER BY audit_log.seq DESC LIMIT \(bind: limit)
                """).all()
        } else {
            let units = SQLList(Set(readingUnits.compactMap { $0 }).sorted().map { SQLBind($0) })
            let scopeOlder: SQLQueryString = before.map { "AND audit_scope.seq < \(bind: $0)" } ?? ""
            // The newest `limit` numbers filed under the units, read backwards along the (agency, seq) key.
            rows = try await sql.raw("""
                SELECT \(columns) FROM audit_log WHERE audit_log.seq IN (
                    SELECT audit_scope.seq FROM audit_scope WHERE audit_scope.agency IN (\(units)) \(scopeOlder)
                    GROUP BY audit_scope.seq ORDER BY audit_scope.seq DESC LIMIT \(bind: limit)
                ) ORDER BY audit_log.seq DESC
                """).all()
        }
        return try rows.map(AuditLog.ChainRow.init).filter { $0.mayBeRead(by: actor, tree: tree) }
    }

    // MARK: Office hours

    struct NewOfficeHours: Content {
        var agency: String?
        /// `08:00-12:00,13:00-17:00`; blank: back to the unit above's hours.
        var hours: String?
    }

    /// Sets a unit's office hours (its admins and system admins), which deadlines there are counted in.
    func setOfficeHours(_ input: NewOfficeHours) async throws {
        let code = (input.agency ?? "").trimmingCharacters(in: .whitespaces)
        guard let node = tree.byCode[code] else {
            throw UserError(.invalidFields(FormErrors([FieldError("agency", .unknownAgency(code: code))])))
        }
        let text = (input.hours ?? "").trimmingCharacters(in: .whitespaces)
        let hours = text.isEmpty ? nil : OfficeHours(text: text)
        if !text.isEmpty, hours == nil {
            throw UserError(.invalidFields(FormErrors([FieldError("hours", .notOneOf(["08:00-12:00,13:00-17:00"]))])))
        }
        try context.authorize(.update, Resource(.agency, agencyPath: tree.path(of: node.id)))
        guard let agency = try await AgencyModel.find(node.id, on: db) else { throw UserError(.recordNotFound) }
        agency.officeHours = hours?.text
        try await db.transaction { transaction in
            try await agency.save(on: transaction)
            try await context.audit(
                "agency.office_hours", subject: "agency:\(code)", agency: code, details: ["hours": hours?.text ?? "inherited"],
                on: transaction)
        }
    }
}
