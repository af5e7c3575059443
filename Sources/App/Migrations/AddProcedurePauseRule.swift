import Domain
import Fluent

/// The per-procedure pause rule (DESIGN.md §3): by default a supplement pause extends the deadline.
struct AddProcedurePauseRule: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProcedureModel.schema)
            .field("pause_rule", .string, .required, .sql(.default(PauseRule.extends.rawValue)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProcedureModel.schema).deleteField("pause_rule").update()
    }
}