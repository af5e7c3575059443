import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Work a job does, by kind. Handlers must be idempotent: a worker that dies after the work but before recording
/// it leaves the job to run again (at-least-once), so a handler uses `JobContext.jobID` to recognise a repeat.
protocol JobHandler: Sendable {
    associatedtype Payload: Codable & Sendable
    /// Stored with each job; never rename one that may still be queued.
    static var kind: String { get }
    /// Whether the payload is blanked once the job is done (it may hold a reset link or personal data).
    static var redactsPayloadWhenDone: Bool { get }
    func handle(_ payload: Payload, context: JobContext) async throws
}

extension JobHandler {
    static var redactsPayloadWhenDone: Bool { false }
}

/// What a handler gets besides its payload.
struct JobContext: Sendable {
    var application: Application
    var jobID: UUID
    /// 1 for the first run.
    var attempt: Int
    var logger: Logger
    var db: any Database { application.db }
}

/// A failure that says whether trying again can help (a server down) or not (an address the server refuses).
/// Other errors are treated as transient.
protocol ClassifiedJobError: Error {
    var isTransient: Bool { get }
}

/// A payload that no handler can read: retrying cannot help.
struct UndecodablePayload: ClassifiedJobError, CustomStringConvertible {
    var kind: String
    var description: String { "the payload of a \(kind) job cannot be decoded" }
    var isTransient: Bool { false }
}

/// The registered handlers and the retry policy; the queue's entry points.
struct Jobs: Sendable {
    fileprivate typealias Run = @Sendable (String, JobContext) async throws -> Void
    fileprivate var handlers: [String: (run: Run, redacts: Bool)] = [:]
    var retryPolicy = RetryPolicy()
    /// How long a worker may hold a job before others assume it died.
    var lease: TimeInterval = 300

    mutating func register<Handler: JobHandler>(_ handler: Handler) {
        handlers[Handler.kind] = (
            run: { json, context in
                guard let payload = try? JSONColumn.value(Handler.Payload.self, from: json) else {
                    throw UndecodablePayload(kind: Handler.kind)
                }
                try await handler.handle(payload, context: context)
            },
            redacts: Handler.redactsPayloadWhenDone)
    }

    /// Adds a job to the outbox on `database`: pass the transaction of the change that causes it, so both are
    /// saved or neither. With an `idempotencyKey`, enqueueing the same work twice stores it once.
    static func enqueue<Handler: JobHandler>(
        _ handler: Handler.Type, _ payload: Handler.Payload, on database: any Database,
        runAt: Date, idempotencyKey: String? = nil, maxAttempts: Int? = nil
    ) async throws {
        if let idempotencyKey,
            try await JobModel.query(on: database).filter(\.$idempotencyKey == idempotencyKey).count() > 0
        {
            return
        }
        let job = JobModel()
        job.kind = Handler.kind
        job.payload = try JSONColumn.text(payload)
        job.state = .queued
        job.attempts = 0
        job.maxAttempts = maxAttempts ?? RetryPolicy().maxAttempts
        job.runAt = runAt
        job.idempotencyKey = idempotencyKey
        try await job.create(on: database)
    }
}

extension Application {
    private struct JobsKey: StorageKey {
        typealias Value = Jobs
    }

    var jobs: Jobs {
        get { storage[JobsKey.self] ?? Jobs() }
        set { storage[JobsKey.self] = newValue }
    }
}

/// Leases due jobs and runs them. Several workers (threads or instances) may run at once: on PostgreSQL a job is
/// leased with `FOR UPDATE SKIP LOCKED`, so two never take the same one; SQLite has a single writer.
struct JobWorker: Sendable {
    let application: Application
    /// Names this worker in `leased_by`, so only it can record the outcome of its lease.
    let name: String
    /// Jobs run per pass before the loop looks again at cancellation and idleness.
    var batchSize = 10
    /// What a private payload becomes once its job is done or dead.
    static let redactedPayload = "{}"

    init(application: Application, name: String = "worker-" + UUID().uuidString.prefix(8)) {
        self.application = application
        self.name = name
    }

    /// One pass: lease a due job, run it, record its outcome, until none is due or `batchSize` ran. One job is
    /// leased at a time, so a slow job (a mail server taking a minute) never lets the leases of others run out
    /// while they wait. `now` fixes the clock (tests); otherwise each job reads it afresh. Returns how many ran.
    @discardableResult
    func runDueJobs(now: Date? = nil) async throws -> Int {
        var ran = 0
        while ran < batchSize, let job = try await lease(now: now ?? application.clock.now) {
            await run(job, now: now)
            ran += 1
        }
        return ran
    }

