import Fluent

/// Office hours per agency (`08:00-12:00,13:00-17:00`); none recorded: the unit above's, else the standard hours.
struct AddAgencyOfficeHours: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AgencyModel.schema).field("office_hours", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AgencyModel.schema).deleteField("office_hours").update()
    }
}