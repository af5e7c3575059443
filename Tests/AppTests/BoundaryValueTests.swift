import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Every route, each of its query, path and form parameters in turn given the values that break careless code —
/// 0, -1, 2^63, non-numeric, very long, empty, repeated, a NUL, odd Unicode — as an anonymous visitor and as a
/// citizen (public pages), a system administrator (administration) or a read or write token (the API). Every answer
/// must be below 500, and the server must still answer afterwards: a Swift runtime trap (a range whose bounds cross, an overflow) would stop the whole process,
/// and with it this test. A route missing from `inputs` fails the suite, so a new route declares what it reads.
@Suite struct BoundaryValueTests {
    /// What each route reads: query parameters, and for POST and DELETE the fields of its form or JSON body.
    static let inputs: [String: (query: [String], body: [String])] = [
        "GET /": ([], []),
        "GET /procedures": (["q", "field", "level", "agency", "channel", "page", "per"], []),
        "GET /procedures/:code": (["q"], []),
        "GET /language/:code": (["next"], []),
        "GET /register": ([], []),
        "POST /register": ([], [
            "kind", "fullName", "birthDate", "personalID", "phone", "email", "password", "passwordConfirmation",
            "businessName", "taxCode", "legalRepresentative",
        ]),
        "GET /login": (["notice"], []),
        "POST /login": ([], ["email", "password"]),
        "POST /logout": ([], []),
        "POST /account/logout-everywhere": ([], []),
        "GET /account": (["notice"], []),
        "GET /password/forgot": ([], []),
        "POST /password/forgot": ([], ["email"]),
        "GET /password/reset": (["token"], []),
        "POST /password/reset": ([], ["token", "password", "passwordConfirmation"]),
        "GET /account/password": ([], []),
        "POST /account/password": ([], ["currentPassword", "password", "passwordConfirmation"]),
        "GET /auth/oidc/start": ([], []),
        "GET /auth/oidc/callback": (["code", "state", "error"], []),
        "GET /notifications": ([], []),
        "POST /notifications/read": ([], []),
        "GET /admin": ([], []),
        "GET /admin/officers": (["agency"], []),
        "GET /admin/officers/new": ([], []),
        "POST /admin/officers": ([], ["fullName", "email", "phone", "agency", "role"]),
        "GET /admin/officers/:id": (["notice"], []),
        "POST /admin/officers/:id/roles": ([], ["agency", "role"]),
        "POST /admin/officers/:id/roles/:membership/revoke": ([], []),
        "GET /admin/units": (["parent", "created"], []),
        "POST /admin/units": ([], ["parent", "suffix", "name", "kind"]),
        "POST /admin/units/hours": ([], ["agency", "hours"]),
        "GET /admin/tokens": ([], []),
        "POST /admin/tokens": ([], ["name", "agency", "write"]),
        "POST /admin/tokens/:id/revoke": ([], []),
        "GET /admin/audit": (["before", "notice"], []),
        "POST /admin/audit/verify": ([], []),
        "GET /admin/calendar": (["year"], []),
        "POST /admin/calendar/adjustments": ([], ["date", "kind", "reference"]),
        "POST /admin/calendar/adjustments/:id/remove": ([], []),
        "GET /admin/procedures/:code": ([], []),
        "POST /admin/procedures/:code/pause-rule": ([], ["rule", "reason"]),
        "GET /admin/procedures/:code/form": ([], []),
        "POST /admin/procedures/:code/form": ([], ["definition", "reason", "base", "action"]),
        "GET /admin/jobs": ([], []),
        "POST /admin/jobs/:id/retry": ([], []),
        "GET /api/v1/procedures": (["q", "field", "level", "agency", "channel", "page", "per"], []),
        "GET /api/v1/procedures/:code": ([], []),
        "GET /api/v1/procedures/:code/form": ([], []),
        "GET /api/v1/agencies": (["parent"], []),
        "GET /api/v1/openapi.yaml": ([], []),
        "GET /api/v1/calendar/due": (["start", "amount", "unit", "agency", "pauses", "rule"], []),
        "GET /api/v1/calendar/:year": ([], []),
        "GET /api/v1/me": ([], []),
        "POST /api/v1/agencies": ([], ["parent", "suffix", "name", "kind"]),
        "GET /api/v1/officers": (["agency"], []),
        "POST /api/v1/officers": ([], ["fullName", "email", "phone", "agency", "role"]),
        "GET /api/v1/officers/:id": ([], []),
        "POST /api/v1/officers/:id/roles": ([], ["agency", "role"]),
        "DELETE /api/v1/officers/:id/roles/:membership": ([], []),
        "GET /api/v1/roles": ([], []),
        "GET /api/v1/tokens": ([], []),
        "GET /healthz": ([], []),
        "GET /readyz": ([], []),
        "GET /metrics": ([], []),
    ]

    /// The values every parameter gets, one at a time. `nil` stands for "the parameter given twice".
    static let values: [String?] = [
        "0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e309", "NaN", "abc", "",
        " ", String(repeating: "9", count: 5000), String(repeating: "ắ", count: 3000), "\u{0}", "a\r\nb",
        "../../etc/passwd", "%", "٣", "🇻🇳", "\u{202E}", "2199-12-31T23:59:59+07:00", "9999-12-31T23:59:59Z",
        "2025-01-01T00:00:00Z/2025-01-02T00:00:00Z", nil,
    ]

    enum Who: CaseIterable {
        case anonymous, citizen, systemAdmin, tokenRead, tokenWrite

