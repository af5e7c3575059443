import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Sign-in through a real OpenID Connect provider run locally: the whole authorization code flow with PKCE, state
/// and nonce, and the ID tokens the app must refuse.
@Suite(
    .serialized,
    // A hang guard, not a speed check: alone the suite takes seconds, but in the full parallel run on two cores it
    // shares the executor with every other suite.
    .timeLimit(.minutes(3)),
    .enabled(if: OIDCTestProvider.isAvailable, "oidc-provider-mock is not installed: pip install -r Tests/AppTests/Fixtures/requirements.txt"))
struct OIDCTests {
    static let clientID = "motcua-web"
    static let citizen = [
        "name": "Nguyễn Văn An", "email": "an.nguyen@example.vn", "birthdate": "1990-05-17",
        "personal_id": "001090012345",
    ]

    /// An app signing in through `provider`; the HTTP client does not follow redirects, as a test browser's
    /// hand-off to the provider must be done step by step.
    private func withProvider(
        tokenLifetime: Int = 3600, _ test: (Application, OIDCTestProvider, OIDCProvider) async throws -> Void
    ) async throws {
        let mock = try await OIDCTestProvider(tokenLifetime: tokenLifetime)
        defer { mock.stop() }
        try await withTestApp { app in
            app.http.client.configuration.redirectConfiguration = .disallow
            let provider = OIDCProvider(config: .init(issuer: mock.issuer, clientID: Self.clientID, clientSecret: "s3cret"))
            app.oidcProvider = provider
            try await test(app, mock, provider)
        }
    }

    /// Tells the provider who signs in next as `subject`, with these claims.
    private func preset(_ app: Application, _ mock: OIDCTestProvider, subject: String, claims: [String: String]) async throws {
        let response = try await app.client.put(URI(string: "\(mock.issuer)/users/\(subject)")) { request in
            try request.content.encode(claims, as: .json)
        }
        #expect(response.status == .noContent)
    }

    /// The person at the provider's page: submits the subject and returns where the provider sends the browser.
    private func approve(_ app: Application, authorizeURL: String, subject: String) async throws -> URLComponents {
        let response = try await app.client.post(URI(string: authorizeURL)) { request in
            try request.content.encode(["sub": subject], as: .urlEncodedForm)
        }
        #expect(response.status == .found)
        let location = try #require(response.headers.first(name: .location))
        return try #require(URLComponents(string: location))
    }

    /// Runs the flow in `browser` up to the callback and returns the callback's path and query.
    private func signInAtProvider(_ app: Application, _ browser: TestBrowser, subject: String) async throws -> String {
        let start = try await browser.get("/auth/oidc/start")
        #expect(start.status == .seeOther)
        let authorize = try #require(start.location)
        let query = URLComponents(string: authorize)?.queryItems ?? []
        #expect(query.contains(URLQueryItem(name: "code_challenge_method", value: "S256")))
        #expect(query.contains { $0.name == "nonce" && ($0.value?.count ?? 0) >= 43 })
        #expect(query.contains(URLQueryItem(name: "redirect_uri", value: "http://127.0.0.1:8080/auth/oidc/callback")))
        let callback = try await approve(app, authorizeURL: authorize, subject: subject)
        return callback.path + "?" + (callback.percentEncodedQuery ?? "")
    }

