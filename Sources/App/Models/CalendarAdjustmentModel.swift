import Domain
import Fluent
import Foundation

/// A change to one year's public calendar, as decided each year (an extra day off, a weekend day worked), with the
/// document that decides it.
final class CalendarAdjustmentModel: Model, @unchecked Sendable {
    static let schema = "calendar_adjustments"

    @ID(key: .id) var id: UUID?
    /// `YYYY-MM-DD`; unique: a day is adjusted once.
    @Field(key: "date") var date: String
    @Field(key: "year") var year: Int
    @Enum(key: "kind") var kind: CalendarAdjustment.Kind
    @Field(key: "reference") var reference: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ adjustment: CalendarAdjustment) {
        date = adjustment.date.description
        year = adjustment.date.year
        kind = adjustment.kind
        reference = adjustment.reference
    }

    var adjustment: CalendarAdjustment? {
        CivilDate(iso: date).map { CalendarAdjustment(date: $0, kind: kind, reference: reference) }
    }
}

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

/// Office hours per agency (`08:00-12:00,13:00-17:00`); none recorded: the unit above's, else the standard hours.
struct AddAgencyOfficeHours: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AgencyModel.schema).field("office_hours", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AgencyModel.schema).deleteField("office_hours").update()
    }
}
