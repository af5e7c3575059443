import Fluent

/// `audit_looks`: looks at personal data counted within their window, before they are sealed into the log
/// (`AuditLooks`).
struct CreateAuditLook: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_looks")
            .field("key", .string, .identifier(auto: false))
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("agency", .string)
            .field("filed_under", .string, .required)
            .field("first_at", .datetime, .required)
            .field("last_at", .datetime, .required)
            .field("looks", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_looks").delete()
    }
}