import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// A procedure's e-form: the hand-made forms installed from `Resources/Forms`, the standard form for the rest,
/// served to integrators, and edited by administrators in versions, each checked and audited.
@Suite struct ProcedureFormTests {
    /// Birth registration (BTP), which has a hand-made form.
    static let birth = "1.001193"
    /// Late birth registration (BTP), which has none.
    static let reRegistration = "1.004884"
    static let editor = "/admin/procedures/\(birth)/form"

    private func seed(_ app: Application) async throws {
        try await seedSample(app)
        try await ProcedureForms.installBundled(app: app, on: app.db)
    }

    private func form(_ app: Application, _ code: String) async throws -> ProcedureFormDTO {
        var dto: ProcedureFormDTO?
        try await app.testing().test(.GET, "/api/v1/procedures/\(code)/form") { response in
            #expect(response.status == .ok)
            dto = try response.json(ProcedureFormDTO.self)
        }
        return try #require(dto)
    }

    private func versions(_ app: Application) async throws -> [Int] {
        let procedure = try #require(try await ProcedureModel.query(on: app.db).filter(\.$code == Self.birth).first())
        return try await ProcedureFormModel.query(on: app.db).filter(\.$procedure.$id == procedure.requireID())
            .sort(\.$version).all().map(\.version)
    }

    /// The birth registration form as stored, with one label changed.
    private func edited(_ app: Application, childTitle: String) async throws -> String {
        var definition = try await form(app, Self.birth).form
        let index = try #require(definition.sections.firstIndex { $0.key == "child" })
        definition.sections[index].title = LocalizedText(vi: childTitle, en: "The child")
        return FormEditorController.pretty(definition)
    }

