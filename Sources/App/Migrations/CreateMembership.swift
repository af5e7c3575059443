import Fluent

struct CreateMembership: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MembershipModel.schema)
            .id()
            .field("account_id", .uuid, .required, .references(AccountModel.schema, "id", onDelete: .cascade))
            .field("agency_id", .uuid, .references(AgencyModel.schema, "id", onDelete: .restrict))
            .field("role", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "account_id", "agency_id", "role")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MembershipModel.schema).delete()
    }
}