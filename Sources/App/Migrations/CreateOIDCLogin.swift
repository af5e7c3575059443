import Fluent

struct CreateOIDCLogin: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OIDCLoginModel.schema)
            .id()
            .field("state", .string, .required)
            .field("nonce", .string, .required)
            .field("code_verifier", .string, .required)
            .field("browser_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "state")
            .create()
        // The provider's subject an account is linked to, so later sign-ins find it even if claims change.
        try await database.schema(AccountModel.schema)
            .field("sso_subject", .string)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).deleteField("sso_subject").update()
        try await database.schema(OIDCLoginModel.schema).delete()
    }
}