    /// Runs passes until the task is cancelled, pausing `idle` when nothing was due, with the housekeeping of
    /// `Maintenance` every `Maintenance.interval`.
    func run(idle: Duration = .seconds(2)) async {
        application.logger.info("job worker started", metadata: ["worker": "\(name)"])
        var lastMaintenance = Date.distantPast
        while !Task.isCancelled {
            do {
                let now = application.clock.now
                if now.timeIntervalSince(lastMaintenance) >= Maintenance.interval {
                    lastMaintenance = now
                    let report = try await Maintenance.run(application, now: now)
                    if report != Maintenance.Report() {
                        application.logger.info("maintenance", metadata: [
                            "looks_sealed": "\(report.looksSealed)", "attempts_pruned": "\(report.attemptsPruned)",
                            "jobs_pruned": "\(report.jobsPruned)",
                        ])
                    }
                }
                if try await runDueJobs() == 0 { try await Task.sleep(for: idle) }
            } catch is CancellationError {
                break
            } catch {
                application.logger.error("job worker pass failed", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: idle)
            }
        }
        application.logger.info("job worker stopped", metadata: ["worker": "\(name)"])
    }

    struct Leased: Sendable {
        var id: UUID
        var kind: String
        var payload: String
        var attempts: Int
        var maxAttempts: Int
    }

    private func lease(now: Date) async throws -> Leased? {
        guard let sql = application.db as? any SQLDatabase else { return nil }
        let lockClause: SQLQueryString = sql.dialect.name == "postgresql" ? "FOR UPDATE SKIP LOCKED" : ""
        let rows = try await sql.raw("""
            UPDATE jobs SET state = 'running', attempts = attempts + 1, leased_until = \(bind: now.addingTimeInterval(application.jobs.lease)), leased_by = \(bind: name)
            WHERE id IN (
                SELECT id FROM jobs
                WHERE (state = 'queued' AND run_at <= \(bind: now)) OR (state = 'running' AND leased_until <= \(bind: now))
                ORDER BY run_at LIMIT 1 \(lockClause)
            )
            RETURNING id, kind, payload, attempts, max_attempts
            """).all()
        return try rows.first.map { row in
            Leased(
                id: try row.decode(column: "id", as: UUID.self), kind: try row.decode(column: "kind", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                attempts: try row.decode(column: "attempts", as: Int.self),
                maxAttempts: try row.decode(column: "max_attempts", as: Int.self))
        }
    }

    private func run(_ job: Leased, now: Date?) async {
        var logger = application.logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "job_kind"] = "\(job.kind)"
        guard let handler = application.jobs.handlers[job.kind] else {
            // Most likely an older instance during a rolling deploy, meeting a kind only newer code knows: leave the
            // job for a worker that does, as a transient failure. What a job of an unknown kind holds is unknown
            // too, so if it dies here its payload is blanked.
            await fail(job, message: "no handler for kind \(job.kind)", permanent: false, redact: true, now: now, logger: logger)
            return
        }
        // A lease that ran out after the last attempt: the worker died mid-run; do not exceed the attempts.
        guard job.attempts <= job.maxAttempts else {
            await record(job, .dead, error: "lease expired after the last attempt", runAt: nil, redact: handler.redacts)
            return
        }
        let context = JobContext(application: application, jobID: job.id, attempt: job.attempts, logger: logger)
        do {
            try await handler.run(job.payload, context)
            await record(job, .done, error: nil, runAt: nil, redact: handler.redacts)
        } catch {
            let transient = (error as? any ClassifiedJobError)?.isTransient ?? true
            await fail(
                job, message: String(String(describing: error).prefix(1000)), permanent: !transient,
                redact: handler.redacts, now: now, logger: logger)
        }
    }

    /// Records a failed attempt: queued again after the retry policy's delay, or dead once the attempts are spent or
    /// the failure is permanent. A dead job is never run: with `redact`, nothing secret in it stays.
    private func fail(_ job: Leased, message: String, permanent: Bool, redact: Bool, now: Date?, logger: Logger) async {
        var policy = application.jobs.retryPolicy
        policy.maxAttempts = job.maxAttempts
        switch policy.next(afterFailedAttempt: job.attempts, permanent: permanent) {
        case .retry(let delay):
            logger.warning("job failed, will retry", metadata: ["attempt": "\(job.attempts)", "error": "\(message)"])
            await record(job, .queued, error: message, runAt: (now ?? application.clock.now).addingTimeInterval(delay))
        case .deadLetter:
            logger.error("job dead-lettered", metadata: ["attempt": "\(job.attempts)", "error": "\(message)"])
            await record(job, .dead, error: message, runAt: nil, redact: redact)
        }
    }

    /// Records the outcome, only if this worker still holds the lease.
    private func record(_ job: Leased, _ state: JobModel.State, error: String?, runAt: Date?, redact: Bool = false) async {
        do {
            let update = JobModel.query(on: application.db)
                .filter(\.$id == job.id).filter(\.$leasedBy == name).filter(\.$state == .running)
                .set(\.$state, to: state).set(\.$leasedUntil, to: nil).set(\.$lastError, to: error)
            if let runAt { update.set(\.$runAt, to: runAt) }
            if state == .done || state == .dead { update.set(\.$finishedAt, to: application.clock.now) }
            if redact { update.set(\.$payload, to: Self.redactedPayload) }
            try await update.update()
        } catch {
            application.logger.error("recording a job's outcome failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }
}
