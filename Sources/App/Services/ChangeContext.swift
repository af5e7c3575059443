import Domain
import Fluent
import Vapor

/// Who makes a change, when, and in which application: what every service that changes state takes besides its
/// input, and never a `Request` (DESIGN.md §7). A page, an API handler, a command and a job build one and call the
/// same function, so they check the same rules and write the same audit entries.
struct ChangeContext: Sendable {
    var database: any Database
    var actor: Actor
    var now: Date
    /// Configuration, localization, password hashing and caches.
    var app: Application
    var logger: Logger
    /// The acting person's language, given to what the change creates in their name (a new officer's first
    /// language, until they choose theirs).
    var language: Language = .vi

    /// The same change reading and writing through `database` (its transaction).
    func on(_ database: any Database) -> ChangeContext {
        var copy = self
        copy.database = database
        return copy
    }

    /// Records the change in the audit log on `database` (pass the change's transaction, so the entry exists
    /// exactly when the change does).
    func audit(
        _ action: String, subject: String, agency: String? = nil, details: [String: String] = [:],
        filedUnder: [String] = [], on database: any Database
    ) async throws {
        try await AuditLog.append(
            .init(
                actor: actor.auditName, action: action, subject: subject, agency: agency, details: details,
                filedUnder: filedUnder),
            on: database, at: now)
        logger.notice("\(action)", metadata: ["subject": "\(subject)", "by": "\(actor.auditName)"])
    }

    /// Asks the access policy and throws its refusal (401/403 with the reason), logging it.
    func authorize(_ action: Domain.Action, _ resource: Resource) throws {
        try Self.enforce(AccessPolicy.decide(actor, action, resource), action: action, resource: resource, logger: logger)
    }

    static func enforce(_ decision: Decision, action: Domain.Action, resource: Resource, logger: Logger) throws {
        guard case .deny(let reason) = decision else { return }
        logger.notice("access denied", metadata: [
            "action": "\(action.rawValue)", "resource": "\(resource.kind.rawValue)",
            "agency": "\(resource.agencyPath.last ?? "-")", "reason": "\(reason.rawValue)",
        ])
        throw UserError(.denied(reason))
    }

    /// A change made at the command line by the login running it.
    static func console(_ app: Application) -> ChangeContext {
        let user = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
        return ChangeContext(
            database: app.db, actor: .console(user: user ?? "unknown"), now: app.clock.now, app: app,
            logger: app.logger)
    }
}

extension Request {
    /// This request's actor, time and database, for a service to act with.
    func change() async throws -> ChangeContext {
        ChangeContext(
            database: db, actor: try await actor(), now: now, app: application, logger: logger, language: language)
    }
}