    @Test func aCitizenSignsInWithTheProviderAndGetsAnAccountOnce() async throws {
        try await withProvider { app, mock, _ in
            try await preset(app, mock, subject: "vneid-001", claims: Self.citizen)
            let browser = TestBrowser(app)
            let callback = try await signInAtProvider(app, browser, subject: "vneid-001")
            let landed = try await browser.get(callback)
            #expect(landed.status == .seeOther)
            #expect(landed.location == "/account")
            let page = try await browser.get("/account")
            #expect(page.body.contains("Nguyễn Văn An"))
            #expect(page.body.contains("•••••••••345"))
            let account = try #require(try await AccountModel.query(on: app.db).filter(\.$personalID == "001090012345").first())
            #expect(account.email == "an.nguyen@example.vn")
            #expect(account.ssoSubject == "\(mock.issuer)|vneid-001")
            let recorded = try await AuditEntryModel.query(on: app.db).all().map(\.action)
            #expect(recorded == ["sso.account_created"])

            // Again, from another browser: the same account, not a second one.
            let again = TestBrowser(app)
            #expect(try await again.get(try await signInAtProvider(app, again, subject: "vneid-001")).location == "/account")
            #expect(try await AccountModel.query(on: app.db).count() == 1)
            // The callback is single-use.
            #expect(try await browser.get(callback).status == .badRequest)
        }
    }

    @Test func anAccountRegisteredWithTheSamePersonalIDIsTakenOverByTheVerifiedPerson() async throws {
        try await withProvider { app, mock, _ in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            try await browser.post("/register", [
                "kind": "citizen", "fullName": "Nguyễn Văn An", "birthDate": "1990-05-17", "personalID": "001090012345",
                "phone": "0912345678", "email": "an@gmail.example", "password": "mật khẩu dài", "passwordConfirmation": "mật khẩu dài",
            ])
            #expect(try await browser.get("/account").status == .ok)
            let mail = CapturingMail()
            app.mailTransport = mail
            try await preset(app, mock, subject: "vneid-001", claims: Self.citizen)
            let sso = TestBrowser(app)
            #expect(try await sso.get(try await signInAtProvider(app, sso, subject: "vneid-001")).location == "/account")
            let accounts = try await AccountModel.query(on: app.db).all()
            #expect(accounts.count == 1)
            #expect(accounts.first?.ssoSubject == "\(mock.issuer)|vneid-001")
            #expect(try await AuditEntryModel.query(on: app.db).all().map(\.action) == ["sso.linked"])
            // Whoever registered with this personal ID may not be its owner: the verified person takes the account
            // over. The old password and sessions stop working, the provider's email replaces the typed one, and
            // the old address is told.
            #expect(accounts.first?.email == "an.nguyen@example.vn")
            #expect(try await browser.get("/account").status == .seeOther)
            let oldPassword = TestBrowser(app)
            try await oldPassword.get("/login")
            #expect(try await oldPassword.post("/login", ["email": "an@gmail.example", "password": "mật khẩu dài"]).status == .unauthorized)
            try await JobWorker(application: app).runDueJobs()
            #expect(mail.messages.map(\.to) == ["an@gmail.example"])
            #expect(mail.messages.first?.subject == "Tài khoản đã được liên kết với định danh điện tử")
        }
    }

