@testable import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Walks every route of the app × every kind of actor × a record of their own agency and one of another, and checks
/// the answer. Every route has an entry saying how it is used (real records, complete forms) and what each actor
/// gets: where it is allowed, the answer it exists for (a 2xx, or a form's redirect); a 5xx fails on every route;
/// a 400 or 404 only where the entry says why. A route without an entry fails the suite, so none ships without one.
@Suite struct RouteWalkTests {
    enum Who: String, CaseIterable {
        case anonymous, citizen, reception, specialist, leader, agencyAdmin, systemAdmin, auditor
        /// API tokens of Hà Nội (01): read-only and read-write.
        case tokenRead, tokenWrite

        var email: String? {
            switch self {
            case .anonymous, .tokenRead, .tokenWrite: nil
            case .citizen: "citizen@demo.motcua.vn"
            case .reception: "reception.badinh@demo.motcua.vn"
            case .specialist: "specialist.badinh@demo.motcua.vn"
            case .leader: "leader.badinh@demo.motcua.vn"
            case .agencyAdmin: "admin.hanoi@demo.motcua.vn"
            case .systemAdmin: "sysadmin@demo.motcua.vn"
            case .auditor: "auditor@demo.motcua.vn"
            }
        }
    }

    /// Own: a record under Hà Nội (01), where the demo admin, auditor and tokens work. Other: one in Đà Nẵng (48).
    enum Scope: CaseIterable {
        case own, other
    }

    /// What a route answered. `success` is what a route exists for: a 2xx, or (after a form) the redirect it makes;
    /// `refused` is a 4xx for the call itself, which a spec may expect only when it says why; `failed` is a 5xx and
    /// fails the walk on every route, whoever asked.
    enum Answer: Equatable, CustomStringConvertible {
        case success
        case toSignIn
        case forbidden
        case unauthorized
        case refused(UInt)
        case failed(UInt)

        static func of(_ status: HTTPStatus, location: String?) -> Answer {
            switch status.code {
            case 200..<400: status.code >= 300 && location == "/login" ? .toSignIn : .success
            case 401: .unauthorized
            case 403: .forbidden
            case 500...: .failed(status.code)
            default: .refused(status.code)
            }
        }

        var description: String {
            switch self {
            case .success: "success"
            case .toSignIn: "sign-in redirect"
            case .forbidden: "403"
            case .unauthorized: "401"
            case .refused(let code): "\(code)"
            case .failed(let code): "\(code) (server error)"
            }
        }
    }

    /// The world the walk runs in: demo agencies and accounts, an officer and a token in Đà Nẵng.
    struct World {
        var app: Application
        var ownOfficer: UUID
        var otherOfficer: UUID
        var tokens: [Who: String]
        /// Who makes the call being prepared (routes such as sign-in and password change act on the caller).
        var who = Who.anonymous
        var serial = 0

        /// The account a call acts on: the caller's own, or the demo citizen's for callers without one.
        var accountEmail: String { who.email ?? Who.citizen.email ?? "" }

        mutating func next() -> Int {
            serial += 1
            return serial
        }

