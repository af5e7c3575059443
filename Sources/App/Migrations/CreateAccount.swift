import Fluent

struct CreateAccount: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("full_name", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .field("personal_id", .string)
            .field("birth_date", .string)
            .field("business_name", .string)
            .field("tax_code", .string)
            .field("legal_representative", .string)
            .field("password_hash", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .unique(on: "personal_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).delete()
    }
}