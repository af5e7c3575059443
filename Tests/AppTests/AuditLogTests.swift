import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct AuditLogTests {

    @Test func administrativeChangesAndLooksAtPersonalDataAreRecordedWithWhoDidThem() async throws {
        try await withTestApp(template: .demoPeople) { app in
            app.mailTransport = CapturingMail()
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let created = try await admin.post("/admin/officers", [
                "fullName": "Bùi Thị Hoa", "email": "hoa.bui@hanoi.gov.vn", "phone": "0904111222", "agency": "00004",
                "role": "receptionOfficer",
            ])
            let officerPath = try #require(created.location?.split(separator: "?").first.map(String.init))
            try await admin.get(officerPath)
            try await admin.post(officerPath + "/roles", ["agency": "00004", "role": "specialist"])
            try await admin.post("/admin/tokens", ["name": "Cổng DVC", "agency": "01"])

            let adminID = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "admin.hanoi@demo.motcua.vn").first()?.id)
            // The look is gathered for a few minutes (repeats count in it), then sealed into the chain.
            try await AuditLooks.seal(endedBefore: nil, on: app.db)
            let entries = try await AuditEntryModel.query(on: app.db).sort(\.$seq).all()
            #expect(entries.map(\.action) == ["officer.created", "role.granted", "token.created", "personal_data.viewed"])
            #expect(entries.allSatisfy { $0.actor == "officer:\(adminID.uuidString.lowercased())" })
            #expect(entries.first?.agency == "00004")
            #expect(entries.first?.details == #"{"role":"receptionOfficer"}"#)
            #expect(try await AuditLog.verify(on: app.db) == .intact(entries: 4))

            // The province's auditor reads it; the agency admin who made the changes does not audit them.
            let auditor = try await TestBrowser.signedIn(app, as: "auditor@demo.motcua.vn")
            let page = try await auditor.get("/admin/audit")
            #expect(page.status == .ok)
            #expect(page.body.contains("officer.created"))
            #expect(page.body.contains("personal_data.viewed"))
            #expect(page.body.contains("Chuỗi băm của 4 mục nhật ký còn nguyên vẹn"))
            #expect(try await admin.get("/admin/audit").status == .forbidden)
        }
    }

    @Test func anAuditorOfOneProvinceDoesNotReadAnothersEntries() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let system = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            try await system.post("/admin/units", ["parent": "48", "suffix": "SNV", "name": "Sở Nội vụ Đà Nẵng", "kind": "department"])
            try await system.post("/admin/units", ["parent": "01", "suffix": "SNV", "name": "Sở Nội vụ Hà Nội", "kind": "department"])
            let auditor = try await TestBrowser.signedIn(app, as: "auditor@demo.motcua.vn")
            let page = try await auditor.get("/admin/audit").body
            #expect(page.contains("agency:01.SNV"))
            #expect(!page.contains("agency:48.SNV"))
            let everything = try await system.get("/admin/audit").body
            #expect(everything.contains("agency:48.SNV"))
        }
    }

    @Test func anEditedOrDeletedEntryBreaksTheChainFromThere() async throws {
        try await withTestApp { app in
            for index in 1...5 {
                try await AuditLog.append(.init(actor: "system", action: "test.\(index)", subject: "thing:\(index)"), on: app.db, at: Date())
            }
            #expect(try await AuditLog.verify(on: app.db) == .intact(entries: 5))
            let third = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$seq == 3).first())
            third.details = #"{"note":"rewritten"}"#
            try await third.save(on: app.db)
            #expect(try await AuditLog.verify(on: app.db) == .broken(atSeq: 3))
            // Recomputing its hash does not help: the next entry still points at the old one.
            third.hash = AuditLog.hash(of: third)
            try await third.save(on: app.db)
            #expect(try await AuditLog.verify(on: app.db) == .broken(atSeq: 4))
            // Cutting off the end is found too: the head still names entry 5.
            try await AuditEntryModel.query(on: app.db).filter(\.$seq >= 3).delete()
            #expect(try await AuditLog.verify(on: app.db) == .broken(atSeq: 3))
            try await AuditEntryModel.query(on: app.db).filter(\.$seq == 1).delete()
            #expect(try await AuditLog.verify(on: app.db) == .broken(atSeq: 1))
        }
    }

    @Test func concurrentChangesKeepOneUnbrokenChain() async throws {
        try await withTestApp { app in
            // Two writers at once (the pool's connections: more would only queue for one), ten entries each.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<2 {
                    group.addTask {
                        for index in 0..<10 {
                            try await app.db.transaction { transaction in
                                try await AuditLog.append(
                                    .init(actor: "system", action: "test.concurrent", subject: "thing:\(writer).\(index)"),
                                    on: transaction, at: Date())
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AuditLog.verify(on: app.db) == .intact(entries: 20))
        }
    }

    // MARK: Issue 9: an audit log that stays fast

    /// A read token polling one officer's record: one entry with a count, not one per read; the look is filed
    /// under the token's agency, so the reader's own auditor sees it.
    @Test func repeatedLooksByOneReaderAreOneEntryWithACountFiledUnderTheReadersScope() async throws {
        try await withTestApp(template: .demoPeople) { app in
            // An officer of Đà Nẵng who also leads in Ba Đình (Hà Nội): the Hà Nội token may read them.
            let officer = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "specialist.danang@example.vn").first())
            let badinh = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "00004").first())
            try await MembershipModel(accountID: try officer.requireID(), agencyID: badinh.id, role: .leader).create(on: app.db)
            let hanoi = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "01").first())
            let token = try await APITokens.create(name: "HR", agencyID: hanoi.id, permissions: [.read], on: app.db).token
            for _ in 1...7 {
                var headers = HTTPHeaders()
                headers.bearerAuthorization = .init(token: token)
                try await app.testing().test(.GET, "/api/v1/officers/\(try officer.requireID())", headers: headers) { response in
                    #expect(response.status == .ok)
                }
            }
            #expect(try await AuditEntryModel.query(on: app.db).count() == 0, "gathered, not yet sealed")
            // An auditor opening the log seals what was gathered: nothing is missing from what they read.
            let auditor = try await TestBrowser.signedIn(app, as: "auditor@demo.motcua.vn")
            let page = try await auditor.get("/admin/audit")
            let entries = try await AuditEntryModel.query(on: app.db).all()
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.action == "personal_data.viewed")
            #expect(entry.details.contains(#""count":"7""#))
            #expect(entry.details.contains(#""filedUnder":"#))
            #expect(page.body.contains("personal_data.viewed"))
            // Đà Nẵng's auditor sees it too: the record is theirs as well.
            let danangAuditor = AccountModel()
            danangAuditor.kind = .officer
            danangAuditor.fullName = "Kiểm tra Đà Nẵng"
            danangAuditor.email = "auditor.danang@example.vn"
            danangAuditor.phone = "0905111111"
            danangAuditor.language = "vi"
            danangAuditor.passwordHash = try Bcrypt.hash(Seeder.demoPassword, cost: 4)
            try await danangAuditor.create(on: app.db)
            let danang = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "48").first())
            try await MembershipModel(accountID: try danangAuditor.requireID(), agencyID: danang.id, role: .auditor).create(on: app.db)
            let other = try await TestBrowser.signedIn(app, as: "auditor.danang@example.vn")
            #expect(try await other.get("/admin/audit").body.contains("personal_data.viewed"))
            // A new look after the window is a new entry.
            try await AuditLooks.record(
                .init(actor: "token:x", subject: "account:y", agency: "00004"), at: Date().addingTimeInterval(-3600),
                on: app.db)
            try await AuditLooks.record(.init(actor: "token:x", subject: "account:y", agency: "00004"), at: Date(), on: app.db)
            try await AuditLooks.seal(endedBefore: nil, on: app.db)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$actor == "token:x").count() == 2)
            #expect(try await AuditLog.verify(on: app.db) == .intact(entries: 3))
        }
    }

    /// Simultaneous looks from many requests: every one is counted, in one entry.
    @Test func simultaneousLooksAreAllCounted() async throws {
        try await withTestApp(template: .demoPeople) { app in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await AuditLooks.record(.init(actor: "token:t", subject: "account:a", agency: "01"), at: Date(), on: app.db)
                    }
                }
                try await group.waitForAll()
            }
            try await AuditLooks.seal(endedBefore: nil, on: app.db)
            let entries = try await AuditEntryModel.query(on: app.db).all()
            #expect(entries.count == 1)
            #expect(entries.first?.details.contains(#""count":"40""#) == true)
        }
    }

    /// The page checks only what was added since its last check; an edit further back is the full check's to find,
    /// and once found it stays on the page until a full check passes.
    @Test func thePageChecksFromItsCheckpointAndTheFullCheckFindsOlderEdits() async throws {
        try await withTestApp { app in
            for index in 1...10 {
                try await AuditLog.append(.init(actor: "system", action: "test.\(index)", subject: "thing:\(index)"), on: app.db, at: Date())
            }
            let first = try await AuditLog.checkSinceCheckpoint(on: app.db, now: Date())
            #expect(first.verification == .intact(entries: 10))
            #expect(first.checkedNow == 10)
            try await AuditLog.append(.init(actor: "system", action: "test.11", subject: "thing:11"), on: app.db, at: Date())
            let second = try await AuditLog.checkSinceCheckpoint(on: app.db, now: Date())
            #expect(second.verification == .intact(entries: 11))
            #expect(second.checkedNow == 1)
            // Entry 3 is rewritten behind the checkpoint: the page's quick check does not read it…
            let third = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$seq == 3).first())
            third.details = #"{"note":"rewritten"}"#
            try await third.save(on: app.db)
            #expect(try await AuditLog.checkSinceCheckpoint(on: app.db, now: Date()).verification.isIntact)
            // …the full check does, and from then on the page says so.
            #expect(try await AuditLog.verifyInFull(on: app.db, now: Date()) == .broken(atSeq: 3))
            let after = try await AuditLog.checkSinceCheckpoint(on: app.db, now: Date())
            #expect(after.verification == .broken(atSeq: 3))
            #expect(after.lastFullCheck != nil)
        }
    }

    /// `motcua audit verify`, as an operator's cron runs it: quiet success on an intact chain, and a failure (a
    /// non-zero exit) naming the first altered entry.
    @Test func theVerifyCommandFailsOnABrokenChain() async throws {
        try await withTestApp { app in
            for index in 1...4 {
                try await AuditLog.append(.init(actor: "system", action: "test.\(index)", subject: "thing:\(index)"), on: app.db, at: Date())
            }
            func verify() async throws {
                var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["motcua", "verify"]))
                context.application = app
                try await AuditCommand().run(using: &context)
            }
            try await verify()
            let second = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$seq == 2).first())
            second.subject = "thing:other"
            try await second.save(on: app.db)
            await #expect(throws: AuditCommand.ChainBroken.self) { try await verify() }
            #expect(try await AuditLog.checkSinceCheckpoint(on: app.db, now: Date()).verification == .broken(atSeq: 2))
        }
    }

    @Test func anEditOfTheCheckpointEntryOrACutBelowItIsSeenOnTheNextPageLoad() async throws {
        try await withTestApp { app in
            for index in 1...5 {
                try await AuditLog.append(.init(actor: "system", action: "test.\(index)", subject: "thing:\(index)"), on: app.db, at: Date())
            }
            _ = try await AuditLog.checkSinceCheckpoint(on: app.db, now: Date())
            let fifth = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$seq == 5).first())
            fifth.actor = "someone else"
            try await fifth.save(on: app.db)
            #expect(try await AuditLog.checkSinceCheckpoint(on: app.db, now: Date()).verification == .broken(atSeq: 5))
        }
    }

    /// An auditor of one province reads their entries through the scope index, newest first and page by page, however
    /// many entries other provinces have.
    @Test func anAuditorPagesThroughTheirOwnEntriesAmongManyOthers() async throws {
        try await withTestApp(template: .demoPeople) { app in
            for index in 1...130 {
                try await AuditLog.append(.init(actor: "system", action: "test.hanoi", subject: "thing:\(index)", agency: "00004"), on: app.db, at: Date())
                try await AuditLog.append(.init(actor: "system", action: "test.danang", subject: "thing:\(index)", agency: "48.STP"), on: app.db, at: Date())
            }
            let auditor = try await TestBrowser.signedIn(app, as: "auditor@demo.motcua.vn")
            let first = try await auditor.get("/admin/audit")
            #expect(first.body.components(separatedBy: "test.hanoi").count - 1 == 100)
            #expect(!first.body.contains("test.danang"))
            let older = try #require(first.body.components(separatedBy: #"href="/admin/audit?before="#).dropFirst().first?
                .prefix { $0.isNumber })
            let second = try await auditor.get("/admin/audit?before=\(older)")
            #expect(second.body.components(separatedBy: "test.hanoi").count - 1 == 30)
            let system = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            #expect(try await system.get("/admin/audit").body.contains("test.danang"))
        }
    }
}
