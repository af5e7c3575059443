import Domain
import Fluent
import SQLKit

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
