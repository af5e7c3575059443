import Fluent

struct CreateAgency: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AgencyModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("name_en", .string)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references(AgencyModel.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AgencyModel.schema).delete()
    }
}