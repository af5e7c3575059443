import Fluent
import SQLKit

/// One account per verified identity: a unique key on the provider's subject (accounts without one, NULL, are not
/// counted by either engine), which also makes finding the account at each sign-in an index lookup.
struct UpdateAccountAddSSOSubjectKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "accounts_sso_subject").on(AccountModel.schema).column("sso_subject").unique().run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "accounts_sso_subject").run()
    }
}
