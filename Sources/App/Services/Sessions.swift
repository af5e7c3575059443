import Crypto
import Fluent
import Vapor

/// Browser sessions stored in the database.
enum Sessions {
    static let cookieName = "motcua_session"
    static let lifetime: TimeInterval = 12 * 3600

    /// Starts a session for `accountID`, returning the cookie to set.
    static func start(for accountID: UUID, on request: Request) async throws -> HTTPCookies.Value {
        let token = randomToken()
        let session = SessionModel(
            tokenHash: hash(token), accountID: accountID, expiresAt: Date().addingTimeInterval(lifetime))
        try await session.create(on: request.db)
        return cookie(token, maxAge: Int(lifetime), request: request)
    }

    /// The account signed in with this request's cookie, if its session is current.
    static func account(for request: Request) async throws -> AccountModel? {
        guard let token = request.cookies[cookieName]?.string, !token.isEmpty, token.count <= 128 else { return nil }
        guard let session = try await SessionModel.query(on: request.db)
            .filter(\.$tokenHash == hash(token)).filter(\.$expiresAt > Date()).with(\.$account).first()
        else { return nil }
        return session.account
    }

    /// Ends this browser's session; the returned cookie clears it.
    static func end(on request: Request) async throws -> HTTPCookies.Value {
        if let token = request.cookies[cookieName]?.string {
            try await SessionModel.query(on: request.db).filter(\.$tokenHash == hash(token)).delete()
        }
        return cookie("", maxAge: 0, request: request)
    }

    /// Ends every session of the account ("log out everywhere").
    static func endAll(for accountID: UUID, on database: any Database) async throws {
        try await SessionModel.query(on: database).filter(\.$account.$id == accountID).delete()
    }

    static func randomToken() -> String {
        Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64URLEncoded
    }

    static func hash(_ token: String) -> String {
        SHA256.hexDigest(of: Data(token.utf8))
    }

    static func cookie(_ value: String, maxAge: Int, request: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, maxAge: maxAge, path: "/", isSecure: request.isSecure, isHTTPOnly: true, sameSite: .lax)
    }
}

extension SHA256 {
    /// The digest as 64 lowercase hex digits, the form every stored hash uses.
    static func hexDigest(of data: Data) -> String {
        hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

extension Request {
    /// Whether the browser reached us over TLS, directly or through a proxy that says so.
    var isSecure: Bool {
        url.scheme == "https" || headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }

    private struct AccountKey: StorageKey {
        typealias Value = AccountModel
    }

    /// The signed-in account, set by `SessionMiddleware`.
    var account: AccountModel? {
        get { storage[AccountKey.self] }
        set { storage[AccountKey.self] = newValue }
    }
}

/// Looks up the session of requests that carry a session cookie (pages only; the API will use tokens).
struct SessionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.cookies[Sessions.cookieName] != nil, !request.url.path.hasPrefix("/api/") {
            request.account = try await Sessions.account(for: request)
            if request.method == .GET, let id = request.account?.id {
                request.unreadNotifications = try await NotificationModel.query(on: request.db)
                    .filter(\.$account.$id == id).filter(\.$readAt == nil).count()
            }
        }
        return try await next.respond(to: request)
    }
}

/// CSRF protection for every form: a random token in a cookie that only this site can read, repeated in a hidden
/// field; a POST whose field does not match its cookie is refused. Together with SameSite cookies this stops
/// another site from submitting forms in a signed-in citizen's name.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "motcua_csrf"
    static let fieldName = "_csrf"

    struct Refused: Error {}

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The API authenticates each request with a bearer token, not a cookie: nothing to forge there.
        guard !request.url.path.hasPrefix("/api/") else { return try await next.respond(to: request) }
        let existing = request.cookies[Self.cookieName].map(\.string).flatMap { $0.count == 43 ? $0 : nil }
        if request.method == .POST {
            let sent = try? request.content.get(String.self, at: Self.fieldName)
            guard let existing, let sent, ConstantTime.equal(existing, sent) else { throw Abort(.forbidden) }
        }
        let token = existing ?? Sessions.randomToken()
        request.csrfToken = token
        let response = try await next.respond(to: request)
        if existing == nil {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: token, path: "/", isSecure: request.isSecure, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }
}

extension Request {
    private struct CSRFKey: StorageKey {
        typealias Value = String
    }

    /// The token forms on this page must send back.
    var csrfToken: String {
        get { storage[CSRFKey.self] ?? "" }
        set { storage[CSRFKey.self] = newValue }
    }
}
