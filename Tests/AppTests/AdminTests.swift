import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct AdminTests {
    /// Demo agencies and accounts, an officer in Đà Nẵng, mail captured.
    private func withDemo(_ test: (Application, CapturingMail) async throws -> Void) async throws {
        try await withTestApp(template: .demoPeople) { app in
            let mail = CapturingMail()
            app.mailTransport = mail
            try await test(app, mail)
        }
    }


    @Test func anAgencyAdminAddsAnOfficerWhoSetsTheirPasswordFromTheInvitation() async throws {
        try await withDemo { app, mail in
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            #expect(try await admin.get("/admin/officers/new").status == .ok)
            let created = try await admin.post("/admin/officers", [
                "fullName": "Bùi Thị Hoa", "email": "hoa.bui@hanoi.gov.vn", "phone": "0904 111 222", "agency": "00004",
                "role": "receptionOfficer",
            ])
            #expect(created.status == .seeOther)
            let page = try await admin.get(try #require(created.location))
            #expect(page.body.contains("Bùi Thị Hoa"))
            #expect(page.body.contains("Cán bộ một cửa — Phường Ba Đình (00004)"))
            #expect(page.body.contains("Đã tạo tài khoản"))

            try await JobWorker(application: app).runDueJobs()
            let invitation = try #require(mail.messages.last)
            #expect(invitation.to == "hoa.bui@hanoi.gov.vn")
            #expect(invitation.subject == "Tài khoản cán bộ MotCua của bạn")
            #expect(invitation.body.contains("trong 72 giờ"))
            let line = try #require(invitation.body.split(separator: "\n").first { $0.contains("/password/reset?token=") })
            let token = String(try #require(line.split(separator: "=").last))
            let officer = TestBrowser(app)
            try await officer.get("/password/reset?token=\(token)")
            let set = try await officer.post(
                "/password/reset", ["token": token, "password": "mật khẩu cán bộ", "passwordConfirmation": "mật khẩu cán bộ"])
            #expect(set.status == .seeOther)
            #expect(try await officer.post("/login", ["email": "hoa.bui@hanoi.gov.vn", "password": "mật khẩu cán bộ"]).status == .seeOther)
            #expect(try await officer.get("/account").body.contains("Cán bộ một cửa — Phường Ba Đình"))
            // A reception officer administers nothing.
            #expect(try await officer.get("/admin/officers").status == .forbidden)
        }
    }

    @Test func eachAdminSeesOnlyTheOfficersOfTheirUnits() async throws {
        try await withDemo { app, _ in
            let hanoi = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let list = try await hanoi.get("/admin/officers").body
            #expect(list.contains("Phạm Quang Huy"))
            #expect(list.contains("Vũ Thị Mai"))
            #expect(!list.contains("Trần Thị Đà Nẵng"))
            #expect(!list.contains("Quản trị hệ thống"))
            let filtered = try await hanoi.get("/admin/officers?agency=01.STP").body
            #expect(filtered.contains("Vũ Thị Mai"))
            #expect(!filtered.contains("Phạm Quang Huy"))
            let system = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let all = try await system.get("/admin/officers").body
            #expect(all.contains("Trần Thị Đà Nẵng"))
            #expect(all.contains("Phạm Quang Huy"))
            #expect(try await hanoi.get("/admin/officers?agency=99.NOPE").status == .notFound)
        }
    }

    @Test func aBadOfficerFormKeepsWhatWasTypedAndNamesEachProblem() async throws {
        try await withDemo { app, _ in
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let bad = try await admin.post("/admin/officers", [
                "fullName": "Bùi Thị Hoa", "email": "không-phải-email", "phone": "12345", "agency": "99.NOPE",
                "role": "specialist",
            ])
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains(#"id="email-error""#))
            #expect(bad.body.contains(#"id="phone-error""#))
            #expect(bad.body.contains("Không có đơn vị mã “99.NOPE”"))
            #expect(bad.body.contains(#"value="Bùi Thị Hoa""#))
            let taken = try await admin.post("/admin/officers", [
                "fullName": "Trùng", "email": "specialist.badinh@demo.motcua.vn", "phone": "0904111222", "agency": "00004",
                "role": "specialist",
            ])
            #expect(taken.status == .conflict)
            // Another province's unit, or a role only system admins give, is a refusal.
            let elsewhere = try await admin.post("/admin/officers", [
                "fullName": "Ngoài phạm vi", "email": "x@example.vn", "phone": "0904111223", "agency": "48.STP", "role": "specialist",
            ])
            #expect(elsewhere.status == .forbidden)
            let auditor = try await admin.post("/admin/officers", [
                "fullName": "Thanh tra", "email": "y@example.vn", "phone": "0904111224", "agency": "00004", "role": "auditor",
            ])
            #expect(auditor.status == .forbidden)
            #expect(try await AccountModel.query(on: app.db).filter(\.$email ~~ ["x@example.vn", "y@example.vn"]).count() == 0)
        }
    }

    @Test func anAuditorReadsButChangesNothing() async throws {
        try await withDemo { app, _ in
            let auditor = try await TestBrowser.signedIn(app, as: "auditor@demo.motcua.vn")
            #expect(try await auditor.get("/admin/officers").body.contains("Phạm Quang Huy"))
            let refused = try await auditor.post("/admin/tokens", ["name": "Thử", "agency": "01"])
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("Thanh tra chỉ được xem"))
        }
    }

    @Test func nobodyTakesAwayTheirOwnRole() async throws {
        try await withDemo { app, _ in
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let me = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "admin.hanoi@demo.motcua.vn").first())
            let role = try #require(try await MembershipModel.query(on: app.db).filter(\.$account.$id == me.requireID()).first())
            let response = try await admin.post("/admin/officers/\(try me.requireID())/roles/\(try role.requireID())/revoke", [:])
            #expect(response.status == .forbidden)
            #expect(try await MembershipModel.find(role.id, on: app.db) != nil)
        }
    }

    @Test func aTokenMadeOnThePageIsShownOnceWorksAndCanBeRevoked() async throws {
        try await withDemo { app, _ in
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let created = try await admin.post("/admin/tokens", ["name": "Cổng DVC Hà Nội", "agency": "01"])
            #expect(created.status == .created)
            let token = try #require(created.body.range(of: #"mc_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(created.body[$0]) })
            #expect(!(try await admin.get("/admin/tokens").body.contains(token)))
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: token)
            try await app.testing().test(.GET, "/api/v1/me", headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Cổng DVC Hà Nội"))
            }
            let stored = try #require(try await APITokenModel.query(on: app.db).filter(\.$name == "Cổng DVC Hà Nội").first())
            #expect(try await admin.post("/admin/tokens/\(try stored.requireID())/revoke", [:]).status == .seeOther)
            try await app.testing().test(.GET, "/api/v1/me", headers: headers) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func aSubUnitIsAddedOnceUnderAUnitTheAdminRuns() async throws {
        try await withDemo { app, _ in
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let form = ["parent": "01", "suffix": "snv", "name": "Sở Nội vụ thành phố Hà Nội", "kind": "department"]
            let created = try await admin.post("/admin/units", form)
            #expect(created.status == .seeOther)
            #expect(try await admin.get("/admin/units?parent=01").body.contains("Sở Nội vụ thành phố Hà Nội"))
            #expect(try await AgencyModel.query(on: app.db).filter(\.$code == "01.SNV").count() == 1)
            #expect(try await admin.post("/admin/units", form).status == .conflict)
            var elsewhere = form
            elsewhere["parent"] = "48"
            #expect(try await admin.post("/admin/units", elsewhere).status == .forbidden)
        }
    }

    // MARK: API

    private func api(
        _ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: String]? = nil
    ) async throws -> (status: HTTPStatus, json: [String: Any], location: String?) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        var result: (HTTPStatus, [String: Any], String?) = (.internalServerError, [:], nil)
        try await app.testing().test(method, path, headers: headers, beforeRequest: { request in
            if let body { try request.content.encode(body, as: .json) }
        }) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            result = (response.status, json ?? [:], response.headers.first(name: .location))
        }
        return result
    }

    private func token(_ app: Application, agency: String, write: Bool) async throws -> String {
        let unit = try await AgencyModel.query(on: app.db).filter(\.$code == agency).first()
        return try await APITokens.create(name: "HR", agencyID: unit?.id, permissions: write ? [.read, .write] : [.read], on: app.db).token
    }

    @Test func anIntegrationManagesOfficersOfItsAgencyThroughTheAPI() async throws {
        try await withDemo { app, mail in
            let writer = try await token(app, agency: "01", write: true)
            let created = try await api(app, .POST, "/api/v1/officers", token: writer, body: [
                "fullName": "Đinh Văn Khoa", "email": "khoa@hanoi.gov.vn", "phone": "+84 904 555 666", "agency": "01.STP",
                "role": "specialist",
            ])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.location == "/api/v1/officers/\(id.lowercased())")
            #expect(created.json["phone"] as? String == "0904555666")
            let granted = try await api(app, .POST, "/api/v1/officers/\(id)/roles", token: writer, body: ["agency": "00004", "role": "leader"])
            #expect(granted.status == .ok)
            #expect((granted.json["roles"] as? [[String: Any]])?.count == 2)
            let list = try await api(app, .GET, "/api/v1/officers?agency=01.STP", token: writer)
            let names = (list.json["items"] as? [[String: Any]])?.compactMap { $0["fullName"] as? String } ?? []
            #expect(names.contains("Đinh Văn Khoa"))
            #expect(!names.contains("Trần Thị Đà Nẵng"))
            try await JobWorker(application: app).runDueJobs()
            #expect(mail.messages.last?.to == "khoa@hanoi.gov.vn")
        }
    }

    @Test func theAPIRefusesWithTheReasonAndTheField() async throws {
        try await withDemo { app, _ in
            let reader = try await token(app, agency: "01", write: false)
            let writer = try await token(app, agency: "01", write: true)
            let readOnly = try await api(app, .POST, "/api/v1/officers", token: reader, body: [
                "fullName": "A", "email": "a@example.vn", "phone": "0904000001", "agency": "00004", "role": "specialist",
            ])
            #expect(readOnly.status == .forbidden)
            #expect(((readOnly.json["error"] as? [String: Any])?["parameter"] as? String) == "role")
            let bad = try await api(app, .POST, "/api/v1/officers", token: writer, body: ["fullName": "A", "email": "nope"])
            #expect(bad.status == .badRequest)
            let error = try #require(bad.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "invalid_fields")
            #expect(error["parameter"] as? String == "email")
            #expect((error["messages"] as? [String: String])?["en"]?.contains("phone: ") == true)
            let danang = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "specialist.danang@example.vn").first())
            let other = try await api(app, .GET, "/api/v1/officers/\(try danang.requireID())", token: reader)
            #expect(other.status == .forbidden)
            #expect((other.json["error"] as? [String: Any])?["code"] as? String == "forbidden_outside_agencies")
            let notJSON = try await api(app, .POST, "/api/v1/officers/\(try danang.requireID())/roles", token: writer)
            #expect(notJSON.status == .badRequest || notJSON.status == .forbidden)
            #expect(try await api(app, .GET, "/api/v1/officers/\(UUID())", token: reader).status == .notFound)
            #expect(try await api(app, .GET, "/api/v1/officers/not-a-uuid", token: reader).status == .notFound)
            let roles = try await api(app, .GET, "/api/v1/roles", token: reader)
            #expect((roles.json["items"] as? [[String: Any]])?.count == 6)
        }
    }
}
