import Vapor

/// Who may reach a route at all. Every route declares one (a test fails for a route without), and
/// `AccessMiddleware` enforces it before the handler runs; what a signed-in person may do with a particular record
/// is then `Domain.AccessPolicy`'s answer inside the handler.
enum RouteAccess: Sendable, Equatable {
    /// Anyone, signed in or not: the catalogue, sign-in and registration, operations.
    case everyone
    /// A signed-in account of any kind.
    case signedIn
    /// A signed-in officer; citizens and businesses are refused (403). Which officers, for which records, is the
    /// access policy's answer in the handler.
    case officer
    /// An integration with a valid API token (`Authorization: Bearer`).
    case apiClient
    /// Operators' tools: a scraper on this host, or one sending `MOTCUA_METRICS_TOKEN` as a bearer token.
    case operatorTool
}

extension Route {
    private static let accessKey = "motcua.access"
    private static let shownAgainKey = "motcua.shown-again"

    /// Draws this form's page again from the posted fields, when the form must be sent again (`CSRFMiddleware`).
    typealias FormPage = @Sendable (Request) async throws -> View

    var shownAgain: FormPage? {
        userInfo[Self.shownAgainKey] as? FormPage
    }

    /// Declares how this form's page is drawn again with what was posted, so a lost anti-forgery token never
    /// loses what was typed.
    @discardableResult
    func shownAgain(by page: @escaping FormPage) -> Route {
        userInfo[Self.shownAgainKey] = page
        return self
    }

    /// The route's declared access, if it has one.
    var access: RouteAccess? {
        userInfo[Self.accessKey] as? RouteAccess
    }

    /// Declares who may reach this route.
    @discardableResult
    func access(_ access: RouteAccess) -> Route {
        userInfo[Self.accessKey] = access
        return self
    }
}

struct AccessMiddleware: AsyncMiddleware {
    enum Audience {
        /// People in a browser: sent to the sign-in page.
        case pages
        /// Programs: told 401.
        case api
    }

    let audience: Audience

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        switch request.route?.access {
        case .everyone:
            return try await next.respond(to: request)
        case .signedIn:
            guard request.account != nil else {
                if audience == .api { throw Abort(.unauthorized) }
                return request.redirect(to: SiteURL.login.path, redirectType: .normal)
            }
            return try await next.respond(to: request)
        case .officer:
            guard let account = request.account else {
                return request.redirect(to: SiteURL.login.path, redirectType: .normal)
            }
            guard account.kind == .officer else { throw UserError(.denied(.roleDoesNotAllow)) }
            return try await next.respond(to: request)
        case .operatorTool:
            guard OperatorAccess.allows(request) else {
                request.logger.notice("operations endpoint refused", metadata: ["path": "\(request.url.path)"])
                throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer"])
            }
            return try await next.respond(to: request)
        case .apiClient:
            guard request.apiToken != nil else { throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer"]) }
            return try await next.respond(to: request)
        case nil:
            // No route (a 404 follows, or a static file) or an undeclared one: refuse rather than guess.
            if request.route == nil { return try await next.respond(to: request) }
            request.logger.error("route without declared access", metadata: ["path": "\(request.url.path)"])
            throw Abort(.forbidden)
        }
    }
}

/// Who may read what operators read (metrics tell request volumes per route, pool sizes, errors).
enum OperatorAccess {
    static func allows(_ request: Request) -> Bool {
        // With a token configured it is the only way in: behind a proxy on this host every request looks local.
        if let expected = request.application.config.metricsToken {
            guard let bearer = request.headers.bearerAuthorization else { return false }
            return ConstantTime.equal(bearer.token, expected)
        }
        // A proxy in front makes every request look local: a forwarded request is not a local one.
        guard request.headers.first(name: "X-Forwarded-For") == nil, request.headers.first(name: "Forwarded") == nil,
            let address = request.remoteAddress?.ipAddress
        else { return false }
        return address == "127.0.0.1" || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
