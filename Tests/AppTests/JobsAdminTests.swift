import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct JobsAdminTests {
    @Test func aSystemAdminSeesWhatFailedAndWhyAndSendsItAgain() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let recompute = try await storeDeadJob(
                app, kind: CalendarChangedJob.kind, payload: #"{"year":2026}"#, error: "database unavailable")
            let email = try await storeDeadJob(app, kind: EmailJob.kind, payload: "{}", error: "550 mailbox unavailable")
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let page = try await admin.get("/admin/jobs")
            #expect(page.status == .ok)
            #expect(page.body.contains("<dt>Thất bại</dt><dd>2</dd>"))
            #expect(page.body.contains("<dt>Đang chờ</dt><dd>0</dd>"))
            #expect(page.body.contains("550 mailbox unavailable"))
            #expect(page.body.contains("database unavailable"))
            #expect(page.body.contains("/admin/jobs/\(recompute.uuidString.lowercased())/retry"))
            // The blanked email cannot be sent again: no button, and a crafted request is refused.
            #expect(!page.body.contains("/admin/jobs/\(email.uuidString.lowercased())/retry"))
            #expect(try await admin.post("/admin/jobs/\(email.uuidString.lowercased())/retry", [:]).status == .forbidden)

            let requeued = try await admin.post("/admin/jobs/\(recompute.uuidString.lowercased())/retry", [:])
            #expect(requeued.status == .seeOther)
            #expect(try await admin.get(requeued.location ?? "").body.contains("Đã đưa công việc vào hàng đợi"))
            let job = try #require(try await JobModel.find(recompute, on: app.db))
            #expect(job.state == .queued)
            #expect(job.attempts == 0)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "job.requeued").count() == 1)
            // The worker runs it; a second retry of a job no longer dead is refused.
            #expect(try await JobWorker(application: app).runDueJobs() == 1)
            #expect(try await JobModel.find(recompute, on: app.db)?.state == .done)
            #expect(try await admin.post("/admin/jobs/\(recompute.uuidString.lowercased())/retry", [:]).status == .badRequest)
            #expect(try await admin.post("/admin/jobs/\(UUID().uuidString.lowercased())/retry", [:]).status == .notFound)
        }
    }

    @Test func nobodyButSystemAdminsSeesTheQueue() async throws {
        try await withTestApp(template: .demoPeople) { app in
            _ = try await storeDeadJob(app, kind: EmailJob.kind, payload: "{}", error: "550 <lan@example.vn> unknown")
            for email in ["admin.hanoi@demo.motcua.vn", "auditor@demo.motcua.vn", "specialist.badinh@demo.motcua.vn"] {
                let browser = try await TestBrowser.signedIn(app, as: email)
                let page = try await browser.get("/admin/jobs")
                #expect(page.status == .forbidden, "\(email)")
                #expect(!page.body.contains("lan@example.vn"), "\(email)")
            }
        }
    }
}