    @Test func aCallbackFromAnotherBrowserIsRefused() async throws {
        try await withProvider { app, mock, _ in
            try await preset(app, mock, subject: "vneid-001", claims: Self.citizen)
            let victim = TestBrowser(app)
            // The attacker starts a sign-in and hands the victim the callback link.
            let attacker = TestBrowser(app)
            let callback = try await signInAtProvider(app, attacker, subject: "vneid-001")
            let refused = try await victim.get(callback)
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("Không thể xác minh"))
            #expect(victim.cookies[Sessions.cookieName] == nil)
            #expect(try await AccountModel.query(on: app.db).count() == 0)
        }
    }

    @Test func aForgedStateACancelledSignInAndNoPersonalIDAreRefused() async throws {
        try await withProvider { app, mock, _ in
            let browser = TestBrowser(app)
            #expect(try await browser.get("/auth/oidc/callback?state=forged&code=abc").status == .badRequest)
            #expect(try await browser.get("/auth/oidc/callback?error=access_denied&state=x").status == .unauthorized)
            try await preset(app, mock, subject: "no-id", claims: ["name": "Không Số"])
            let callback = try await signInAtProvider(app, browser, subject: "no-id")
            let refused = try await browser.get(callback)
            #expect(refused.status == .unauthorized)
            #expect(refused.body.contains("số định danh cá nhân"))
            #expect(try await AccountModel.query(on: app.db).count() == 0)
        }
    }

    /// What a client other than MotCua would get: an ID token for `clientID` with `nonce`, by the flow done here.
    private func idToken(_ app: Application, _ mock: OIDCTestProvider, clientID: String, nonce: String) async throws -> String {
        var authorize = URLComponents(string: "\(mock.issuer)/oauth2/authorize")
        authorize?.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: "http://127.0.0.1:9/cb"), .init(name: "scope", value: "openid profile email"),
            .init(name: "state", value: "s"), .init(name: "nonce", value: nonce),
        ]
        let url = try #require(authorize?.string)
        let callback = try await approve(app, authorizeURL: url, subject: "vneid-001")
        let code = try #require(callback.queryItems?.first { $0.name == "code" }?.value)
        let response = try await app.client.post(URI(string: "\(mock.issuer)/oauth2/token")) { request in
            try request.content.encode(
                [
                    "grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1:9/cb",
                    "client_id": clientID, "client_secret": "s3cret",
                ], as: .urlEncodedForm)
        }
        return try response.content.decode(OIDCProvider.TokenResponse.self, as: .json).idToken
    }

    @Test func tamperedWrongAudienceWrongNonceAndForeignTokensAreRejected() async throws {
        try await withProvider { app, mock, provider in
            try await preset(app, mock, subject: "vneid-001", claims: Self.citizen)
            let good = try await idToken(app, mock, clientID: Self.clientID, nonce: "n-1")
            let claims = try await provider.verify(good, nonce: "n-1", client: app.client, now: Date())
            #expect(claims.personalID == "001090012345")

            // Another person's ID number written into the payload: the signature no longer matches.
            let parts = good.split(separator: ".").map(String.init)
            var payload = try #require(Data(base64URL: parts[1]))
            payload = Data(String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "001090012345", with: "001090099999").utf8)
            let tampered = [parts[0], payload.base64URLEncoded, parts[2]].joined(separator: ".")
            await #expect(throws: OIDCProvider.Failure.self) { try await provider.verify(tampered, nonce: "n-1", client: app.client, now: Date()) }

            let otherClient = try await idToken(app, mock, clientID: "some-other-service", nonce: "n-2")
            await #expect(throws: OIDCProvider.Failure.wrongAudience) {
                try await provider.verify(otherClient, nonce: "n-2", client: app.client, now: Date())
            }
            await #expect(throws: OIDCProvider.Failure.nonceMismatch) {
                try await provider.verify(good, nonce: "another sign-in", client: app.client, now: Date())
            }
            // "alg": "none" with the signature stripped.
            let unsigned = [Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncoded, parts[1], ""].joined(separator: ".")
            await #expect(throws: OIDCProvider.Failure.self) { try await provider.verify(unsigned, nonce: "n-1", client: app.client, now: Date()) }

            // A token signed by another provider instance (another key), claiming to be this issuer's.
            let foreign = try await OIDCTestProvider()
            defer { foreign.stop() }
            try await preset(app, foreign, subject: "vneid-001", claims: Self.citizen)
            let forged = try await idToken(app, foreign, clientID: Self.clientID, nonce: "n-1")
            await #expect(throws: OIDCProvider.Failure.self) { try await provider.verify(forged, nonce: "n-1", client: app.client, now: Date()) }
        }
    }

    @Test func anExpiredTokenIsRejected() async throws {
        try await withProvider(tokenLifetime: 1) { app, mock, provider in
            try await preset(app, mock, subject: "vneid-001", claims: Self.citizen)
            let token = try await idToken(app, mock, clientID: Self.clientID, nonce: "n")
            // Past the lifetime and the one minute of leeway for clocks.
            await #expect(throws: OIDCProvider.Failure.self) {
                try await provider.verify(token, nonce: "n", client: app.client, now: Date().addingTimeInterval(120))
            }
        }
    }
}
