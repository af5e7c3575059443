import Domain
import Fluent
import SQLKit
import Vapor

/// "Sign in with VNeID": the authorization code flow with PKCE, state and nonce. The personal ID in the verified
/// ID token finds the citizen's account (linking it on first use) or creates one.
enum OIDCController {
    static let browserCookie = "motcua_oidc"
    static let lifetime: TimeInterval = 600

    private static func provider(_ req: Request) throws -> OIDCProvider {
        guard let provider = req.application.oidcProvider else { throw UserError(.pageNotFound) }
        return provider
    }

    static func redirectURI(_ req: Request) -> String {
        req.application.config.publicURL + SiteURL.oidcCallback.path
    }

    /// `GET /auth/oidc/start`: remembers the sign-in and sends the browser to the provider.
    @Sendable static func start(req: Request) async throws -> Response {
        let provider = try provider(req)
        let discovery: OIDCProvider.Discovery
        do {
            discovery = try await provider.metadata(req.client).0
        } catch {
            req.logger.error("identity provider unavailable", metadata: ["error": "\(error)"])
            return try await failure(req, key: "oidc_unavailable", status: .serviceUnavailable)
        }
        let browser = Sessions.randomToken()
        let login = OIDCLoginModel()
        login.state = Sessions.randomToken()
        login.nonce = Sessions.randomToken()
        login.codeVerifier = Sessions.randomToken() + Sessions.randomToken()
        login.browserHash = Sessions.hash(browser)
        login.expiresAt = req.now.addingTimeInterval(lifetime)
        try await login.create(on: req.db)
        // Abandoned sign-ins are cleared as new ones start.
        try await OIDCLoginModel.query(on: req.db).filter(\.$expiresAt < req.now).delete()

        guard var url = URLComponents(string: discovery.authorizationEndpoint) else {
            throw OIDCProvider.Failure.providerUnavailable("authorization_endpoint is not a URL")
        }
        url.queryItems = (url.queryItems ?? []) + [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: provider.config.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI(req)),
            URLQueryItem(name: "scope", value: provider.config.scopes),
            URLQueryItem(name: "state", value: login.state),
            URLQueryItem(name: "nonce", value: login.nonce),
            URLQueryItem(name: "code_challenge", value: OIDCProvider.codeChallenge(for: login.codeVerifier)),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let target = url.string else { throw Abort(.internalServerError) }
        let response = req.redirect(to: target, redirectType: .normal)
        // Lax: the provider's redirect back is a top-level navigation, which Lax cookies accompany.
        response.cookies[browserCookie] = HTTPCookies.Value(
            string: browser, maxAge: Int(lifetime), path: "/auth/oidc", isSecure: req.isSecure, isHTTPOnly: true,
            sameSite: .lax)
        return response
    }

