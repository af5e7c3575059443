import Fluent
import SQLKit

struct CreateJob: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JobModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("leased_until", .datetime)
            .field("leased_by", .string)
            .field("last_error", .string)
            .field("idempotency_key", .string)
            .field("created_at", .datetime)
            .field("finished_at", .datetime)
            .unique(on: "idempotency_key")
            .create()
        // The worker's query: due jobs by time.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "jobs_due").on(JobModel.schema).column("state").column("run_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobModel.schema).delete()
    }
}