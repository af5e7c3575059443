import Crypto
import Fluent
import Vapor

/// Browser sessions stored in the database.
enum Sessions {
    static let cookieName = "motcua_session"
    static let lifetime: TimeInterval = 12 * 3600

    /// Starts a session for `accountID` until `now` + `lifetime`, returning its token (what the cookie carries).
    static func start(for accountID: UUID, on database: any Database, now: Date) async throws -> String {
        let token = randomToken()
        try await SessionModel(tokenHash: hash(token), accountID: accountID, expiresAt: now.addingTimeInterval(lifetime))
            .create(on: database)
        return token
    }

    /// Starts a session for `accountID` in the browser that sent `request`: the cookie to set.
    static func start(for accountID: UUID, on request: Request) async throws -> HTTPCookies.Value {
        cookie(try await start(for: accountID, on: request.db, now: request.now), maxAge: Int(lifetime), request: request)
    }

    /// The account signed in with this request's cookie, if its session is current.
    static func account(for request: Request) async throws -> AccountModel? {
        guard let token = request.cookies[cookieName]?.string, !token.isEmpty, token.count <= 128 else { return nil }
        guard let session = try await SessionModel.query(on: request.db)
            .filter(\.$tokenHash == hash(token)).filter(\.$expiresAt > request.now).with(\.$account).first()
        else { return nil }
        return session.account
    }

    /// Ends the session with this token, if there is one.
    static func end(token: String, on database: any Database) async throws {
        try await SessionModel.query(on: database).filter(\.$tokenHash == hash(token)).delete()
    }

    /// Ends the session of the browser that sent `request`; the returned cookie clears it.
    static func end(on request: Request) async throws -> HTTPCookies.Value {
        if let token = request.cookies[cookieName]?.string { try await end(token: token, on: request.db) }
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
    private struct AccountKey: StorageKey {
        typealias Value = AccountModel
    }

    /// The signed-in account, set by `SessionMiddleware`.
    var account: AccountModel? {
        get { storage[AccountKey.self] }
        set { storage[AccountKey.self] = newValue }
    }
}

/// Looks up the session of requests that carry a session cookie (pages only: the API reads bearer tokens).
struct SessionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.cookies[Sessions.cookieName] != nil {
            request.account = try await Sessions.account(for: request)
            // An officer's roles decide which links the header offers.
            if request.method == .GET, request.account?.kind == .officer { _ = try await request.actor() }
            if request.method == .GET, let id = request.account?.id {
                request.unreadNotifications = try await NotificationModel.query(on: request.db)
                    .filter(\.$account.$id == id).filter(\.$readAt == nil).count()
            }
        }
        return try await next.respond(to: request)
    }
}

/// CSRF protection for every form. Signed out, a random token in a cookie that only this site can read, repeated
/// in a hidden field (double submit). Signed in, the token is derived from the session itself (an HMAC keyed by
/// the session's secret cookie), so it changes with every sign-in and a token planted or learned before it (a
/// cookie set by a neighbouring site, a token from an anonymous page) is worth nothing in the session. A POST whose
/// field does not match is refused. Together with SameSite cookies this stops another site from submitting forms
/// in a signed-in citizen's name.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "motcua_csrf"
    static let fieldName = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[Self.cookieName].map(\.string).flatMap { $0.count == 43 ? $0 : nil }
        let anonymousToken = existing ?? Sessions.randomToken()
        let sessionToken = Self.sessionToken(request)
        let expected = sessionToken ?? anonymousToken
        request.csrfToken = expected
        if request.method == .POST, let route = request.route, request.body.data == nil {
            // A large form arrives in pieces, and the route collects it only after the middleware: read it whole
            // here (within the route's limit, else 413), or its token would be missing and the form "expired".
            let limit = route.bodyLimit ?? request.application.routes.defaultMaxBodySize.value
            _ = try await request.body.collect(max: limit).get()
        }
        // A POST to an address with no POST route changes nothing (it is 404 or 405): no token to ask for.
        let response =
            if request.method == .POST, request.route != nil,
                !Self.carries(expected, request, cookieKnown: existing != nil || sessionToken != nil)
            {
                try await Self.refuse(request)
            } else {
                try await next.respond(to: request)
            }
        if existing == nil {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: anonymousToken, path: "/", isSecure: request.isSecure, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    /// Whether the form sent `expected`; a token counts only against a cookie the browser already had (a new
    /// random one proves nothing).
    private static func carries(_ expected: String, _ request: Request, cookieKnown: Bool) -> Bool {
        guard cookieKnown, let sent = try? request.content.get(String.self, at: fieldName) else { return false }
        return ConstantTime.equal(expected, sent)
    }

    /// Nothing is done, and nothing typed is lost: a form of this site (its browser says so) that declares how to
    /// show itself again (`Route.shownAgain`) comes back with what was typed, passwords aside, a new token and a
    /// message to send it again; any other gets a page that says what happened. A post from another site gets
    /// that page too, never its values echoed into ours.
    private static func refuse(_ request: Request) async throws -> Response {
        let site = request.headers.first(name: "Sec-Fetch-Site")
        request.logger.notice("form refused: anti-forgery token missing or stale", metadata: ["site": "\(site ?? "-")"])
        guard site == "same-origin" || site == "none" || (site == nil && Self.fromThisSite(request)),
            let again = request.route?.shownAgain
        else {
            throw UserError(.formExpired)
        }
        request.formExpired = true
        return try await again(request).encodeResponse(status: .forbidden, for: request)
    }

    /// For browsers that do not say where a request comes from (no `Sec-Fetch-Site`): its `Origin`, else its
    /// `Referer`, is this site's public address.
    private static func fromThisSite(_ request: Request) -> Bool {
        guard let site = URL(string: request.application.config.publicURL), let host = site.host else { return false }
        let origin = request.headers.first(name: "Origin") ?? request.headers.first(name: "Referer")
        guard let origin, let url = URL(string: origin) else { return false }
        return url.scheme == site.scheme && url.host == host && url.port == site.port
    }

    /// The token of the session cookie this request carries, if any.
    static func sessionToken(_ request: Request) -> String? {
        guard let session = request.cookies[Sessions.cookieName]?.string, !session.isEmpty, session.count <= 128 else {
            return nil
        }
        return token(session: session)
    }

    /// The forms' token in the session whose cookie is `session`.
    static func token(session: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("motcua-csrf".utf8), using: SymmetricKey(data: Data(session.utf8)))
        return Data(mac).base64URLEncoded
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

    private struct FormExpiredKey: StorageKey {
        typealias Value = Bool
    }

    /// Whether this page shows a form again because its token was lost (the layout then says to send it again).
    var formExpired: Bool {
        get { storage[FormExpiredKey.self] ?? false }
        set { storage[FormExpiredKey.self] = newValue }
    }
}
