import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Every JSON column, written and read back through the database on both engines: what is stored is what comes
/// back (issue 10, item 5).
@Suite struct JSONColumnTests {
    @Test func aProcedureAndItsIssuesComeBackAsStored() async throws {
        try await withTestApp(seed: seedSample) { app in
            let model = try #require(try await ProcedureModel.query(on: app.db).filter(\.$code == "1.001193").first())
            let procedure = try model.procedure()
            #expect(procedure.code == "1.001193")
            let issues = [ParseIssue(field: "channels.fees", reason: "fee \"per copy\" / unit unknown \u{0}")]
            try model.setIssues(issues)
            try model.setProcedure(procedure)
            try await model.save(on: app.db)
            let again = try #require(try await ProcedureModel.find(model.requireID(), on: app.db))
            #expect(try again.procedure() == procedure)
            #expect(try again.issues() == issues)
        }
    }

    @Test func notificationArgumentsAndAuditDetailsComeBackAsStored() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let account = try #require(try await AccountModel.query(on: app.db).first())
            let arguments = ["name": "Nguyễn \"Lan\" / Hà Nội", "link": "/a/b?c=d&e", "emoji": "👍🏽", "empty": ""]
            let notification = NotificationModel()
            notification.$account.id = try account.requireID()
            notification.key = Notifier.Kind.passwordChanged.rawValue
            try notification.setMessageArguments(arguments)
            try await notification.create(on: app.db)
            let stored = try #require(try await NotificationModel.find(notification.requireID(), on: app.db))
            #expect(try stored.messageArguments() == arguments)
            // Slashes unescaped and keys sorted: the same value is always the same text (the chain hashes it).
            #expect(stored.arguments.contains("/a/b"))
            #expect(try JSONColumn.text(["b": "1", "a": "2"]) == #"{"a":"2","b":"1"}"#)

            try await AuditLog.append(
                .init(actor: "console:test", action: "test.details", subject: "thing:1", details: arguments), on: app.db,
                at: Date())
            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "test.details").first())
            #expect(try entry.detailValues() == arguments)
            #expect(try await AuditLog.verifyInFull(on: app.db, now: Date()) == .intact(entries: 1))
        }
    }

    @Test func aJobPayloadComesBackAsQueued() async throws {
        try await withTestApp { app in
            let mail = OutgoingMail(to: "lan@example.vn", toName: "Nguyễn Thị Lan", subject: "Chào / hello", body: "Dòng 1\nDòng 2")
            try await Jobs.enqueue(EmailJob.self, mail, on: app.db, runAt: Date())
            let job = try #require(try await JobModel.query(on: app.db).first())
            #expect(try JSONColumn.value(OutgoingMail.self, from: job.payload) == mail)
        }
    }
}
