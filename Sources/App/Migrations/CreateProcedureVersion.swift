import Fluent

struct CreateProcedureVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProcedureVersionModel.schema)
            .id()
            .field("procedure_id", .uuid, .required, .references(ProcedureModel.schema, "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("data", .string, .required)
            .field("source_hash", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "procedure_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProcedureVersionModel.schema).delete()
    }
}