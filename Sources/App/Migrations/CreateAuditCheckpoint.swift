import Fluent
import SQLKit

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