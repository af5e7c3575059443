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