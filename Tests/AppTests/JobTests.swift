import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import App

/// A handler that records every run and fails as told.
struct RecordingJob: JobHandler {
    struct Payload: Codable, Sendable {
        var label: String
    }

    enum Failure: ClassifiedJobError {
        case transient
        case permanent
        var isTransient: Bool { self == .transient }
    }

    static let kind = "recording"
    let runs: NIOLockedValueBox<[String]>
    /// Fails the first `failures` runs with this error.
    let failure: Failure?
    let failures: Int

    init(failing failure: Failure? = nil, times failures: Int = .max) {
        runs = NIOLockedValueBox([])
        self.failure = failure
        self.failures = failures
    }

    func handle(_ payload: Payload, context: JobContext) async throws {
        let count = runs.withLockedValue { runs in
            runs.append(payload.label)
            return runs.count
        }
        if let failure, count <= failures { throw failure }
    }
}

@Suite struct JobTests {
    private func app(with handler: RecordingJob, _ test: (Application) async throws -> Void) async throws {
        try await withTestApp { app in
            app.jobs.register(handler)
            app.jobs.retryPolicy = .init(maxAttempts: 3, baseDelay: 60, maxDelay: 3600)
            try await test(app)
        }
    }

    private func job(_ app: Application) async throws -> JobModel {
        try #require(try await JobModel.query(on: app.db).first())
    }

    /// The only job, as a worker leaves it that leased it for its `attempts`-th run and died: still running, its
    /// lease over at `now`.
    private func abandonLease(_ app: Application, afterAttempts attempts: Int, now: Date) async throws {
        let stale = try await job(app)
        stale.state = .running
        stale.attempts = attempts
        stale.leasedBy = "dead-worker"
        stale.leasedUntil = now.addingTimeInterval(-1)
        try await stale.save(on: app.db)
    }

    @Test func aQueuedJobRunsOnceAndIsMarkedDone() async throws {
        let handler = RecordingJob()
        try await app(with: handler) { app in
            try await Jobs.enqueue(RecordingJob.self, .init(label: "a"), on: app.db, runAt: Date())
            let worker = JobWorker(application: app)
            #expect(try await worker.runDueJobs() == 1)
            #expect(try await worker.runDueJobs() == 0)
            #expect(handler.runs.withLockedValue { $0 } == ["a"])
            let done = try await job(app)
            #expect(done.state == .done)
            #expect(done.attempts == 1)
            #expect(done.finishedAt != nil)
        }
    }

    @Test func aJobDueLaterWaitsForItsTime() async throws {
        let handler = RecordingJob()
        try await app(with: handler) { app in
            let now = Date()
            try await Jobs.enqueue(RecordingJob.self, .init(label: "later"), on: app.db, runAt: now.addingTimeInterval(600))
            let worker = JobWorker(application: app)
            #expect(try await worker.runDueJobs(now: now) == 0)
            #expect(try await worker.runDueJobs(now: now.addingTimeInterval(601)) == 1)
        }
    }

    @Test func aTransientFailureIsRetriedWithBackoffThenSucceeds() async throws {
        let handler = RecordingJob(failing: .transient, times: 1)
        try await app(with: handler) { app in
            let now = Date()
            try await Jobs.enqueue(RecordingJob.self, .init(label: "flaky"), on: app.db, runAt: now)
            let worker = JobWorker(application: app)
            try await worker.runDueJobs(now: now)
            let failed = try await job(app)
            #expect(failed.state == .queued)
            #expect(failed.attempts == 1)
            #expect(failed.lastError?.contains("transient") == true)
            // The first retry waits the base delay (60 s): not before.
            #expect(abs(failed.runAt.timeIntervalSince(now) - 60) < 1)
            #expect(try await worker.runDueJobs(now: now.addingTimeInterval(59)) == 0)
            #expect(try await worker.runDueJobs(now: now.addingTimeInterval(61)) == 1)
            let done = try await job(app)
            #expect(done.state == .done)
            #expect(done.attempts == 2)
        }
    }

    @Test func afterTheLastAttemptTheJobIsDeadLettered() async throws {
        let handler = RecordingJob(failing: .transient)
        try await app(with: handler) { app in
            var now = Date()
            try await Jobs.enqueue(RecordingJob.self, .init(label: "down"), on: app.db, runAt: now, maxAttempts: 3)
            let worker = JobWorker(application: app)
            for _ in 1...5 {
                try await worker.runDueJobs(now: now)
                now = now.addingTimeInterval(3600)
            }
            #expect(handler.runs.withLockedValue { $0.count } == 3)
            let dead = try await job(app)
            #expect(dead.state == .dead)
            #expect(dead.attempts == 3)
            #expect(dead.finishedAt != nil)
        }
    }

    @Test func aPermanentFailureIsNotRetried() async throws {
        let handler = RecordingJob(failing: .permanent)
        try await app(with: handler) { app in
            try await Jobs.enqueue(RecordingJob.self, .init(label: "refused"), on: app.db, runAt: Date())
            try await JobWorker(application: app).runDueJobs()
            #expect(try await job(app).state == .dead)
            #expect(handler.runs.withLockedValue { $0.count } == 1)
        }
    }

