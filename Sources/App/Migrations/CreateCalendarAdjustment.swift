import Domain
import Fluent

struct CreateCalendarAdjustment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CalendarAdjustmentModel.schema)
            .id()
            .field("date", .string, .required)
            .field("year", .int, .required)
            .field("kind", .string, .required)
            .field("reference", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "date")
            .create()
        // The 2025 decision DESIGN.md §4 names is national and already in force: every installation has it.
        for adjustment in CalendarAdjustment.example2025 {
            try await CalendarAdjustmentModel(adjustment).create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarAdjustmentModel.schema).delete()
    }
}