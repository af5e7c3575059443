import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Two people doing the same thing at the same moment: one succeeds, the other is told why in a field message,
/// and nobody sees a 500 (issue 10, item 4). The unique keys decide; `UniqueViolation` reads either engine's refusal.
@Suite struct RaceTests {
    static func citizen(_ n: Int) -> [String: String] {
        [
            "kind": "citizen", "fullName": "Nguyễn Thị Lan \(n)", "birthDate": "1985-03-14", "personalID": "001185012345",
            "phone": "0912 345 678", "email": "lan@example.vn", "password": "mật khẩu tốt",
            "passwordConfirmation": "mật khẩu tốt",
        ]
    }

    @Test func simultaneousRegistrationsWithTheSameEmailMakeOneAccountAndTellTheOthers() async throws {
        try await withTestApp { app in
            let answers = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                for n in 0..<8 {
                    group.addTask {
                        let browser = TestBrowser(app)
                        browser.address = "198.51.100.\(n + 1)"
                        try await browser.get("/register")
                        let answer = try await browser.post("/register", Self.citizen(n))
                        return (answer.status, answer.body)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == .seeOther }.count == 1)
            let refused = answers.filter { $0.0 != .seeOther }
            #expect(refused.count == 7)
            for (status, body) in refused {
                #expect(status == .conflict)
                // The form again, with the field message and what was typed.
                #expect(body.contains("không dùng được để đăng ký"))
                #expect(body.contains("lan@example.vn"))
            }
            #expect(try await AccountModel.query(on: app.db).filter(\.$email == "lan@example.vn").count() == 1)
        }
    }

