import Fluent
import Foundation
import SQLKit

/// A unit of work that must happen even if the process stops: an email, later a sync with a national system.
/// Written in the same transaction as the change that causes it (the outbox), then run by a worker.
final class JobModel: Model, @unchecked Sendable {
    static let schema = "jobs"

    enum State: String, Codable, Sendable, CaseIterable {
        /// Waiting for `runAt`.
        case queued
        /// Leased by a worker until `leasedUntil`; a lease that runs out means the worker died, and the job is
        /// leased again.
        case running
        case done
        /// Failed `maxAttempts` times or permanently: kept for a person to read and, if right, to requeue.
        case dead
    }

    @ID(key: .id) var id: UUID?
    /// Which handler runs it (`email`, ...).
    @Field(key: "kind") var kind: String
    /// The handler's input as JSON.
    @Field(key: "payload") var payload: String
    @Enum(key: "state") var state: State
    @Field(key: "attempts") var attempts: Int
    @Field(key: "max_attempts") var maxAttempts: Int
    @Field(key: "run_at") var runAt: Date
    @OptionalField(key: "leased_until") var leasedUntil: Date?
    @OptionalField(key: "leased_by") var leasedBy: String?
    @OptionalField(key: "last_error") var lastError: String?
    /// Set by callers that may enqueue the same work twice; unique, so the second enqueue is a no-op.
    @OptionalField(key: "idempotency_key") var idempotencyKey: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}
}
