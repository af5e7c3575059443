import Domain
import Fluent
import Foundation
import SQLKit

/// Recording and removing the year's adjustments to the national calendar (the Prime Minister's days off and
/// swaps): checked against the year's other adjustments, audited, and announced to what depends on the calendar
/// (`calendar.changed`), in one transaction. Pages, the API and commands call these with a `ChangeContext`.
enum CalendarAdjustments {
    enum Refusal: Error, Equatable {
        /// The date already has an adjustment (also when another one was recorded at the same moment).
        case exists(CivilDate)
        /// The adjustment contradicts the year's calendar.
        case contradicts(CalendarAdjustmentProblem)
    }

    /// Records `adjustment`; throws `Refusal` with what is wrong, having saved nothing.
    static func add(_ adjustment: CalendarAdjustment, context: ChangeContext) async throws {
        try context.authorize(.create, Resource(.calendar))
        let date = adjustment.date
        do {
            try await context.database.transaction { transaction in
                let stored = try await CalendarAdjustmentModel.query(on: transaction).filter(\.$year == date.year).all()
                if stored.contains(where: { $0.date == date.description }) { throw Refusal.exists(date) }
                do {
                    _ = try YearCalendar(year: date.year, adjustments: stored.compactMap(\.adjustment) + [adjustment])
                } catch let problem as CalendarAdjustmentProblem {
                    throw Refusal.contradicts(problem)
                }
                try await CalendarAdjustmentModel(adjustment).create(on: transaction)
                try await context.audit(
                    "calendar.adjusted", subject: "calendar:\(date)",
                    details: ["kind": adjustment.kind.rawValue, "reference": adjustment.reference], on: transaction)
                try await Jobs.enqueue(CalendarChangedJob.self, .init(year: date.year), on: transaction, runAt: context.now)
            }
        } catch let error where UniqueViolation(error) == .calendarDate {
            throw Refusal.exists(date)
        }
    }

    /// Removes the adjustment `id`; nil when there is none (already removed).
    @discardableResult
    static func remove(_ id: UUID, context: ChangeContext) async throws -> CalendarAdjustmentModel? {
        try context.authorize(.delete, Resource(.calendar))
        return try await context.database.transaction { transaction in
            // Deleted only if still there: of two removals at the same moment, one removes and records it.
            guard let model = try await CalendarAdjustmentModel.find(id, on: transaction),
                let sql = transaction as? any SQLDatabase,
                try await sql.raw("DELETE FROM calendar_adjustments WHERE id = \(bind: id) RETURNING id").first() != nil
            else { return nil }
            try await context.audit(
                "calendar.adjustment_removed", subject: "calendar:\(model.date)",
                details: ["kind": model.kind.rawValue, "reference": model.reference], on: transaction)
            try await Jobs.enqueue(CalendarChangedJob.self, .init(year: model.year), on: transaction, runAt: context.now)
            return model
        }
    }
}
