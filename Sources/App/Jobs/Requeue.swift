import Domain
import Fluent
import Foundation
import SQLKit

/// Sending a dead job again (after its cause was fixed): back to the queue with its attempts reset, audited.
enum Requeue {
    enum Refusal: Error, Equatable {
        case notFound
        /// Only dead jobs are sent again; a queued or running one is already on its way (also when another
        /// administrator sent it again a moment ago).
        case notDead
        /// Its private content was blanked when it died: there is nothing left to send.
        case redacted
    }

    static func job(_ id: UUID, context: ChangeContext) async throws {
        try context.authorize(.update, Resource(.jobQueue))
        try await context.database.transaction { transaction in
            guard let job = try await JobModel.find(id, on: transaction) else { throw Refusal.notFound }
            guard job.payload != JobWorker.redactedPayload else { throw Refusal.redacted }
            // Requeued only if still dead: of two requests at the same moment, one sends it and records it.
            guard let sql = transaction as? any SQLDatabase,
                try await sql.raw("""
                    UPDATE jobs SET state = 'queued', attempts = 0, run_at = \(bind: context.now), finished_at = NULL
                    WHERE id = \(bind: id) AND state = 'dead' RETURNING id
                    """).first() != nil
            else { throw Refusal.notDead }
            try await context.audit("job.requeued", subject: AuditLog.name("job", id), details: ["kind": job.kind], on: transaction)
        }
    }
}