    @Test func aDuplicateInsertIsReadAsTheUniqueKeyItBroke() async throws {
        try await withTestApp { app in
            @Sendable func account(_ email: String, _ id: String) -> AccountModel { Self.citizen(email: email, personalID: id) }
            try await account("lan@example.vn", "001185012345").create(on: app.db)
            do {
                try await account("lan@example.vn", "001185099999").create(on: app.db)
                Issue.record("a second account with the same email was saved")
            } catch {
                #expect(UniqueViolation(error) == .accountEmail)
            }
            do {
                try await account("other@example.vn", "001185012345").create(on: app.db)
                Issue.record("a second account with the same personal ID was saved")
            } catch {
                #expect(UniqueViolation(error) == .accountPersonalID)
            }
            // Inside a transaction too (PostgreSQL reports it at the statement, SQLite likewise).
            await #expect(throws: UserError(.invalidFields(FormErrors([FieldError("email", .alreadyRegistered)])))) {
                try await UniqueViolation.answer([.accountEmail: [FieldError("email", .alreadyRegistered)]]) {
                    try await app.db.transaction { transaction in
                        try await account("lan@example.vn", "001185077777").create(on: transaction)
                    }
                }
            }
            // Any other error passes through unchanged.
            await #expect(throws: UserError(.recordNotFound)) {
                try await UniqueViolation.answer([.accountEmail: []]) { throw UserError(.recordNotFound) }
            }
        }
    }

    @Test func simultaneousOfficerCreationsWithTheSameEmailMakeOneOfficer() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let token = try await APITokens.create(name: "HR", agencyID: nil, permissions: [.read, .write], on: app.db).token
            let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                for n in 0..<6 {
                    group.addTask {
                        var result: (HTTPStatus, String) = (.internalServerError, "")
                        try await app.testing().test(.POST, "/api/v1/officers", beforeRequest: { request in
                            request.headers.bearerAuthorization = BearerAuthorization(token: token)
                            try request.content.encode([
                                "fullName": "Lê Văn \(n)", "email": "moi@example.vn", "phone": "0912000111",
                                "agency": "00004", "role": "specialist",
                            ], as: .json)
                        }, afterResponse: { response in
                            result = (response.status, response.body.string)
                        })
                        return result
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == .created }.count == 1)
            for (status, body) in statuses where status != .created {
                #expect(status == .conflict)
                #expect(body.contains("\"email\""))
            }
            let officers = try await AccountModel.query(on: app.db).filter(\.$email == "moi@example.vn").all()
            #expect(officers.count == 1)
            // The one officer has one invitation, queued with it.
            let id = try #require(officers.first?.id)
            #expect(try await PasswordResetModel.query(on: app.db).filter(\.$account.$id == id).count() == 1)
        }
    }

    /// A citizen account row as stored, for tests that insert directly to meet the unique keys.
    private static func citizen(email: String, personalID: String, ssoSubject: String? = nil) -> AccountModel {
        let account = AccountModel()
        account.kind = .citizen
        account.fullName = "Lan"
        account.email = email
        account.phone = "0912345678"
        account.personalID = personalID
        account.language = "vi"
        account.passwordHash = "x"
        account.ssoSubject = ssoSubject
        return account
    }

    /// `count` sign-ins of Nguyễn Văn An (001090012345) with a verified identity at the same moment: the accounts
    /// they end in.
    private func signInsAtOnce(_ app: Application, count: Int) async throws -> Set<UUID> {
        let claims = OIDCProvider.Claims(
            issuer: "https://vneid.example", subject: "citizen-1", name: "Nguyễn Văn An", email: "an@example.vn",
            birthdate: "1990-05-17", personalID: "001090012345")
        let config = AppConfig.OIDC(issuer: "https://vneid.example", clientID: "motcua", clientSecret: "s")
        return try await withThrowingTaskGroup(of: UUID.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let context = ChangeContext(database: app.db, actor: .anonymous, now: Date(), app: app, logger: app.logger)
                    return try await SingleSignOn.account(for: claims, provider: config, context: context).requireID()
                }
            }
            return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
        }
    }

    @Test func simultaneousFirstSignInsOfOnePersonEndInOneAccount() async throws {
        try await withTestApp { app in
            let ids = try await signInsAtOnce(app, count: 6)
            #expect(ids.count == 1)
            #expect(try await AccountModel.query(on: app.db).filter(\.$personalID == "001090012345").count() == 1)
        }
    }

    /// Someone registered with the person's ID and a password; the person then signs in with their verified identity
    /// twice at once. The account is taken over once: one link recorded, one notice to the old address.
    @Test func simultaneousFirstSignInsTakeAnExistingAccountOverOnce() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            let registered = try await browser.post("/register", [
                "kind": "citizen", "fullName": "Nguyễn Văn An", "birthDate": "1990-05-17", "personalID": "001090012345",
                "phone": "0912345678", "email": "an@gmail.example", "password": "mật khẩu dài",
                "passwordConfirmation": "mật khẩu dài",
            ])
            #expect(registered.status == .seeOther)
            let ids = try await signInsAtOnce(app, count: 6)
            #expect(ids.count == 1)
            #expect(try await AccountModel.query(on: app.db).count() == 1)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "sso.linked").count() == 1)
            let account = try #require(try await AccountModel.query(on: app.db).first())
            #expect(account.ssoSubject == "https://vneid.example|citizen-1")
        }
    }

    @Test func oneIdentityIsLinkedToOneAccountOnly() async throws {
        try await withTestApp { app in
            @Sendable func account(_ email: String, _ id: String) -> AccountModel {
                Self.citizen(email: email, personalID: id, ssoSubject: "https://vneid.example|citizen-1")
            }
            try await account("an@example.vn", "001090012345").create(on: app.db)
            await #expect(throws: (any Error).self) { try await account("an2@example.vn", "001090012346").create(on: app.db) }
        }
    }

    /// Requests from `count` browsers signed in as `email`, sent at once.
    private func atOnce(
        _ app: Application, count: Int, as email: String, _ send: @escaping @Sendable (TestBrowser, Int) async throws -> HTTPStatus
    ) async throws -> [HTTPStatus] {
        /// Each browser is signed in first and then used by one task only.
        struct Handed: @unchecked Sendable { let browser: TestBrowser }
        var browsers: [Handed] = []
        for _ in 0..<count { browsers.append(Handed(browser: try await TestBrowser.signedIn(app, as: email))) }
        return try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for (n, handed) in browsers.enumerated() {
                group.addTask { try await send(handed.browser, n) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func simultaneousAdjustmentsOfOneDateRecordOneAndTellTheOthers() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let answers = try await atOnce(app, count: 6, as: "sysadmin@demo.motcua.vn") { browser, n in
                try await browser.post("/admin/calendar/adjustments", [
                    "date": "2031-01-04", "kind": "workingDay", "reference": "Thông báo \(n)",
                ]).status
            }
            #expect(answers.filter { $0 == .seeOther }.count == 1)
            #expect(answers.filter { $0 == .conflict }.count == 5, "\(answers)")
            #expect(try await CalendarAdjustmentModel.query(on: app.db).filter(\.$date == "2031-01-04").count() == 1)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "calendar.adjusted").count() == 1)
            #expect(try await JobModel.query(on: app.db).filter(\.$kind == CalendarChangedJob.kind).count() == 1)
        }
    }

    @Test func simultaneousRemovalsOfOneAdjustmentRemoveAndRecordItOnce() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let adjustment = CalendarAdjustmentModel(
                CalendarAdjustment(date: try #require(CivilDate(year: 2031, month: 1, day: 4)), kind: .workingDay, reference: "Thông báo"))
            try await adjustment.create(on: app.db)
            let path = "/admin/calendar/adjustments/\(try adjustment.requireID())/remove"
            let answers = try await atOnce(app, count: 6, as: "sysadmin@demo.motcua.vn") { browser, _ in
                try await browser.post(path, [:]).status
            }
            #expect(answers.filter { $0 == .seeOther }.count == 1)
            #expect(answers.filter { $0 == .notFound }.count == 5, "\(answers)")
            let removals = try await AuditEntryModel.query(on: app.db).filter(\.$action == "calendar.adjustment_removed").count()
            #expect(removals == 1)
        }
    }

    @Test func simultaneousRetriesOfADeadJobSendItOnce() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let id = try await storeDeadJob(app, kind: CalendarChangedJob.kind, payload: #"{"year":2031}"#, error: "race")
            let answers = try await atOnce(app, count: 6, as: "sysadmin@demo.motcua.vn") { browser, _ in
                try await browser.post("/admin/jobs/\(id)/retry", [:]).status
            }
            #expect(answers.filter { $0 == .seeOther }.count == 1)
            #expect(answers.filter { $0 == .badRequest }.count == 5, "\(answers)")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "job.requeued").count() == 1)
        }
    }

    /// Six changes of one procedure's pause rule at once: each audit entry's "from" is the rule the one before it
    /// left, so the record tells the true story of the setting.
    @Test func simultaneousPauseRuleChangesLeaveAnUnbrokenRecord() async throws {
        try await withTestApp(template: .demoPeople, seed: seedSample) { app in
            let answers = try await atOnce(app, count: 6, as: "sysadmin@demo.motcua.vn") { browser, n in
                try await browser.post("/admin/procedures/1.001193/pause-rule", [
                    "rule": n.isMultiple(of: 2) ? "restarts" : "extends", "reason": "Lần \(n)",
                ]).status
            }
            #expect(answers.allSatisfy { $0 == .seeOther }, "\(answers)")
            let entries = try await AuditEntryModel.query(on: app.db).filter(\.$action == "procedure.pause_rule_changed")
                .sort(\.$seq).all()
            #expect(!entries.isEmpty)
            var rule = "extends"
            for entry in entries {
                let details = try JSONDecoder().decode([String: String].self, from: Data(entry.details.utf8))
                #expect(details["from"] == rule, "\(entry.seq): \(details)")
                #expect(details["to"] != details["from"])
                rule = details["to"] ?? ""
            }
            let stored = try await ProcedureModel.query(on: app.db).filter(\.$code == "1.001193").first()?.pauseRule
            #expect(stored?.rawValue == rule)
        }
    }
}
