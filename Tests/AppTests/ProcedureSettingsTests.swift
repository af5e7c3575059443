import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct ProcedureSettingsTests {
    /// Birth registration, managed by the Ministry of Justice (BTP).
    static let code = "1.001193"
    static let settings = "/admin/procedures/\(code)"


    private func storedRule(_ app: Application) async throws -> PauseRule? {
        try await ProcedureModel.query(on: app.db).filter(\.$code == Self.code).first()?.pauseRule
    }

    @Test func aSystemAdminSetsTheRestartRuleWithAReasonAndEveryoneSeesIt() async throws {
        try await withTestApp(template: .demoPeople, seed: seedSample) { app in
            #expect(try await storedRule(app) == .extends)
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let page = try await admin.get(Self.settings)
            #expect(page.status == .ok)
            #expect(page.body.contains("ngày hẹn trả lùi lại đúng bằng thời gian đã dừng"))
            let saved = try await admin.post(Self.settings + "/pause-rule", [
                "rule": "restarts", "reason": "Theo văn bản quy định thủ tục số 1/2026",
            ])
            #expect(saved.status == .seeOther)
            #expect(saved.location == Self.settings + "?notice=settings_saved")
            #expect(try await admin.get(saved.location ?? "").body.contains("Đã lưu cài đặt."))
            #expect(try await storedRule(app) == .restarts)

            // Who changed it and why is in the audit log.
            let entry = try #require(
                try await AuditEntryModel.query(on: app.db).filter(\.$action == "procedure.pause_rule_changed").first())
            #expect(entry.subject == "procedure:\(Self.code)")
            #expect(entry.agency == "BTP")
            #expect(entry.details.contains("Theo văn bản quy định thủ tục số 1/2026"))
            #expect(entry.details.contains("extends") && entry.details.contains("restarts"))

            // Integrators read it; citizens read it in words; only administrators get the settings link.
            try await app.testing().test(.GET, "/api/v1/procedures/\(Self.code)") { response in
                let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(json?["pauseRule"] as? String == "restarts")
            }
            let citizen = TestBrowser(app)
            let publicPage = try await citizen.get("/procedures/\(Self.code)")
            #expect(publicPage.body.contains("Thời hạn giải quyết được tính lại từ đầu khi nhận đủ hồ sơ bổ sung"))
            #expect(!publicPage.body.contains(Self.settings))
            #expect(try await admin.get("/procedures/\(Self.code)").body.contains(Self.settings))

            // Saving the same rule again records nothing new.
            _ = try await admin.post(Self.settings + "/pause-rule", ["rule": "restarts", "reason": "Lưu lại"])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "procedure.pause_rule_changed").count() == 1)
        }
    }

    @Test func aReimportThatChangesTheProcedureKeepsTheLocalSetting() async throws {
        try await withTestApp(template: .demoPeople, seed: seedSample) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            _ = try await admin.post(Self.settings + "/pause-rule", ["rule": "restarts", "reason": "Thử"])
            // The portal amends the record: a new name.
            let source = try String(contentsOfFile: Fixtures.path("bo-tu-phap.jsonl"), encoding: .utf8)
            let line = try #require(source.split(separator: "\n").first { $0.contains(#""ma_thu_tuc":"\#(Self.code)""#) })
            let amended = line.replacingOccurrences(of: #""ten_thu_tuc":"Thủ tục đăng ký khai sinh""#,
                with: #""ten_thu_tuc":"Thủ tục đăng ký khai sinh (sửa đổi)""#)
            #expect(amended != String(line))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bo-tu-phap-\(UUID()).jsonl")
            try amended.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let report = try await Seeder(app: app).importer()
                .importFiles([file.path])
            #expect(report.updated == 1)
            let model = try #require(try await ProcedureModel.query(on: app.db).filter(\.$code == Self.code).first())
            #expect(model.currentVersion == 2)
            #expect(model.name.hasSuffix("(sửa đổi)"))
            #expect(model.pauseRule == .restarts)
        }
    }

    @Test func badInputIsRefusedNamingTheFieldAndNothingChanges() async throws {
        try await withTestApp(template: .demoPeople, seed: seedSample) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let cases: [([String: String], String)] = [
                (["reason": "Thử"], "rule-error"),
                (["rule": "forever", "reason": "Thử"], "rule-error"),
                (["rule": "restarts"], "reason-error"),
                (["rule": "restarts", "reason": "   "], "reason-error"),
                (["rule": "restarts", "reason": String(repeating: "x", count: 301)], "reason-error"),
            ]
            for (form, marker) in cases {
                let response = try await admin.post(Self.settings + "/pause-rule", form)
                #expect(response.status == .badRequest, "\(form)")
                #expect(response.body.contains(marker), "\(form)")
            }
            #expect(try await storedRule(app) == .extends)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "procedure.pause_rule_changed").count() == 0)
            #expect(try await admin.get("/admin/procedures/9.999999").status == .notFound)
            #expect(try await admin.post("/admin/procedures/9.999999/pause-rule", ["rule": "restarts", "reason": "x"]).status == .notFound)
        }
    }

    @Test func onlyTheManagingAgencysAdministratorsAndSystemAdminsChangeIt() async throws {
        try await withTestApp(template: .demoPeople, seed: seedSample) { app in
            let change = ["rule": "restarts", "reason": "Thử"]
            // A Hà Nội administrator reads the settings of a Ministry of Justice procedure but may not change them.
            let hanoi = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let readOnly = try await hanoi.get(Self.settings)
            #expect(readOnly.status == .ok)
            #expect(!readOnly.body.contains(#"name="reason""#))
            #expect(try await hanoi.post(Self.settings + "/pause-rule", change).status == .forbidden)
            let auditor = try await TestBrowser.signedIn(app, as: "auditor@demo.motcua.vn")
            #expect(try await auditor.post(Self.settings + "/pause-rule", change).status == .forbidden)
            let citizen = try await TestBrowser.signedIn(app, as: "citizen@demo.motcua.vn")
            #expect(try await citizen.get(Self.settings).status == .forbidden)
            #expect(try await storedRule(app) == .extends)

            // Made an administrator of the ministry, the same person may.
            let account = try #require(
                try await AccountModel.query(on: app.db).filter(\.$email == "admin.hanoi@demo.motcua.vn").first())
            let ministry = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "BTP").first())
            try await MembershipModel(accountID: try account.requireID(), agencyID: ministry.id, role: .agencyAdmin)
                .create(on: app.db)
            #expect(try await hanoi.get(Self.settings).body.contains(#"name="reason""#))
            #expect(try await hanoi.post(Self.settings + "/pause-rule", change).status == .seeOther)
            #expect(try await storedRule(app) == .restarts)
        }
    }
}
