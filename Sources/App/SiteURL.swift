import Domain
import Vapor

/// Every path of the site, in one place: routes are registered from it and templates get links built from it,
/// so the two cannot drift apart.
enum SiteURL: Equatable {
    case home
    case procedures
    case procedure(code: String)
    case language(String)
    case register
    case login
    case logout
    case logoutEverywhere
    case account
    case passwordForgot
    case passwordReset
    case passwordChange
    case notifications
    case notificationsRead
    case healthz
    case readyz
    case metrics
    case api(API)

    enum API: Equatable {
        case procedures
        case procedure(code: String)
        case agencies
        case openAPI
        case me
    }

    var path: String {
        "/" + components.joined(separator: "/")
    }

    /// Path components, with route parameters as `:name` for registration.
    var pathComponents: [PathComponent] {
        switch self {
        case .procedure: ["procedures", ":code"]
        case .language: ["language", ":code"]
        case .api(.procedure): ["api", "v1", "procedures", ":code"]
        default: components.map { PathComponent(stringLiteral: $0) }
        }
    }

    private var components: [String] {
        switch self {
        case .home: []
        case .procedures: ["procedures"]
        case .procedure(let code): ["procedures", Self.escape(code)]
        case .language(let code): ["language", Self.escape(code)]
        case .register: ["register"]
        case .login: ["login"]
        case .logout: ["logout"]
        case .logoutEverywhere: ["account", "logout-everywhere"]
        case .account: ["account"]
        case .passwordForgot: ["password", "forgot"]
        case .passwordReset: ["password", "reset"]
        case .passwordChange: ["account", "password"]
        case .notifications: ["notifications"]
        case .notificationsRead: ["notifications", "read"]
        case .healthz: ["healthz"]
        case .readyz: ["readyz"]
        case .metrics: ["metrics"]
        case .api(.procedures): ["api", "v1", "procedures"]
        case .api(.procedure(let code)): ["api", "v1", "procedures", Self.escape(code)]
        case .api(.agencies): ["api", "v1", "agencies"]
        case .api(.openAPI): ["api", "v1", "openapi.yaml"]
        case .api(.me): ["api", "v1", "me"]
        }
    }

    private static func escape(_ component: String) -> String {
        component.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? component
    }
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        get(url.pathComponents, use: handler)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        post(url.pathComponents, use: handler)
    }
}
