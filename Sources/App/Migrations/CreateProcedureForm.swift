import Fluent

struct CreateProcedureForm: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProcedureFormModel.schema)
            .id()
            .field("procedure_id", .uuid, .required, .references(ProcedureModel.schema, "id"))
            .field("version", .int, .required)
            .field("definition", .string, .required)
            .field("reason", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "procedure_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProcedureFormModel.schema).delete()
    }
}
