import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct AuditLogTests {

    @Test func administrativeChangesAndLooksAtPersonalDataAreRecordedWithWhoDidThem() async throws {
        try await withTestApp(seed: seedDemoPeople) { app in
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
        try await withTestApp(seed: seedDemoPeople) { app in
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
                try await AuditLog.append(.init(actor: "system", action: "test.\(index)", subject: "thing:\(index)"), on: app.db)
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
                                    on: transaction)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AuditLog.verify(on: app.db) == .intact(entries: 20))
        }
    }
}