        /// A role on the officer that a revoke request can take away, fresh for each request.
        func spareMembership(of officer: UUID, at code: String) async throws -> UUID {
            let agency = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == code).first())
            let membership = MembershipModel(accountID: officer, agencyID: agency.id, role: .leader)
            try await MembershipModel.query(on: app.db).filter(\.$account.$id == officer).filter(\.$role == .leader).delete()
            try await membership.create(on: app.db)
            return try membership.requireID()
        }

        /// A different Saturday each call, from 4 January 2031: a valid "worked in exchange" adjustment.
        mutating func nextSaturday() -> CivilDate {
            CivilDate(known: 2031, 1, 4).adding(days: 7 * next())
        }

        /// A procedure managed by the unit with this code (the walk needs one inside Hà Nội and one outside).
        func procedure(managedBy agencyCode: String) async throws -> String {
            let code = "9.\(agencyCode)"
            if try await ProcedureModel.query(on: app.db).filter(\.$code == code).first() != nil { return code }
            let agency = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == agencyCode).first())
            let procedure = Procedure(
                code: code, name: "Thủ tục thử", field: "Thử", levels: [.province], managingAgencyCode: agencyCode)
            let model = ProcedureModel()
            model.code = code
            model.name = procedure.name
            model.field = procedure.field
            model.levels = "province"
            model.$managingAgency.id = try agency.requireID()
            model.currentVersion = 1
            model.data = String(decoding: try JSONEncoder().encode(procedure), as: UTF8.self)
            model.sourceHash = code
            model.parseIssues = "[]"
            model.pauseRule = .extends
            try await model.create(on: app.db)
            return code
        }

        /// A dead job that can be sent again, fresh for each request.
        func deadJob() async throws -> UUID {
            try await storeDeadJob(app, kind: CalendarChangedJob.kind, payload: #"{"year":2031}"#, error: "walk")
        }

        /// A fresh password-reset link for the caller's account; the token as mailed.
        func resetToken() async throws -> String {
            let account = try #require(try await AccountModel.query(on: app.db).filter(\.$email == accountEmail).first())
            let token = "walk-reset-\(UUID().uuidString)"
            let reset = PasswordResetModel()
            reset.$account.id = try account.requireID()
            reset.tokenHash = Sessions.hash(token)
            reset.expiresAt = app.clock.now.addingTimeInterval(3600)
            try await reset.create(on: app.db)
            return token
        }

        /// Puts the demo password back on the caller's account after a call that changed it, so later calls sign in.
        func restorePassword() async throws {
            let account = try #require(try await AccountModel.query(on: app.db).filter(\.$email == accountEmail).first())
            account.passwordHash = try await Passwords.hash(Seeder.demoPassword, in: app)
            try await account.save(on: app.db)
        }

        func token(at code: String) async throws -> UUID {
            let agency = try await AgencyModel.query(on: app.db).filter(\.$code == code).first()
            return try await APITokens.create(name: "walk", agencyID: agency?.id, permissions: [.read], on: app.db)
                .model.requireID()
        }
    }

    /// A request for one route in one scope.
    struct Call {
        var path: String
        var body: [String: String] = [:]
    }

    struct Spec {
        /// How to call the route for a record of this scope (`world.who` is the caller).
        var call: (inout World, Scope) async throws -> Call
        /// What each actor must get.
        var expect: (Who, Scope) -> Answer
        /// Why the route refuses the walk's call (a 4xx other than 401/403); required when `expect` gives `.refused`.
        var because: String? = nil
        /// Whether a GET answers with a redirect (a GET that redirects otherwise fails: it should show a page).
        var redirects = false
        /// Undoes what the call changed that later calls depend on.
        var after: ((World) async throws -> Void)? = nil
    }

    // MARK: Expectations

    /// Administration pages: admins of the unit and system admins get through; auditors read their units;
    /// everyone else is refused, and API tokens mean nothing on pages.
    static func adminPage(_ readsObject: Bool, _ writes: Bool) -> (Who, Scope) -> Answer {
        { who, scope in
            switch who {
            case .anonymous, .tokenRead, .tokenWrite: return .toSignIn
            case .citizen, .reception, .specialist, .leader: return .forbidden
            case .systemAdmin: return .success
            case .agencyAdmin: return (writes || readsObject) && scope == .other ? .forbidden : .success
            case .auditor:
                if writes { return .forbidden }
                return readsObject && scope == .other ? .forbidden : .success
            }
        }
    }

    /// Public routes: everyone gets what the route is for, signed in or not, with or without an API token.
    static func everyone(_ who: Who, _ scope: Scope) -> Answer { .success }

    /// Routes for any account: every account gets them; the rest are sent to sign in.
    static func anyAccount(_ who: Who, _ scope: Scope) -> Answer {
        who.email == nil ? .toSignIn : .success
    }

    /// Whole-system settings (the national calendar): system administrators only.
    static func systemAdminOnly(_ who: Who, _ scope: Scope) -> Answer {
        switch who {
        case .anonymous, .tokenRead, .tokenWrite: .toSignIn
        case .systemAdmin: .success
        default: .forbidden
        }
    }

    /// API operations: only tokens; read tokens read their agency's records, write tokens also change them.
    static func api(_ readsObject: Bool, _ writes: Bool) -> (Who, Scope) -> Answer {
        { who, scope in
            switch who {
            case .tokenRead:
                if writes { return .forbidden }
                return readsObject && scope == .other ? .forbidden : .success
            case .tokenWrite:
                return (writes || readsObject) && scope == .other ? .forbidden : .success
            default:
                return .unauthorized
            }
        }
    }

    /// Routes for everyone and for any account, each called as it is used: real records, complete forms, the
    /// caller's own credentials. Scope does not apply to them; they are walked once per caller.
    static var openSpecs: [String: Spec] {
        func reset(_ world: inout World) async throws -> [String: String] {
            ["token": try await world.resetToken(), "password": "mật khẩu mới \(world.next())", "passwordConfirmation": ""]
        }
        return [
            "GET /": .init(call: { _, _ in Call(path: "/") }, expect: everyone),
            "GET /procedures": .init(call: { _, _ in Call(path: "/procedures?q=khai%20sinh") }, expect: everyone),
            "GET /procedures/:code": .init(
                call: { world, _ in Call(path: "/procedures/\(try await world.procedure(managedBy: "01"))") }, expect: everyone),
            "GET /language/:code": .init(call: { _, _ in Call(path: "/language/en") }, expect: everyone, redirects: true),
            "GET /register": .init(call: { _, _ in Call(path: "/register") }, expect: everyone),
            "POST /register": .init(
                call: { world, _ in
                    let n = world.next()
                    return Call(path: "/register", body: [
                        "kind": "citizen", "fullName": "Người Dân \(n)", "birthDate": "1985-03-14",
                        "personalID": "001185" + String(format: "%06d", n), "phone": "0912" + String(format: "%06d", n),
                        "email": "walk.citizen\(n)@example.vn", "password": "mật khẩu tốt \(n)",
                        "passwordConfirmation": "mật khẩu tốt \(n)",
                    ])
                }, expect: everyone),
            "GET /login": .init(call: { _, _ in Call(path: "/login") }, expect: everyone),
            "POST /login": .init(
                call: { world, _ in Call(path: "/login", body: ["email": world.accountEmail, "password": Seeder.demoPassword]) },
                expect: everyone),
            "POST /logout": .init(call: { _, _ in Call(path: "/logout") }, expect: everyone),
            "POST /account/logout-everywhere": .init(call: { _, _ in Call(path: "/account/logout-everywhere") }, expect: anyAccount),
            "GET /account": .init(call: { _, _ in Call(path: "/account") }, expect: anyAccount),
            "GET /password/forgot": .init(call: { _, _ in Call(path: "/password/forgot") }, expect: everyone),
            "POST /password/forgot": .init(
                call: { world, _ in Call(path: "/password/forgot", body: ["email": world.accountEmail]) }, expect: everyone),
            "GET /password/reset": .init(
                call: { world, _ in Call(path: "/password/reset?token=\(try await world.resetToken())") }, expect: everyone),
            "POST /password/reset": .init(
                call: { world, _ in
                    var body = try await reset(&world)
                    body["passwordConfirmation"] = body["password"]
                    return Call(path: "/password/reset", body: body)
                }, expect: everyone, after: { try await $0.restorePassword() }),
            "GET /account/password": .init(call: { _, _ in Call(path: "/account/password") }, expect: anyAccount),
            "POST /account/password": .init(
                call: { world, _ in
                    let new = "mật khẩu mới \(world.next())"
                    return Call(path: "/account/password", body: [
                        "currentPassword": Seeder.demoPassword, "password": new, "passwordConfirmation": new,
                    ])
                }, expect: anyAccount, after: { try await $0.restorePassword() }),
            "GET /auth/oidc/start": .init(
                call: { _, _ in Call(path: "/auth/oidc/start") }, expect: { _, _ in .refused(404) },
                because: "single sign-on is not configured in the walk's app (OIDCTests run it against a real provider)"),
            "GET /auth/oidc/callback": .init(
                call: { _, _ in Call(path: "/auth/oidc/callback") }, expect: { _, _ in .refused(404) },
                because: "single sign-on is not configured in the walk's app (OIDCTests run it against a real provider)"),
            "GET /notifications": .init(call: { _, _ in Call(path: "/notifications") }, expect: anyAccount),
            "POST /notifications/read": .init(call: { _, _ in Call(path: "/notifications/read") }, expect: anyAccount),

            "GET /api/v1/procedures": .init(call: { _, _ in Call(path: "/api/v1/procedures?q=khai%20sinh") }, expect: everyone),
            "GET /api/v1/procedures/:code/form": .init(
                call: { world, _ in Call(path: "/api/v1/procedures/\(try await world.procedure(managedBy: "01"))/form") },
                expect: everyone),
            "GET /api/v1/procedures/:code": .init(
                call: { world, _ in Call(path: "/api/v1/procedures/\(try await world.procedure(managedBy: "01"))") },
                expect: everyone),
            "GET /api/v1/agencies": .init(call: { _, _ in Call(path: "/api/v1/agencies?parent=01&q=ba%20dinh") }, expect: everyone),
            "GET /api/v1/openapi.yaml": .init(call: { _, _ in Call(path: "/api/v1/openapi.yaml") }, expect: everyone),
            "GET /api/v1/calendar/due": .init(
                call: { _, _ in Call(path: "/api/v1/calendar/due?start=2025-04-29T09:00:00Z&amount=1&unit=workingDays") },
                expect: everyone),
            "GET /api/v1/calendar/:year": .init(call: { _, _ in Call(path: "/api/v1/calendar/2025") }, expect: everyone),
            "GET /healthz": .init(call: { _, _ in Call(path: "/healthz") }, expect: everyone),
            "GET /readyz": .init(call: { _, _ in Call(path: "/readyz") }, expect: everyone),
        ]
    }

    static var specs: [String: Spec] {
        let ownUnit = "00004", otherUnit = "48.STP"
        func unit(_ scope: Scope) -> String { scope == .own ? ownUnit : otherUnit }
        func officer(_ world: World, _ scope: Scope) -> UUID { scope == .own ? world.ownOfficer : world.otherOfficer }
        func newOfficer(_ world: inout World, _ scope: Scope) -> [String: String] {
            let n = world.next()
            return [
                "fullName": "Cán bộ \(n)", "email": "walk\(n)@example.vn", "phone": "0903\(String(format: "%06d", n))",
                "agency": unit(scope), "role": "specialist",
            ]
        }
        let page = adminPage
        return [
            // The administration's front door opens its first section.
            "GET /admin": .init(call: { _, _ in Call(path: "/admin") }, expect: page(false, false), redirects: true),
            "GET /admin/officers": .init(call: { _, scope in Call(path: "/admin/officers?agency=\(unit(scope))") }, expect: page(false, false)),
            "GET /admin/officers/new": .init(call: { _, _ in Call(path: "/admin/officers/new") }, expect: page(false, false)),
            "POST /admin/officers": .init(
                call: { world, scope in Call(path: "/admin/officers", body: newOfficer(&world, scope)) }, expect: page(true, true)),
            "GET /admin/officers/:id": .init(
                call: { world, scope in Call(path: "/admin/officers/\(officer(world, scope))") }, expect: page(true, false)),
            "POST /admin/officers/:id/roles": .init(
                call: { world, scope in
                    Call(path: "/admin/officers/\(officer(world, scope))/roles", body: ["agency": unit(scope), "role": "receptionOfficer"])
                }, expect: page(true, true)),
            "POST /admin/officers/:id/roles/:membership/revoke": .init(
                call: { world, scope in
                    let membership = try await world.spareMembership(of: officer(world, scope), at: unit(scope))
                    return Call(path: "/admin/officers/\(officer(world, scope))/roles/\(membership)/revoke")
                }, expect: page(true, true)),
            "GET /admin/units": .init(
                call: { _, scope in Call(path: "/admin/units?parent=\(scope == .own ? "01" : "48")") }, expect: page(false, false)),
            "POST /admin/units": .init(
                call: { world, scope in
                    Call(path: "/admin/units", body: [
                        "parent": scope == .own ? "01" : "48", "suffix": "W\(world.next())", "name": "Ban thử", "kind": "department",
                    ])
                }, expect: page(true, true)),
            // The audit log: auditors and system administrators only; agency admins administer but do not audit.
            "GET /admin/audit": .init(
                call: { _, _ in Call(path: "/admin/audit") },
                expect: { who, _ in
                    switch who {
                    case .anonymous, .tokenRead, .tokenWrite: .toSignIn
                    case .auditor, .systemAdmin: .success
                    default: .forbidden
                    }
                }),
            "POST /admin/audit/verify": .init(
                call: { _, _ in Call(path: "/admin/audit/verify") },
                expect: { who, _ in
                    switch who {
                    case .anonymous, .tokenRead, .tokenWrite: .toSignIn
                    case .auditor, .systemAdmin: .success
                    default: .forbidden
                    }
                }),
            // The calendar: every officer reads it; only system administrators change the national calendar.
            "GET /admin/calendar": .init(
                call: { _, _ in Call(path: "/admin/calendar?year=2025") },
                expect: { who, _ in
                    switch who {
                    case .anonymous, .tokenRead, .tokenWrite: .toSignIn
                    case .citizen: .forbidden
                    default: .success
                    }
                }),
            "POST /admin/calendar/adjustments": .init(
                call: { world, _ in
                    Call(path: "/admin/calendar/adjustments", body: [
                        "date": world.nextSaturday().description, "kind": "workingDay", "reference": "Thông báo thử",
                    ])
                }, expect: systemAdminOnly),
            "POST /admin/calendar/adjustments/:id/remove": .init(
                call: { world, _ in
                    let adjustment = CalendarAdjustmentModel(
                        CalendarAdjustment(date: world.nextSaturday(), kind: .workingDay, reference: "Thông báo thử"))
                    try await adjustment.create(on: world.app.db)
                    return Call(path: "/admin/calendar/adjustments/\(try adjustment.requireID())/remove")
                }, expect: systemAdminOnly),
            // A procedure's settings: administrators read them; its managing unit's admins and system admins change them.
            "GET /admin/procedures/:code": .init(
                call: { world, scope in Call(path: "/admin/procedures/\(try await world.procedure(managedBy: scope == .own ? "01" : "48"))") },
                expect: page(false, false)),
            "POST /admin/procedures/:code/pause-rule": .init(
                call: { world, scope in
                    let code = try await world.procedure(managedBy: scope == .own ? "01" : "48")
                    return Call(path: "/admin/procedures/\(code)/pause-rule", body: ["rule": "restarts", "reason": "Thử"])
                }, expect: page(true, true)),
            // A procedure's e-form: administrators read it; its managing unit's admins and system admins save versions.
            "GET /admin/procedures/:code/form": .init(
                call: { world, scope in Call(path: "/admin/procedures/\(try await world.procedure(managedBy: scope == .own ? "01" : "48"))/form") },
                expect: page(false, false)),
            "POST /admin/procedures/:code/form": .init(
                call: { world, scope in
                    let code = try await world.procedure(managedBy: scope == .own ? "01" : "48")
                    let found = try #require(try await CatalogueQueries.procedure(code: code, on: world.app.db))
                    let current = try await ProcedureForms.current(of: found, on: world.app.db)
                    return Call(path: "/admin/procedures/\(code)/form", body: [
                        "action": "save", "definition": FormEditorController.pretty(current.definition),
                        "base": current.version.map(String.init) ?? "", "reason": "Thử",
                    ])
                }, expect: page(true, true)),
            // The job queue is the whole system's: its system administrators only.
            "GET /admin/jobs": .init(call: { _, _ in Call(path: "/admin/jobs") }, expect: systemAdminOnly),
            "POST /admin/jobs/:id/retry": .init(
                call: { world, _ in Call(path: "/admin/jobs/\(try await world.deadJob())/retry") }, expect: systemAdminOnly),
            "GET /admin/tokens": .init(call: { _, _ in Call(path: "/admin/tokens") }, expect: page(false, false)),
            "POST /admin/units/hours": .init(
                call: { _, scope in Call(path: "/admin/units/hours", body: ["agency": unit(scope), "hours": "07:30-11:30,13:30-17:30"]) },
                expect: page(true, true)),
            "POST /admin/tokens": .init(
                call: { _, scope in Call(path: "/admin/tokens", body: ["name": "Hệ thống thử", "agency": scope == .own ? "01" : "48"]) },
                expect: page(true, true)),
            "POST /admin/tokens/:id/revoke": .init(
                call: { world, scope in Call(path: "/admin/tokens/\(try await world.token(at: scope == .own ? "01" : "48"))/revoke") },
                expect: page(true, true)),

            // Nobody in the walk carries the metrics token or connects from this host (in-memory requests).
            "GET /metrics": .init(call: { _, _ in Call(path: "/metrics") }, expect: { _, _ in .unauthorized }),
            "GET /api/v1/me": .init(call: { _, _ in Call(path: "/api/v1/me") }, expect: api(false, false)),
            "GET /api/v1/roles": .init(call: { _, _ in Call(path: "/api/v1/roles") }, expect: api(false, false)),
            "GET /api/v1/tokens": .init(call: { _, _ in Call(path: "/api/v1/tokens") }, expect: api(false, false)),
            "GET /api/v1/officers": .init(call: { _, scope in Call(path: "/api/v1/officers?agency=\(unit(scope))") }, expect: api(false, false)),
            "POST /api/v1/officers": .init(
                call: { world, scope in Call(path: "/api/v1/officers", body: newOfficer(&world, scope)) }, expect: api(true, true)),
            "GET /api/v1/officers/:id": .init(
                call: { world, scope in Call(path: "/api/v1/officers/\(officer(world, scope))") }, expect: api(true, false)),
            "POST /api/v1/officers/:id/roles": .init(
                call: { world, scope in
                    Call(path: "/api/v1/officers/\(officer(world, scope))/roles", body: ["agency": unit(scope), "role": "receptionOfficer"])
                }, expect: api(true, true)),
            "DELETE /api/v1/officers/:id/roles/:membership": .init(
                call: { world, scope in
                    let membership = try await world.spareMembership(of: officer(world, scope), at: unit(scope))
                    return Call(path: "/api/v1/officers/\(officer(world, scope))/roles/\(membership)")
                }, expect: api(true, true)),
            "POST /api/v1/agencies": .init(
                call: { world, scope in
                    Call(path: "/api/v1/agencies", body: [
                        "parent": scope == .own ? "01" : "48", "suffix": "A\(world.next())", "name": "Ban thử", "kind": "center",
                    ])
                }, expect: api(true, true)),
        ]
    }

    // MARK: The walk

    @Test func everyRouteAnswersEveryActorAsThePolicySays() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let specs = Self.specs, openSpecs = Self.openSpecs
            var world = try await makeWorld(app)
            var browsers: [Who: TestBrowser] = [:]
            for who in Who.allCases {
                browsers[who] = try await signIn(who, app)
            }
            var walked = 0
            // Open routes last: signing out everywhere ends the shared browsers' sessions too.
            func isOpen(_ route: Route) -> Bool { route.access == .everyone || route.access == .signedIn }
            for route in app.routes.all.sorted(by: { !isOpen($0) && isOpen($1) }) {
                let key = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                let open = isOpen(route)
                guard route.access != nil else {
                    Issue.record("\(key) declares no access")
                    continue
                }
                guard let spec = open ? openSpecs[key] : specs[key] else {
                    Issue.record("\(key) has no entry in the walk: say how to call it and who may reach it")
                    continue
                }
                for who in Who.allCases {
                    for scope in open ? [.own] : Scope.allCases {
                        let expected = spec.expect(who, scope)
                        if case .refused = expected, spec.because == nil {
                            Issue.record("\(key) expects \(expected) for \(who) without saying why")
                        }
                        world.who = who
                        let call = try await spec.call(&world, scope)
                        // Open routes get a browser of their own: some of them end sessions (sign out, a new password).
                        let browser = open ? try await signIn(who, app) : try #require(browsers[who])
                        let (status, location) = try await send(route.method, call, as: who, app: app, browser: browser, tokens: world.tokens)
                        let answer = Answer.of(status, location: location)
                        #expect(answer == expected, "\(key) as \(who) (\(scope)): \(answer), expected \(expected)")
                        if route.method == .GET, answer == .success, (300..<400).contains(status.code), !spec.redirects {
                            Issue.record("\(key) as \(who) (\(scope)) redirects to \(location ?? "nowhere") instead of answering")
                        }
                        try await spec.after?(world)
                    }
                }
                walked += 1
            }
            #expect(walked == app.routes.all.count)
            #expect(specs.count + openSpecs.count == app.routes.all.count, "every spec names a route that exists")
        }
    }

    /// A browser with an anti-forgery cookie, signed in as the actor when they have an account.
    private func signIn(_ who: Who, _ app: Application) async throws -> TestBrowser {
        let browser = TestBrowser(app)
        try await browser.get("/login")
        if let email = who.email {
            let signedIn = try await browser.post("/login", ["email": email, "password": Seeder.demoPassword])
            #expect(signedIn.status == .seeOther, "\(who) signs in")
        }
        return browser
    }

    private func makeWorld(_ app: Application) async throws -> World {
        let own = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "specialist.badinh@demo.motcua.vn").first())
        let other = try #require(
            try await AccountModel.query(on: app.db).filter(\.$email == "specialist.danang@example.vn").first())
        let hanoi = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "01").first())
        let read = try await APITokens.create(name: "read", agencyID: hanoi.id, permissions: [.read], on: app.db)
        let write = try await APITokens.create(name: "write", agencyID: hanoi.id, permissions: [.read, .write], on: app.db)
        return World(
            app: app, ownOfficer: try own.requireID(), otherOfficer: try other.requireID(),
            tokens: [.tokenRead: read.token, .tokenWrite: write.token])
    }

    private func send(
        _ method: HTTPMethod, _ call: Call, as who: Who, app: Application, browser: TestBrowser, tokens: [Who: String]
    ) async throws -> (HTTPStatus, String?) {
        if call.path.hasPrefix("/api/") {
            var headers = HTTPHeaders()
            if let token = tokens[who] {
                headers.bearerAuthorization = .init(token: token)
            }
            var result: (HTTPStatus, String?) = (.internalServerError, nil)
            try await app.testing().test(method, call.path, headers: headers, beforeRequest: { request in
                if method != .GET { try request.content.encode(call.body, as: .json) }
            }) { response in
                result = (response.status, response.headers.first(name: .location))
                if response.status.code >= 500 { Issue.record("\(call.path) failed: \(response.body.string)") }
            }
            return result
        }
        let response = method == .GET ? try await browser.get(call.path) : try await browser.post(call.path, call.body)
        if response.status.code >= 500 { Issue.record("\(call.path) failed: \(response.body)") }
        return (response.status, response.location)
    }
}
