import Domain
import Fluent
import SQLKit
import Vapor

/// `/admin/jobs`: the background queue as the people who run the system need it. How many jobs wait, run and
/// died; which failed and why (a mail server refusing, a worker that died); and a way to send a dead job again once
/// its cause is fixed. A job whose private payload was blanked when it died cannot be sent again: the person who
/// asked must ask again (request a new reset link, say).
enum JobsAdminController {
    /// How many failing or dead jobs the page lists, newest first.
    static let listLimit = 50

    @Sendable static func show(req: Request) async throws -> View {
        try await req.authorize(.read, Resource(.jobQueue))
        let counts = try await stateCounts(on: req.db)
        // Jobs whose last attempt failed: dead ones, and ones queued to retry (a success clears the error).
        let failing = try await JobModel.query(on: req.db).filter(\.$lastError != nil)
            .sort(\.$runAt, .descending).limit(listLimit).all()
        let format = { (date: Date?) in date.map { VietnamTime.dateTime($0) } ?? "" }
        let context = JobsPageContext(
            page: PageContext(request: req, title: req.localized("admin_jobs_title")), nav: .init(req),
            csrf: req.csrfToken,
            counts: JobModel.State.allCases.map {
                .init(label: req.localized("job_state_" + $0.rawValue), count: counts[$0] ?? 0)
            },
            jobs: failing.compactMap { job in
                job.id.map { id in
                    JobsPageContext.Row(
                        kind: job.kind, state: req.localized("job_state_" + job.state.rawValue),
                        attempts: "\(job.attempts)/\(job.maxAttempts)",
                        error: String((job.lastError ?? "").prefix(300)),
                        when: format(job.state == .dead ? job.finishedAt : job.runAt),
                        retryURL: job.state == .dead && job.payload != JobWorker.redactedPayload
                            ? SiteURL.adminJobRetry(id).path : nil)
                }
            })
        return try await req.view.render("admin-jobs", context)
    }

    /// How many jobs are in each state, in one pass over the table (done jobs are kept, so it only grows).
    private static func stateCounts(on database: any Database) async throws -> [JobModel.State: Int] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        let rows = try await sql.select().column("state").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(JobModel.schema).groupBy("state").all()
        var counts: [JobModel.State: Int] = [:]
        for row in rows {
            guard let state = JobModel.State(rawValue: try row.decode(column: "state", as: String.self)) else { continue }
            counts[state] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Sends a dead job again: queued now, its attempts counted afresh, the last error kept until it runs.
    @Sendable static func retry(req: Request) async throws -> Response {
        try await req.authorize(.update, Resource(.jobQueue))
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UserError(.recordNotFound) }
        do {
            try await Requeue.job(id, context: try await req.change())
        } catch let refusal as Requeue.Refusal {
            switch refusal {
            case .notFound: throw UserError(.recordNotFound)
            case .notDead: throw UserError(.invalidFields(.init([FieldError("job", .notOneOf(["dead"]))])))
            case .redacted: throw UserError(.invalidFields(.init([FieldError("job", .notPermitted)])))
            }
        }
        return req.redirect(to: Notice.jobRequeued.after(SiteURL.adminJobs.path), redirectType: .normal)
    }
}

struct JobsPageContext: Encodable {
    struct Count: Encodable {
        var label: String
        var count: Int
    }

    struct Row: Encodable {
        var kind: String
        var state: String
        var attempts: String
        var error: String
        var when: String
        var retryURL: String?
    }

    var page: PageContext
    var nav: AdminNav
    var csrf: String
    var counts: [Count]
    var jobs: [Row]
}
