import Fluent
import SQLKit

/// `audit_scope`: each audit entry filed under its units and every unit above them, so that an auditor's page
/// reads their entries through an index (agency, seq) however long the log grows. Existing entries are filed
/// under their agency's path.
struct CreateAuditScope: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_scope")
            .field("agency", .string, .required)
            .field("seq", .int, .required)
            .compositeIdentifier(over: "agency", "seq")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("""
            WITH RECURSIVE above(start, id, parent_id, code) AS (
                SELECT code, id, parent_id, code FROM agencies WHERE code IN (SELECT agency FROM audit_log)
                UNION SELECT above.start, agencies.id, agencies.parent_id, agencies.code
                FROM agencies JOIN above ON agencies.id = above.parent_id
            )
            INSERT INTO audit_scope (agency, seq)
            SELECT DISTINCT above.code, audit_log.seq FROM audit_log JOIN above ON above.start = audit_log.agency
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_scope").delete()
    }
}

/// `audit_checkpoint`: how far the chain was last checked (its entry's number and hash), when it was last checked
/// in full, and where a check found it broken. One row.
struct CreateAuditCheckpoint: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_checkpoint")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int, .required)
            .field("hash", .string, .required)
            .field("checked_at", .datetime)
            .field("full_checked_at", .datetime)
            .field("broken_seq", .int)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.insert(into: "audit_checkpoint").columns("id", "seq", "hash")
            .values(SQLBind(1), SQLBind(0), SQLBind(AuditLog.genesis)).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_checkpoint").delete()
    }
}

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