    @Test func theHandMadeFormIsServedAndOtherProceduresGetTheStandardOne() async throws {
        try await withTestApp(seed: seed) { app in
            let birth = try await form(app, Self.birth)
            #expect(birth.version == 1)
            #expect(birth.form.title.vi == "Tờ khai đăng ký khai sinh")
            #expect(birth.form.sections.map(\.key) == ["requester", "child", "mother", "father", "copies"])
            #expect(!birth.documents.isEmpty)
            #expect(birth.documents.first?.key == "d1")

            let other = try await form(app, Self.reRegistration)
            #expect(other.version == nil)
            #expect(other.form.title.vi.hasPrefix("Đơn đề nghị: "))
            #expect(other.form.sections.map(\.key) == ["applicant", "request"])

            try await app.testing().test(.GET, "/api/v1/procedures/9.999999/form") { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("procedure_not_found"))
            }
            // Installing again (every start does) adds nothing.
            try await ProcedureForms.installBundled(app: app, on: app.db)
            #expect(try await versions(app) == [1])
        }
    }

    @Test func anAdminSavesANewVersionWithAReasonAndItIsAudited() async throws {
        try await withTestApp(template: .demoPeople, seed: seed) { app in
            // The version's time is the change's time, from the injected clock.
            let (clock, _) = AppClock.manual(at: Date(timeIntervalSince1970: 1_800_000_000))
            app.clock = clock
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let page = try await admin.get(Self.editor)
            #expect(page.status == .ok)
            #expect(page.body.contains("Phiên bản 1"))
            // the preview shows the form a citizen fills: sections, day/month/year boxes, province pickers
            #expect(page.body.contains("<legend>Người được khai sinh</legend>"))
            #expect(page.body.contains(#"name="child.birthDate.day""#))
            #expect(page.body.contains(#"<option value="01">Thành phố Hà Nội</option>"#))
            #expect(page.body.contains("Chỉ điền khi “Đã xác định được người cha” là: Có."))

            let saved = try await admin.post(Self.editor, [
                "action": "save", "base": "1", "reason": "Theo Thông tư 04/2024/TT-BTP",
                "definition": try await edited(app, childTitle: "Người được đăng ký khai sinh"),
            ])
            #expect(saved.status == .seeOther)
            #expect(saved.location == Self.editor + "?notice=form_saved")
            #expect(try await admin.get(saved.location ?? "").body.contains("Đã lưu phiên bản mới của biểu mẫu."))
            #expect(try await versions(app) == [1, 2])
            let served = try await form(app, Self.birth)
            #expect(served.version == 2)
            #expect(served.form.sections.first { $0.key == "child" }?.title.vi == "Người được đăng ký khai sinh")

            let entry = try #require(
                try await AuditEntryModel.query(on: app.db).filter(\.$action == "procedure.form_changed").first())
            #expect(entry.subject == "procedure:\(Self.birth)")
            #expect(entry.agency == "BTP")
            #expect(entry.details.contains("Theo Thông tư 04/2024/TT-BTP"))
            let stored = try #require(try await ProcedureFormModel.query(on: app.db).filter(\.$version == 2).first())
            #expect(stored.createdBy.hasPrefix("officer:"))
            #expect(stored.createdAt == Date(timeIntervalSince1970: 1_800_000_000))
        }
    }

    /// A browser sends a large form in pieces: the anti-forgery check must read it whole, not call it expired.
    @Test func aLargeDefinitionSentInPiecesOverTheNetworkIsSaved() async throws {
        try await withTestApp(template: .demoPeople, seed: seed) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            admin.overNetwork = true
            var definition = try await form(app, Self.birth).form
            let help = String(repeating: "Ghi rõ họ, chữ đệm và tên theo giấy tờ tùy thân. ", count: 20)
            for index in definition.sections.indices {
                for field in definition.sections[index].fields.indices {
                    definition.sections[index].fields[field].help = LocalizedText(vi: help, en: "As on the identity paper.")
                }
            }
            let text = FormEditorController.pretty(definition)
            #expect(text.utf8.count > 40_000)  // about 150 KB once URL-encoded
            let saved = try await admin.post(Self.editor, ["action": "save", "base": "1", "reason": "Thêm hướng dẫn", "definition": text])
            // The network client follows the redirect to the page that says so.
            #expect(saved.status == .ok)
            #expect(saved.body.contains("Đã lưu phiên bản mới của biểu mẫu."))
            #expect(try await versions(app) == [1, 2])
            // Past the limit of what a form may send, the answer says so and saves nothing.
            let huge = text + String(repeating: " ", count: 2_200_000)
            let refused = try await admin.post(Self.editor, ["action": "save", "base": "2", "reason": "Quá lớn", "definition": huge])
            #expect(refused.status == .payloadTooLarge)
            #expect(try await versions(app) == [1, 2])
        }
    }

    @Test func aBrokenDefinitionIsRefusedWithEveryReasonAndStaysInTheBox() async throws {
        try await withTestApp(template: .demoPeople, seed: seed) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            var definition = try await form(app, Self.birth).form
            definition.sections[1].fields[1].key = definition.sections[1].fields[0].key
            definition.sections[1].fields.append(FormField(key: "kind", type: .choice, label: LocalizedText("Loại", "Kind")))
            let refused = try await admin.post(Self.editor, [
                "action": "save", "base": "1", "reason": "Thử", "definition": FormEditorController.pretty(definition),
            ])
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("Định nghĩa có 2 lỗi"))
            #expect(refused.body.contains("child.fullName: khóa “fullName” bị trùng."))
            #expect(refused.body.contains("child.kind: trường lựa chọn cần có các phương án (options)."))
            #expect(refused.body.contains("&quot;kind&quot;"))  // what was typed is still in the box
            #expect(try await versions(app) == [1])

            let unreadable = try await admin.post(Self.editor, [
                "action": "save", "base": "1", "reason": "Thử",
                "definition": #"{"title": {"vi": "Tờ khai"}, "sections": [{"key": "a", "title": {"vi": "A"}, "fields": [{"key": "x", "type": "colour", "label": {"vi": "X"}}]}]}"#,
            ])
            #expect(unreadable.status == .badRequest)
            #expect(unreadable.body.contains("Không đọc được định nghĩa tại sections[0].fields[0].type"))
            let notJSON = try await admin.post(Self.editor, ["action": "save", "base": "1", "reason": "Thử", "definition": "{"])
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.body.contains("Không đọc được định nghĩa tại /"))
            // a reason is required
            let noReason = try await admin.post(Self.editor, [
                "action": "save", "base": "1", "reason": " ", "definition": try await edited(app, childTitle: "Trẻ"),
            ])
            #expect(noReason.status == .badRequest)
            #expect(noReason.body.contains(#"id="reason-error""#))
            #expect(try await versions(app) == [1])
        }
    }

    @Test func aPreviewShowsTheFormEscapedAndSavesNothing() async throws {
        try await withTestApp(template: .demoPeople, seed: seed) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let preview = try await admin.post(Self.editor, [
                "action": "preview", "base": "1",
                "definition": try await edited(app, childTitle: "<script>alert(1)</script> Trẻ em"),
            ])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("<legend>&lt;script&gt;alert(1)&lt;/script&gt; Trẻ em</legend>"))
            #expect(!preview.body.contains("<script>alert(1)"))
            #expect(try await versions(app) == [1])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "procedure.form_changed").count() == 0)
        }
    }

    @Test func aSaveFromAnOlderVersionIsRefusedAndOverwritesNothing() async throws {
        try await withTestApp(template: .demoPeople, seed: seed) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let first = try await admin.post(Self.editor, [
                "action": "save", "base": "1", "reason": "Lần một", "definition": try await edited(app, childTitle: "Một"),
            ])
            #expect(first.status == .seeOther)
            let stale = try await admin.post(Self.editor, [
                "action": "save", "base": "1", "reason": "Lần hai", "definition": try await edited(app, childTitle: "Hai"),
            ])
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("Biểu mẫu đã được lưu thành phiên bản 2 sau khi trang này được mở."))
            #expect(try await versions(app) == [1, 2])
            #expect(try await form(app, Self.birth).form.sections.first { $0.key == "child" }?.title.vi == "Một")
        }
    }

    @Test func simultaneousSavesFromOneVersionLandOnce() async throws {
        try await withTestApp(template: .demoPeople, seed: seed) { app in
            struct Handed: @unchecked Sendable { let browser: TestBrowser }
            var browsers: [Handed] = []
            for _ in 0..<6 { browsers.append(Handed(browser: try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn"))) }
            let definition = try await edited(app, childTitle: "Cùng lúc")
            let answers = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (n, handed) in browsers.enumerated() {
                    group.addTask {
                        try await handed.browser.post(Self.editor, [
                            "action": "save", "base": "1", "reason": "Lưu \(n)", "definition": definition,
                        ]).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(answers.filter { $0 == .seeOther }.count == 1, "\(answers)")
            #expect(answers.filter { $0 == .conflict }.count == 5, "\(answers)")
            #expect(try await versions(app) == [1, 2])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "procedure.form_changed").count() == 1)
        }
    }

    @Test func onlyTheManagingUnitsAdminsAndSystemAdminsSave() async throws {
        try await withTestApp(template: .demoPeople, seed: seed) { app in
            // Hà Nội's admin reads the Ministry of Justice's form but may not change it.
            let province = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let page = try await province.get(Self.editor)
            #expect(page.status == .ok)
            #expect(!page.body.contains(#"value="save""#))
            let refused = try await province.post(Self.editor, [
                "action": "save", "base": "1", "reason": "Thử", "definition": try await edited(app, childTitle: "Trẻ"),
            ])
            #expect(refused.status == .forbidden)
            // A citizen does not reach the page.
            let citizen = try await TestBrowser.signedIn(app, as: "citizen@demo.motcua.vn")
            #expect(try await citizen.get(Self.editor).status == .forbidden)
            #expect(try await versions(app) == [1])
        }
    }
}
