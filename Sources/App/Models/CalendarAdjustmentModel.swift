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
