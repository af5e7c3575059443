import Foundation
import Testing
import VaporTesting

@testable import App

/// A browser for in-memory tests: keeps cookies between requests and sends the CSRF token with forms.
final class TestBrowser {
    let app: Application
    var cookies: [String: String] = [:]
    /// What the browser says about where a request comes from (`Sec-Fetch-Site`): a click on this site by default;
    /// `cross-site` plays a link on another site; empty sends none (browsers that do not say).
    var fetchSite = "same-origin"
    /// The network address requests come from (the socket's peer); nil: none, as VaporTesting sends them.
    var address: String?
    /// More headers on every request (`X-Forwarded-For` from a proxy, say).
    var extraHeaders: HTTPHeaders = [:]
    /// Send through a real socket to a running server, so that a large body arrives in pieces as it does from a
    /// browser (in memory it arrives whole).
    var overNetwork = false

    init(_ app: Application) {
        self.app = app
    }

    /// The token the site's forms carry: bound to the session when signed in, the cookie's otherwise.
    var csrf: String {
        cookies[Sessions.cookieName].map(CSRFMiddleware.token(session:)) ?? cookies[CSRFMiddleware.cookieName] ?? ""
    }

    @discardableResult
    func get(_ path: String) async throws -> (status: HTTPStatus, body: String, location: String?) {
        try await send(.GET, path, form: nil)
    }

    @discardableResult
    func post(_ path: String, _ form: [String: String], csrf: Bool = true) async throws
        -> (status: HTTPStatus, body: String, location: String?)
    {
        var fields = form
        if csrf { fields[CSRFMiddleware.fieldName] = self.csrf }
        return try await send(.POST, path, form: fields)
    }

    /// A form body written out by hand (`email=a&email=b`), with this browser's CSRF token added.
    @discardableResult
    func post(_ path: String, rawForm: String) async throws -> (status: HTTPStatus, body: String, location: String?) {
        try await send(.POST, path, form: nil, raw: rawForm + "&\(CSRFMiddleware.fieldName)=\(csrf)")
    }

    private func send(_ method: HTTPMethod, _ path: String, form: [String: String]?, raw: String? = nil) async throws
        -> (status: HTTPStatus, body: String, location: String?)
    {
        var headers: HTTPHeaders = fetchSite.isEmpty ? [:] : ["Sec-Fetch-Site": fetchSite]
        headers.add(contentsOf: extraHeaders)
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let address {
            var body: ByteBuffer?
            if let form {
                headers.contentType = .urlEncodedForm
                body = ByteBuffer(string: try URLEncodedFormEncoder().encode(form))
            } else if let raw {
                headers.contentType = .urlEncodedForm
                body = ByteBuffer(string: raw)
            }
            let response = try await app.respond(method, path, headers: headers, body: body, from: address)
            for (name, cookie) in response.headers.setCookie?.all ?? [:] {
                if cookie.maxAge == 0 || cookie.string.isEmpty { cookies[name] = nil } else { cookies[name] = cookie.string }
            }
            return (response.status, response.body, response.headers.first(name: .location))
        }
        var result: (HTTPStatus, String, String?) = (.internalServerError, "", nil)
        let tester = try overNetwork ? app.testing(method: .running(port: 0)) : app.testing()
        try await tester.test(method, path, headers: headers, beforeRequest: { request in
            if let form { try request.content.encode(form, as: .urlEncodedForm) }
            if let raw {
                request.headers.contentType = .urlEncodedForm
                request.body = ByteBuffer(string: raw)
            }
        }) { response in
            for (name, cookie) in response.headers.setCookie?.all ?? [:] {
                if cookie.maxAge == 0 || cookie.string.isEmpty { cookies[name] = nil } else { cookies[name] = cookie.string }
            }
            result = (response.status, response.body.string, response.headers.first(name: .location))
        }
        return result
    }
}

extension TestBrowser {
    /// A browser signed in as a demo account (seeded with `Seeder.demoPassword`).
    static func signedIn(_ app: Application, as email: String) async throws -> TestBrowser {
        let browser = TestBrowser(app)
        try await browser.get("/login")
        let response = try await browser.post("/login", ["email": email, "password": Seeder.demoPassword])
        #expect(response.status == .seeOther, "\(email) signs in")
        return browser
    }
}
