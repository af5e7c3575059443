import Fluent

/// Accounts remember their language, so messages sent while they are away (emails, notifications made by the
/// worker) are written in it.
struct AddAccountLanguage: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountModel.schema)
            .field("language", .string, .required, .sql(.default("vi")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).deleteField("language").update()
    }
}