import Fluent

struct CreateProcedure: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProcedureModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("field", .string, .required)
            .field("levels", .string, .required)
            .field("managing_agency_id", .uuid, .required, .references(AgencyModel.schema, "id", onDelete: .restrict))
            .field("current_version", .int, .required)
            .field("data", .string, .required)
            .field("source_hash", .string, .required)
            .field("parse_issues", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProcedureModel.schema).delete()
    }
}