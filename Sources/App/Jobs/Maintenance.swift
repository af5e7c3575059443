import Fluent
import Foundation
import Vapor

/// Housekeeping the worker does every few minutes, so that tables which only guard against abuse or tell what
/// happened do not grow forever, and the audit log is kept whole: gathered looks are sealed once their window is
/// over, and the whole chain is checked once a day. Each step is safe to run on several workers at once.
enum Maintenance {
    /// How often a worker runs it.
    static let interval: TimeInterval = 60

    struct Report: Equatable, Sendable {
        var looksSealed = 0
        var attemptsPruned = 0
        var jobsPruned = 0
    }

    @discardableResult
    static func run(_ app: Application, now: Date) async throws -> Report {
        let db = app.db
        let retention = app.config.retention
        var report = Report()
        report.looksSealed = try await AuditLooks.seal(endedBefore: now.addingTimeInterval(-AuditLooks.window), on: db)

        let attempts = try await LoginAttemptModel.query(on: db).count()
        try await AttemptThrottle.prune(before: now.addingTimeInterval(-Double(retention.attemptHours) * 3600), on: db)
        report.attemptsPruned = attempts - (try await LoginAttemptModel.query(on: db).count())

        let jobs = try await JobModel.query(on: db).count()
        try await JobModel.query(on: db).filter(\.$state == .done)
            .filter(\.$finishedAt < now.addingTimeInterval(-Double(retention.doneJobDays) * 86400)).delete()
        try await JobModel.query(on: db).filter(\.$state == .dead)
            .filter(\.$finishedAt < now.addingTimeInterval(-Double(retention.deadJobDays) * 86400)).delete()
        report.jobsPruned = jobs - (try await JobModel.query(on: db).count())

        // Expired sign-in material: nothing can use it any more.
        let dayAgo = now.addingTimeInterval(-86400)
        try await SessionModel.query(on: db).filter(\.$expiresAt < dayAgo).delete()
        try await PasswordResetModel.query(on: db).filter(\.$expiresAt < dayAgo).delete()
        try await OIDCLoginModel.query(on: db).filter(\.$expiresAt < dayAgo).delete()

        try await AuditVerifyJob.enqueueDaily(now: now, on: db)
        return report
    }
}

/// Checks the whole audit chain and records the outcome on the audit page (`AuditLog.verifyInFull`). Queued once a
/// day by the worker's maintenance, and on request from the audit page.
struct AuditVerifyJob: JobHandler {
    struct Payload: Codable, Sendable {}

    static let kind = "audit.verify"

    func handle(_ payload: Payload, context: JobContext) async throws {
        let result = try await AuditLog.verifyInFull(on: context.db, now: context.application.clock.now)
        switch result {
        case .intact(let entries):
            context.logger.notice("audit chain intact", metadata: ["entries": "\(entries)"])
        case .broken(let seq):
            context.logger.critical("audit chain broken", metadata: ["seq": "\(seq)"])
        }
    }

    /// One check a day (Vietnam's date), however many workers ask.
    static func enqueueDaily(now: Date, on database: any Database) async throws {
        let day = VietnamTime.today(now: now)
        let key = "audit.verify:\(day.year ?? 0)-\(day.month ?? 0)-\(day.day ?? 0)"
        do {
            try await Jobs.enqueue(AuditVerifyJob.self, .init(), on: database, runAt: now, idempotencyKey: key)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another worker queued today's check at the same moment.
        }
    }

    /// A check now, unless one is already waiting or running.
    static func enqueueUnlessPending(now: Date, on database: any Database) async throws {
        let pending = try await JobModel.query(on: database).filter(\.$kind == kind)
            .filter(\.$state ~~ [.queued, .running]).count()
        guard pending == 0 else { return }
        try await Jobs.enqueue(AuditVerifyJob.self, .init(), on: database, runAt: now)
    }
}