    @Test func aPayloadNoHandlerCanReadIsDeadLetteredNotRetried() async throws {
        let handler = RecordingJob()
        try await app(with: handler) { app in
            let job = JobModel()
            job.kind = RecordingJob.kind
            job.payload = #"{"unexpected": true}"#
            job.state = .queued
            job.attempts = 0
            job.maxAttempts = 3
            job.runAt = Date()
            try await job.create(on: app.db)
            try await JobWorker(application: app).runDueJobs()
            let stored = try await self.job(app)
            #expect(stored.state == .dead)
            #expect(stored.lastError?.contains("cannot be decoded") == true)
        }
    }

    /// During a rolling deploy an older instance may meet a kind only newer code knows: it leaves the job for them.
    @Test func aKindThisVersionDoesNotKnowIsRetriedThenDeadLetteredBlank() async throws {
        try await app(with: RecordingJob()) { app in
            var now = Date()
            let job = JobModel()
            job.kind = "from.a.newer.version"
            job.payload = #"{"email": "lan@example.vn"}"#
            job.state = .queued
            job.attempts = 0
            job.maxAttempts = 3
            job.runAt = now
            try await job.create(on: app.db)
            try await JobWorker(application: app).runDueJobs(now: now)
            let waiting = try await self.job(app)
            #expect(waiting.state == .queued)
            #expect(waiting.runAt > now)
            #expect(waiting.payload.contains("lan@example.vn"))
            for _ in 1...3 {
                now = now.addingTimeInterval(3600)
                try await JobWorker(application: app).runDueJobs(now: now)
            }
            let dead = try await self.job(app)
            #expect(dead.state == .dead)
            #expect(dead.attempts == 3)
            #expect(dead.payload == "{}")
        }
    }

    /// A worker that died during the last attempt leaves a dead job; personal data in it is blanked all the same.
    @Test func aLeaseThatRanOutOnTheLastAttemptDeadLettersAndBlanksAPrivatePayload() async throws {
        try await app(with: RecordingJob()) { app in
            let now = Date()
            try await Jobs.enqueue(PasswordResetRequestJob.self, .init(email: "lan@example.vn"), on: app.db, runAt: now, maxAttempts: 2)
            try await abandonLease(app, afterAttempts: 2, now: now)
            try await JobWorker(application: app).runDueJobs(now: now)
            let dead = try await job(app)
            #expect(dead.state == .dead)
            #expect(dead.lastError?.contains("lease expired") == true)
            #expect(dead.payload == "{}")
        }
    }

    @Test func aJobWhoseWorkerDiedIsLeasedAgainAndTheLateWorkerCannotOverwriteIt() async throws {
        let handler = RecordingJob()
        try await app(with: handler) { app in
            let now = Date()
            try await Jobs.enqueue(RecordingJob.self, .init(label: "orphan"), on: app.db, runAt: now)
            try await abandonLease(app, afterAttempts: 1, now: now)
            try await JobWorker(application: app, name: "live-worker").runDueJobs(now: now)
            let done = try await job(app)
            #expect(done.state == .done)
            #expect(done.attempts == 2)
            #expect(done.leasedBy == "live-worker")
        }
    }

    @Test func concurrentWorkersNeverRunTheSameJobTwice() async throws {
        let handler = RecordingJob()
        try await app(with: handler) { app in
            for index in 0..<60 {
                try await Jobs.enqueue(RecordingJob.self, .init(label: "job-\(index)"), on: app.db, runAt: Date())
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<4 {
                    let worker = JobWorker(application: app, name: "worker-\(index)")
                    group.addTask { while try await worker.runDueJobs() > 0 {} }
                }
                try await group.waitForAll()
            }
            let runs = handler.runs.withLockedValue { $0 }
            #expect(runs.count == 60)
            #expect(Set(runs).count == 60)
            #expect(try await JobModel.query(on: app.db).filter(\.$state == .done).count() == 60)
        }
    }

    @Test func anIdempotencyKeyStoresTheSameWorkOnce() async throws {
        let handler = RecordingJob()
        try await app(with: handler) { app in
            try await Jobs.enqueue(RecordingJob.self, .init(label: "x"), on: app.db, runAt: Date(), idempotencyKey: "dossier-1-received")
            try await Jobs.enqueue(RecordingJob.self, .init(label: "x"), on: app.db, runAt: Date(), idempotencyKey: "dossier-1-received")
            #expect(try await JobModel.query(on: app.db).count() == 1)
        }
    }

    @Test func aJobEnqueuedInARolledBackTransactionNeverRuns() async throws {
        let handler = RecordingJob()
        try await app(with: handler) { app in
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await app.db.transaction { transaction in
                    try await Jobs.enqueue(RecordingJob.self, .init(label: "ghost"), on: transaction, runAt: Date())
                    throw Abandoned()
                }
            }
            let ran = try await JobWorker(application: app).runDueJobs()
            #expect(ran == 0)
        }
    }
}
