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
    case oidcStart
    case oidcCallback
    case admin
    case adminOfficers
    case adminNewOfficer
    case adminOfficer(UUID)
    case adminGrantRole(UUID)
    case adminRevokeRole(UUID, UUID)
    case adminUnits
    case adminOfficeHours
    case adminTokens
    case adminTokenRevoke(UUID)
    case adminAudit
    case adminAuditVerify
    case adminCalendar
    case adminCalendarAdjustments
    case adminCalendarRemove(UUID)
    case adminProcedure(code: String)
    case adminJobs
    case adminJobRetry(UUID)
    case adminProcedurePauseRule(code: String)
    case adminProcedureForm(code: String)
    case healthz
    case readyz
    case metrics
    case api(API)

    enum API: Equatable {
        case procedures
        case procedure(code: String)
        case procedureForm(code: String)
        case agencies
        case openAPI
        case me
        case officers
        case officer(UUID)
        case officerRoles(UUID)
        case officerRole(UUID, UUID)
        case roles
        case tokens
        case calendarYear(Int)
        case calendarDue

        /// Under `/api/v1`, with route parameters as `:name`.
        var pathComponents: [PathComponent] {
            switch self {
            case .procedure: ["procedures", ":code"]
            case .procedureForm: ["procedures", ":code", "form"]
            case .officer: ["officers", ":id"]
            case .officerRoles: ["officers", ":id", "roles"]
            case .officerRole: ["officers", ":id", "roles", ":membership"]
            case .calendarYear: ["calendar", ":year"]
            case .procedures, .agencies, .openAPI, .me, .officers, .roles, .tokens, .calendarDue:
                components.map { PathComponent(stringLiteral: $0) }
            }
        }

        /// Under `/api/v1`.
        fileprivate var components: [String] {
            switch self {
            case .procedures: ["procedures"]
            case .procedure(let code): ["procedures", SiteURL.escape(code)]
            case .procedureForm(let code): ["procedures", SiteURL.escape(code), "form"]
            case .agencies: ["agencies"]
            case .openAPI: ["openapi.yaml"]
            case .me: ["me"]
            case .officers: ["officers"]
            case .officer(let id): ["officers", id.uuidString.lowercased()]
            case .officerRoles(let id): ["officers", id.uuidString.lowercased(), "roles"]
            case .officerRole(let id, let membership): ["officers", id.uuidString.lowercased(), "roles", membership.uuidString.lowercased()]
            case .roles: ["roles"]
            case .tokens: ["tokens"]
            case .calendarYear(let year): ["calendar", "\(year)"]
            case .calendarDue: ["calendar", "due"]
            }
        }
    }

    var path: String {
        "/" + components.joined(separator: "/")
    }

    /// Path components, with route parameters as `:name` for registration. Every case is listed, with no
    /// `default:`: a new address must say here whether it has parameters, so none registers a wrong path.
    var pathComponents: [PathComponent] {
        switch self {
        case .procedure: ["procedures", ":code"]
        case .language: ["language", ":code"]
        case .adminOfficer: ["admin", "officers", ":id"]
        case .adminGrantRole: ["admin", "officers", ":id", "roles"]
        case .adminRevokeRole: ["admin", "officers", ":id", "roles", ":membership", "revoke"]
        case .adminTokenRevoke: ["admin", "tokens", ":id", "revoke"]
        case .adminCalendarRemove: ["admin", "calendar", "adjustments", ":id", "remove"]
        case .adminProcedure: ["admin", "procedures", ":code"]
        case .adminJobRetry: ["admin", "jobs", ":id", "retry"]
        case .adminProcedurePauseRule: ["admin", "procedures", ":code", "pause-rule"]
        case .adminProcedureForm: ["admin", "procedures", ":code", "form"]
        case .api(let api): ["api", "v1"] + api.pathComponents
        case .home, .procedures, .register, .login, .logout, .logoutEverywhere, .account, .passwordForgot,
            .passwordReset, .passwordChange, .notifications, .notificationsRead, .oidcStart, .oidcCallback, .admin,
            .adminOfficers, .adminNewOfficer, .adminUnits, .adminOfficeHours, .adminTokens, .adminAudit,
            .adminAuditVerify, .adminCalendar, .adminCalendarAdjustments, .adminJobs, .healthz, .readyz, .metrics:
            components.map { PathComponent(stringLiteral: $0) }
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
        case .oidcStart: ["auth", "oidc", "start"]
        case .oidcCallback: ["auth", "oidc", "callback"]
        case .admin: ["admin"]
        case .adminOfficers: ["admin", "officers"]
        case .adminNewOfficer: ["admin", "officers", "new"]
        case .adminOfficer(let id): ["admin", "officers", id.uuidString.lowercased()]
        case .adminGrantRole(let id): ["admin", "officers", id.uuidString.lowercased(), "roles"]
        case .adminRevokeRole(let id, let membership):
            ["admin", "officers", id.uuidString.lowercased(), "roles", membership.uuidString.lowercased(), "revoke"]
        case .adminUnits: ["admin", "units"]
        case .adminOfficeHours: ["admin", "units", "hours"]
        case .adminTokens: ["admin", "tokens"]
        case .adminAudit: ["admin", "audit"]
        case .adminAuditVerify: ["admin", "audit", "verify"]
        case .adminCalendar: ["admin", "calendar"]
        case .adminCalendarAdjustments: ["admin", "calendar", "adjustments"]
        case .adminCalendarRemove(let id): ["admin", "calendar", "adjustments", id.uuidString.lowercased(), "remove"]
        case .adminTokenRevoke(let id): ["admin", "tokens", id.uuidString.lowercased(), "revoke"]
        case .adminProcedure(let code): ["admin", "procedures", Self.escape(code)]
        case .adminJobs: ["admin", "jobs"]
        case .adminJobRetry(let id): ["admin", "jobs", id.uuidString.lowercased(), "retry"]
        case .adminProcedurePauseRule(let code): ["admin", "procedures", Self.escape(code), "pause-rule"]
        case .adminProcedureForm(let code): ["admin", "procedures", Self.escape(code), "form"]
        case .healthz: ["healthz"]
        case .readyz: ["readyz"]
        case .metrics: ["metrics"]
        case .api(let api): ["api", "v1"] + api.components
        }
    }

    fileprivate static func escape(_ component: String) -> String {
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
    func delete<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.DELETE, url.pathComponents, use: handler)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        post(url.pathComponents, use: handler)
    }

    /// A POST that takes a body larger than the application's default (`Route.bodyLimit`).
    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, bodyLimit: ByteCount, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(.POST, url.pathComponents, body: .collect(maxSize: bodyLimit), use: handler)
        route.userInfo[Route.bodyLimitKey] = bodyLimit.value
        return route
    }
}

extension Route {
    fileprivate static let bodyLimitKey = "motcua.body-limit"

    /// The largest body the route reads, in bytes, when it declared one larger than the default.
    var bodyLimit: Int? {
        userInfo[Self.bodyLimitKey] as? Int
    }
}