    /// `GET /auth/oidc/callback?code=&state=`: checks the sign-in is this browser's, redeems the code, verifies
    /// the ID token, and signs the citizen in.
    @Sendable static func callback(req: Request) async throws -> Response {
        let provider = try provider(req)
        if let error = try? req.query.get(String.self, at: "error") {
            req.logger.notice("identity provider sign-in not completed", metadata: ["error": "\(error.prefix(64))"])
            return try await failure(req, key: "oidc_cancelled", status: .unauthorized)
        }
        let state = (try? req.query.get(String.self, at: "state")) ?? ""
        let code = (try? req.query.get(String.self, at: "code")) ?? ""
        guard !state.isEmpty, state.count <= 128, !code.isEmpty, code.count <= 2048,
            let login = try await OIDCLoginModel.query(on: req.db).filter(\.$state == state).first()
        else {
            req.logger.notice("identity provider callback refused: unknown state")
            return try await failure(req, key: "oidc_failed", status: .badRequest)
        }
        // Single use, whatever happens next.
        try await login.delete(on: req.db)
        let browser = req.cookies[browserCookie]?.string ?? ""
        guard login.expiresAt > req.now, ConstantTime.equal(Sessions.hash(browser), login.browserHash) else {
            req.logger.notice("identity provider callback refused: expired or another browser's")
            return try await failure(req, key: "oidc_failed", status: .badRequest)
        }
        let claims: OIDCProvider.Claims
        do {
            let idToken = try await provider.redeem(
                code: code, verifier: login.codeVerifier, redirectURI: redirectURI(req), client: req.client)
            claims = try await provider.verify(idToken, nonce: login.nonce, client: req.client, now: req.now)
        } catch {
            req.logger.warning("identity provider sign-in refused", metadata: ["reason": "\(error)"])
            return try await failure(req, key: "oidc_failed", status: .unauthorized)
        }
        let account: AccountModel
        do {
            account = try await SingleSignOn.account(for: claims, provider: provider.config, context: try await req.change())
        } catch let failure as OIDCProvider.Failure {
            req.logger.warning("identity provider sign-in refused", metadata: ["reason": "\(failure)"])
            return try await Self.failure(req, key: "oidc_no_personal_id", status: .unauthorized)
        }
        let response = req.redirect(to: SiteURL.account.path, redirectType: .normal)
        response.cookies[Sessions.cookieName] = try await Sessions.start(for: try account.requireID(), on: req)
        response.cookies[browserCookie] = HTTPCookies.Value(string: "", maxAge: 0, path: "/auth/oidc")
        return response
    }

    private static func failure(_ req: Request, key: String, status: HTTPResponseStatus) async throws -> Response {
        let context = MessagePageContext(
            page: PageContext(request: req, title: req.localized("oidc_title")), message: req.localized(key),
            link: .init(label: req.localized("nav_login"), url: SiteURL.login.path, lang: req.language.rawValue))
        return try await req.view.render("message", context).encodeResponse(status: status, for: req)
    }
}

/// Finds or creates the citizen account behind a verified identity.
enum SingleSignOn {
    /// Another sign-in of the same person linked the account a moment ago.
    private struct AlreadyLinked: Error {}

    /// The account of the person `claims` identify. Two sign-ins of the same person at the same moment (two tabs,
    /// a double tap) end in the same account: whichever loses the race on the unique keys takes the winner's.
    static func account(for claims: OIDCProvider.Claims, provider: AppConfig.OIDC, context: ChangeContext)
        async throws -> AccountModel
    {
        let subject = claims.issuer + "|" + claims.subject
        do {
            return try await findOrCreate(claims, subject: subject, context: context)
        } catch {
            guard UniqueViolation(error) != nil else { throw error }
            if let linked = try await AccountModel.query(on: context.database).filter(\.$ssoSubject == subject).first() {
                return linked
            }
            // A registration with this personal ID won the race: once more, now linking that account.
            return try await findOrCreate(claims, subject: subject, context: context)
        }
    }

