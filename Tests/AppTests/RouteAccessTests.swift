import Testing
import VaporTesting

@testable import App

/// Walks every route of the app: each must declare who may reach it, and the ones for signed-in people must turn
/// everyone else away. A new route without a declaration fails here.
@Suite struct RouteAccessTests {
    @Test func everyRouteDeclaresWhoMayReachIt() async throws {
        try await withTestApp { app in
            #expect(app.routes.all.count >= 18)
            for route in app.routes.all {
                #expect(route.access != nil, "\(route.method) \(route.path.string) declares no access")
            }
        }
    }

    @Test func signedInRoutesTurnAnonymousVisitorsToSignIn() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            try await browser.get("/login")  // a CSRF cookie, so POSTs reach the access check
            let guarded = app.routes.all.filter { $0.access == .signedIn }
            #expect(!guarded.isEmpty)
            for route in guarded {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter = component { return "x" }
                    return component.description
                }.joined(separator: "/")
                let response = route.method == .GET ? try await browser.get(path) : try await browser.post(path, [:])
                #expect(response.status == .seeOther, "\(route.method) \(path)")
                #expect(response.location == "/login", "\(route.method) \(path)")
            }
        }
    }
}