        var email: String? {
            switch self {
            case .citizen: "citizen@demo.motcua.vn"
            case .systemAdmin: "sysadmin@demo.motcua.vn"
            case .anonymous, .tokenRead, .tokenWrite: nil
            }
        }
    }

    /// The routes, in three parts that run side by side.
    enum Part: CaseIterable {
        case publicPages, administration, api

        init(_ key: String) {
            self = key.contains(" /api/") ? .api : key.contains(" /admin") ? .administration : .publicPages
        }

        /// The API is reached with tokens or nothing, pages with a session or nothing: a citizen's for the public
        /// pages, a system administrator's (who may do the most) for the administration.
        var callers: [Who] {
            switch self {
            case .publicPages: [.anonymous, .citizen]
            case .administration: [.anonymous, .systemAdmin]
            case .api: [.anonymous, .tokenRead, .tokenWrite]
            }
        }
    }

    @Test func everyRouteDeclaresTheParametersItReads() async throws {
        try await withTestApp { app in
            for route in app.routes.all {
                let key = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                #expect(Self.inputs[key] != nil, "\(key) has no entry in BoundaryValueTests.inputs: say which parameters it reads")
            }
        }
    }

    @Test(arguments: Part.allCases)
    func everyParameterOfEveryRouteSurvivesBoundaryValues(part: Part) async throws {
        try await withTestApp(template: .demoPeople, seed: seedSample) { app in
            let tokens = [
                Who.tokenRead: try await APITokens.create(name: "r", agencyID: nil, permissions: [.read], on: app.db).token,
                Who.tokenWrite: try await APITokens.create(name: "w", agencyID: nil, permissions: [.read, .write], on: app.db).token,
            ]
            let officer = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "specialist.danang@example.vn").first())
            // Real ids and codes, so each parameter is tried with the others valid.
            let valid: [String: String] = [
                "code": "1.001193", "id": try officer.requireID().uuidString, "membership": UUID().uuidString, "year": "2025",
            ]
            var requests = 0
            var failures: [String] = []
            for route in app.routes.all {
                let key = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                guard Part(key) == part, let input = Self.inputs[key] else { continue }
                let pathNames = route.path.compactMap { component -> String? in
                    if case .parameter(let name) = component { return name }
                    return nil
                }
                // One parameter at a time takes each value; the path's other parameters stay valid.
                var cases: [(path: [String: String?], query: (String, String?)?, body: (String, String?)?)] = []
                for name in pathNames {
                    for value in Self.values where value != nil {
                        var path: [String: String?] = [:]
                        for other in pathNames { path[other] = valid[other] }
                        path[name] = value
                        cases.append((path, nil, nil))
                    }
                }
                let validPath = Dictionary(uniqueKeysWithValues: pathNames.map { ($0, valid[$0]) })
                for name in input.query { for value in Self.values { cases.append((validPath, (name, value), nil)) } }
                for name in input.body { for value in Self.values { cases.append((validPath, nil, (name, value))) } }
                if cases.isEmpty { cases.append((validPath, nil, nil)) }

                for who in part.callers {
                    // A browser of its own per route: some routes end the session they are called in.
                    let browser = TestBrowser(app)
                    try await browser.get("/login")
                    if let email = who.email {
                        try await browser.post("/login", ["email": email, "password": Seeder.demoPassword])
                    }
                    for item in cases {
                        let path = "/" + route.path.map { component -> String in
                            guard case .parameter(let name) = component else { return component.description }
                            return Self.escapePath((item.path[name] ?? nil) ?? "")
                        }.joined(separator: "/")
                        var query = ""
                        if let (name, value) = item.query {
                            query = value.map { "?\(name)=\(Self.escapeQuery($0))" } ?? "?\(name)=1&\(name)=2"
                        }
                        let status: HTTPStatus
                        if path.hasPrefix("/api/") {
                            status = try await Self.api(app, route.method, path + query, token: tokens[who], field: item.body)
                        } else {
                            let response: (status: HTTPStatus, body: String, location: String?)
                            if route.method == .GET {
                                response = try await browser.get(path + query)
                            } else if let (name, value) = item.body, value == nil {
                                response = try await browser.post(path + query, rawForm: "\(name)=1&\(name)=2")
                            } else {
                                var form: [String: String] = [:]
                                if let (name, value) = item.body { form[name] = value }
                                response = try await browser.post(path + query, form)
                            }
                            status = response.status
                        }
                        requests += 1
                        if status.code >= 500 {
                            failures.append("\(key) as \(who): \(path)\(query.prefix(80)) \(String(describing: item.body).prefix(80)) → \(status.code)")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.count) answers of 500 or more:\n\(failures.prefix(40).joined(separator: "\n"))")
            #expect(requests > 1000)
            // Still answering.
            try await app.testing().test(.GET, "/healthz") { response in #expect(response.status == .ok) }
            try await app.testing().test(.GET, "/procedures?page=9999") { response in #expect(response.status == .ok) }
        }
    }

    private static func api(
        _ app: Application, _ method: HTTPMethod, _ path: String, token: String?, field: (String, String?)?
    ) async throws -> HTTPStatus {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = .init(token: token) }
        var status: HTTPStatus = .internalServerError
        try await app.testing().test(method, path, headers: headers, beforeRequest: { request in
            guard method != .GET else { return }
            var body: [String: Any] = [:]
            if let (name, value) = field { body[name] = value ?? ["1", "2"] }
            request.headers.contentType = .json
            request.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        }) { response in
            status = response.status
        }
        return status
    }

    private static func escapePath(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    private static func escapeQuery(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