    private static func findOrCreate(_ claims: OIDCProvider.Claims, subject: String, context: ChangeContext)
        async throws -> AccountModel
    {
        let db = context.database
        if let linked = try await AccountModel.query(on: db).filter(\.$ssoSubject == subject).first() {
            return linked
        }
        guard let raw = claims.personalID else { throw OIDCProvider.Failure.missingPersonalID }
        let birth = claims.birthdate.flatMap(Self.birthDate)
        guard let personalID = try? CitizenID(raw, bornOn: birth) else { throw OIDCProvider.Failure.invalidPersonalID }
        let claimedEmail = claims.email.map { $0.lowercased() }.flatMap { RegistrationRules.isEmail($0) ? $0 : nil }
        if let existing = try await AccountModel.query(on: db).filter(\.$personalID == personalID.value).first() {
            // Registration cannot prove a personal ID belongs to whoever typed it; the provider can. The verified
            // person takes the account over: its password and sessions stop working (whoever registered it may not
            // be them), outstanding reset links are spent, and the provider's email replaces an unverified one.
            let previousEmail = existing.email
            existing.ssoSubject = subject
            if let claimedEmail, claimedEmail != existing.email,
                try await AccountModel.query(on: db).filter(\.$email == claimedEmail).count() == 0
            {
                existing.email = claimedEmail
            }
            let unusable = try await Passwords.unusable(in: context.app)
            let accountID = try existing.requireID()
            let link = { (account: AccountModel) in
                try await db.transaction { transaction in
                    // The link is claimed first, only if the account is not linked to this identity yet: of two
                    // first sign-ins at the same moment, one takes the account over and the other finds it done.
                    guard let sql = transaction as? any SQLDatabase,
                        try await sql.raw("""
                            UPDATE accounts SET sso_subject = \(bind: subject)
                            WHERE id = \(bind: accountID) AND (sso_subject IS NULL OR sso_subject <> \(bind: subject))
                            RETURNING id
                            """).first() != nil
                    else { throw AlreadyLinked() }
                    try await Credentials.replace(
                        of: account, with: unusable,
                        because: .linkedToIdentity(issuer: claims.issuer, previousEmail: previousEmail),
                        context: context, on: transaction)
                }
            }
            do {
                try await link(existing)
            } catch where UniqueViolation(error) == .accountEmail && existing.email != previousEmail {
                // Another account took the provider's email in the meantime: the account keeps its own.
                existing.email = previousEmail
                try await link(existing)
            } catch is AlreadyLinked {
                return try await AccountModel.find(accountID, on: db) ?? existing
            }
            return existing
        }
        let account = AccountModel()
        account.kind = .citizen
        // The provider's claims are input too: control characters are dropped, the name kept in NFC.
        let name = TextInput.normalized(String(decoding: (claims.name ?? "").utf8.prefix(1000), as: UTF8.self)).unicodeScalars.filter { !TextInput.hasControlCharacters(String($0)) }
        account.fullName = String(String(String.UnicodeScalarView(name)).prefix(RegistrationRules.maximumNameLength))
        // The email must be unique; when the provider gives none, or one another account uses, a placeholder keeps
        // the account reachable by its identity only until the citizen adds theirs.
        let placeholder = "sso-\(personalID.value)@accounts.motcua.invalid"
        account.email = placeholder
        if let claimedEmail, try await AccountModel.query(on: db).filter(\.$email == claimedEmail).count() == 0 {
            account.email = claimedEmail
        }
        account.phone = ""
        account.personalID = personalID.value
        account.birthDate = claims.birthdate.flatMap { Self.birthDate($0) != nil ? $0 : nil }
        account.ssoSubject = subject
        account.language = context.language.rawValue
        account.passwordHash = try await Passwords.unusable(in: context.app)
        do {
            try await create(account, issuer: claims.issuer, context: context)
        } catch where UniqueViolation(error) == .accountEmail && account.email != placeholder {
            // A registration took the provider's email in the meantime.
            account.id = nil
            account.email = placeholder
            try await create(account, issuer: claims.issuer, context: context)
        }
        return account
    }

    /// Saves the new account and its audit entry together; the citizen is the actor.
    private static func create(_ account: AccountModel, issuer: String, context: ChangeContext) async throws {
        try await context.database.transaction { transaction in
            try await account.create(on: transaction)
            var citizen = context
            citizen.actor = .applicant(id: try account.requireID())
            try await citizen.audit(
                "sso.account_created", subject: AuditLog.name("account", try account.requireID()),
                details: ["issuer": issuer], on: transaction)
        }
    }

    /// `YYYY-MM-DD` as the date components `CitizenID` checks the century digit against.
    static func birthDate(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return DateComponents(year: parts[0], month: parts[1], day: parts[2])
    }
}

extension Application {
    private struct OIDCProviderKey: StorageKey {
        typealias Value = OIDCProvider
    }

    /// The identity provider, when `MOTCUA_OIDC_*` configure one.
    var oidcProvider: OIDCProvider? {
        get { storage[OIDCProviderKey.self] }
        set { storage[OIDCProviderKey.self] = newValue }
    }
}
