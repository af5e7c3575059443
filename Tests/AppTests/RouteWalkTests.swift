@testable import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Walks every route of the app × every kind of actor × a record of their own agency and one of another, and checks
/// the answer. Routes for officers and integrations have their expected answers in `specs`; a route that is in
/// neither the table nor public/signed-in use fails the suite, so a new route cannot ship without a policy.
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

    enum Answer: Equatable, CustomStringConvertible {
        /// Anything but a refusal or a detour to sign-in.
        case reachable
        case toSignIn
        case forbidden
        case unauthorized

        static func of(_ status: HTTPStatus, location: String?) -> Answer {
            if status == .seeOther, location == "/login" { return .toSignIn }
            if status == .forbidden { return .forbidden }
            if status == .unauthorized { return .unauthorized }
            return .reachable
        }

        var description: String {
            switch self {
            case .reachable: "reachable"
            case .toSignIn: "sign-in redirect"
            case .forbidden: "403"
            case .unauthorized: "401"
            }
        }
    }

    /// The world the walk runs in: demo agencies and accounts, an officer and a token in Đà Nẵng.
    struct World {
        var app: Application
        var ownOfficer: UUID
        var otherOfficer: UUID
        var tokens: [Who: String]
        var serial = 0

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
        /// How to call the route for a record of this scope.
        var call: (inout World, Scope) async throws -> Call
        /// What each actor must get.
        var expect: (Who, Scope) -> Answer
    }

    // MARK: Expectations

    /// Administration pages: admins of the unit and system admins get through; auditors read their units;
    /// everyone else is refused, and API tokens mean nothing on pages.
    static func adminPage(_ readsObject: Bool, _ writes: Bool) -> (Who, Scope) -> Answer {
        { who, scope in
            switch who {
            case .anonymous, .tokenRead, .tokenWrite: return .toSignIn
            case .citizen, .reception, .specialist, .leader: return .forbidden
            case .systemAdmin: return .reachable
            case .agencyAdmin: return (writes || readsObject) && scope == .other ? .forbidden : .reachable
            case .auditor:
                if writes { return .forbidden }
                return readsObject && scope == .other ? .forbidden : .reachable
            }
        }
    }

    /// Whole-system settings (the national calendar): system administrators only.
    static func systemAdminOnly(_ who: Who, _ scope: Scope) -> Answer {
        switch who {
        case .anonymous, .tokenRead, .tokenWrite: .toSignIn
        case .systemAdmin: .reachable
        default: .forbidden
        }
    }

    /// API operations: only tokens; read tokens read their agency's records, write tokens also change them.
    static func api(_ readsObject: Bool, _ writes: Bool) -> (Who, Scope) -> Answer {
        { who, scope in
            switch who {
            case .tokenRead:
                if writes { return .forbidden }
                return readsObject && scope == .other ? .forbidden : .reachable
            case .tokenWrite:
                return (writes || readsObject) && scope == .other ? .forbidden : .reachable
            default:
                return .unauthorized
            }
        }
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
            "GET /admin": .init(call: { _, _ in Call(path: "/admin") }, expect: page(false, false)),
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
                    case .auditor, .systemAdmin: .reachable
                    default: .forbidden
                    }
                }),
            "POST /admin/audit/verify": .init(
                call: { _, _ in Call(path: "/admin/audit/verify") },
                expect: { who, _ in
                    switch who {
                    case .anonymous, .tokenRead, .tokenWrite: .toSignIn
                    case .auditor, .systemAdmin: .reachable
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
                    default: .reachable
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
        try await withTestApp(seed: seedDemoPeople) { app in
            let specs = Self.specs
            var world = try await makeWorld(app)
            var browsers: [Who: TestBrowser] = [:]
            for who in Who.allCases {
                let browser = TestBrowser(app)
                try await browser.get("/login")
                if let email = who.email {
                    let signedIn = try await browser.post("/login", ["email": email, "password": Seeder.demoPassword])
                    #expect(signedIn.status == .seeOther, "\(who) signs in")
                }
                browsers[who] = browser
            }
            var walked = 0
            // Open routes last: signing out everywhere ends the shared browsers' sessions too.
            let ordered = app.routes.all.sorted { isOpen($0) ? false : isOpen($1) }
            for route in ordered {
                let key = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                switch route.access {
                case .everyone, .signedIn:
                    // Declared public or for any account: checked below for reachability, by route.
                    try await walkOpen(route, key: key, app: app)
                case .officer, .apiClient, .operatorTool:
                    guard let spec = specs[key] else {
                        Issue.record("\(key) has no entry in the walk: say who may reach it")
                        continue
                    }
                    for who in Who.allCases {
                        for scope in Scope.allCases {
                            let call = try await spec.call(&world, scope)
                            let answer = try await send(
                                route.method, call, as: who, app: app, browsers: browsers, tokens: world.tokens)
                            let expected = spec.expect(who, scope)
                            #expect(answer == expected, "\(key) as \(who) (\(scope)): \(answer), expected \(expected)")
                        }
                    }
                case nil:
                    Issue.record("\(key) declares no access")
                }
                walked += 1
            }
            #expect(walked == app.routes.all.count)
            #expect(specs.count == app.routes.all.filter { !isOpen($0) }.count)
        }
    }

    private func isOpen(_ route: Route) -> Bool {
        route.access == .everyone || route.access == .signedIn
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

    /// Public routes answer everyone; signed-in routes answer every account and send the rest to sign in. Each call
    /// signs in afresh: some of these routes end sessions (sign out everywhere, a password change).
    private func walkOpen(_ route: Route, key: String, app: Application) async throws {
        let path = "/" + route.path.map { component -> String in
            if case .parameter(let name) = component { return name == "code" ? "en" : "x" }
            return component.description
        }.joined(separator: "/")
        for who in Who.allCases {
            let expected: Answer = route.access == .signedIn && who.email == nil ? .toSignIn : .reachable
            let browser = TestBrowser(app)
            try await browser.get("/login")
            if let email = who.email {
                try await browser.post("/login", ["email": email, "password": Seeder.demoPassword])
            }
            let response = route.method == .GET ? try await browser.get(path) : try await browser.post(path, [:])
            var answer = Answer.of(response.status, location: response.location)
            // Signing in with an empty form is a wrong password (401), an answer of the route, not a refusal of it.
            if key == "POST /login", answer == .unauthorized { answer = .reachable }
            #expect(answer == expected, "\(key) as \(who): \(answer), expected \(expected)")
        }
    }

    private func send(
        _ method: HTTPMethod, _ call: Call, as who: Who, app: Application, browsers: [Who: TestBrowser],
        tokens: [Who: String]
    ) async throws -> Answer
    {
        if call.path.hasPrefix("/api/") {
            var headers = HTTPHeaders()
            if let token = tokens[who] {
                headers.bearerAuthorization = .init(token: token)
            }
            var answer = Answer.reachable
            try await app.testing().test(method, call.path, headers: headers, beforeRequest: { request in
                if method != .GET { try request.content.encode(call.body, as: .json) }
            }) { response in
                answer = Answer.of(response.status, location: response.headers.first(name: .location))
                if response.status.code >= 500 { Issue.record("\(call.path) failed: \(response.body.string)") }
            }
            return answer
        }
        let browser = try #require(browsers[who])
        let response = method == .GET ? try await browser.get(call.path) : try await browser.post(call.path, call.body)
        if response.status.code >= 500 { Issue.record("\(call.path) failed: \(response.body)") }
        return Answer.of(response.status, location: response.location)
    }

}
