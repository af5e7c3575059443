import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct CalendarAdminTests {

    @Test func aSystemAdminRecordsAYearsSwapWithItsReference() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let page = try await admin.get("/admin/calendar?year=2026")
            #expect(page.status == .ok)
            #expect(page.body.contains("17/02/2026 (Thứ Ba)"))  // Tết, as a Vietnamese officer writes it
            let saved = try await admin.post("/admin/calendar/adjustments", [
                "date": "2026-02-21", "kind": "workingDay", "reference": "Thông báo thử nghiệm 1/TB",
            ])
            #expect(saved.status == .seeOther)
            #expect(try await admin.get("/admin/calendar?year=2026").body.contains("Thông báo thử nghiệm 1/TB"))
            try await app.testing().test(.GET, "/api/v1/calendar/2026") { response in
                #expect(response.body.string.contains(#""extraWorkingDays":["2026-02-21"]"#))
            }
            // The change is recorded, and open dossiers' deadlines will be recomputed by the worker.
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "calendar.adjusted").count() == 1)
            #expect(try await JobModel.query(on: app.db).filter(\.$kind == CalendarChangedJob.kind).count() == 1)
            #expect(try await JobWorker(application: app).runDueJobs() == 1)
        }
    }

    @Test func aContradictoryAdjustmentIsRefusedWithAMessageAndNothingSaved() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let cases: [([String: String], String)] = [
                (["date": "2025-04-30", "kind": "workingDay", "reference": "x"], "ngày lễ theo Bộ luật Lao động"),
                (["date": "2025-04-27", "kind": "dayOff", "reference": "x"], "vốn đã là ngày nghỉ"),
                (["date": "30/04/2025", "kind": "dayOff", "reference": "x"], "date-error"),
                (["date": "2025-04-28", "kind": "dayOff", "reference": ""], "reference-error"),
                (["date": "2300-01-01", "kind": "dayOff", "reference": "x"], "1900–2199"),
            ]
            for (form, message) in cases {
                let response = try await admin.post("/admin/calendar/adjustments", form)
                #expect(response.status == .badRequest, "\(form)")
                #expect(response.body.contains(message), "\(form)")
            }
            #expect(try await CalendarAdjustmentModel.query(on: app.db).count() == 2)  // the 2025 example only
            // A day already adjusted (Saturday 26 April 2025 is worked) is a conflict, not a server error; making
            // it a day off too would be both.
            let again = try await admin.post("/admin/calendar/adjustments", ["date": "2025-04-26", "kind": "dayOff", "reference": "x"])
            #expect(again.status == .conflict)
            #expect(again.body.contains("đã có điều chỉnh"))
        }
    }

    @Test func daysReadAsEachLanguageWritesThemWithTheirWeekday() async throws {
        try await withTestApp { app in
            let tết = try #require(CivilDate(iso: "2025-01-29"))
            #expect(Formatting(localization: app.localization, language: .vi).day(tết) == "29/01/2025 (Thứ Tư)")
            #expect(Formatting(localization: app.localization, language: .en).day(tết) == "2025-01-29 (Wed)")
            let sunday = try #require(CivilDate(iso: "2025-05-04"))
            #expect(Formatting(localization: app.localization, language: .vi).day(sunday) == "04/05/2025 (Chủ nhật)")
        }
    }

    @Test func onlySystemAdminsChangeTheNationalCalendar() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let agencyAdmin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            #expect(try await agencyAdmin.get("/admin/calendar").status == .ok)
            let refused = try await agencyAdmin.post("/admin/calendar/adjustments", [
                "date": "2026-02-21", "kind": "workingDay", "reference": "x",
            ])
            #expect(refused.status == .forbidden)
            #expect(try await CalendarAdjustmentModel.query(on: app.db).count() == 2)
        }
    }
}

@Suite struct OfficeHoursAdminTests {

    private func due(_ app: Application, agency: String) async throws -> String? {
        var due: String?
        try await app.testing().test(.GET, "/api/v1/calendar/due?start=2025-03-03T18:00:00%2B07:00&amount=1&unit=workingDays&agency=\(agency)") { response in
            due = ((try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any])?["due"] as? String
        }
        return due
    }

    @Test func aUnitsHoursApplyToItAndTheUnitsBelow() async throws {
        try await withTestApp(template: .demoPeople) { app in
            #expect(try await due(app, agency: "00004") == "2025-03-04T17:00:00+07:00")
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let saved = try await admin.post("/admin/units/hours", ["agency": "01", "hours": "07:30-11:30,13:30-17:30"])
            #expect(saved.status == .seeOther)
            // Set on Hà Nội: its wards count in them too; Đà Nẵng keeps the standard hours.
            #expect(try await due(app, agency: "00004") == "2025-03-04T17:30:00+07:00")
            #expect(try await due(app, agency: "48") == "2025-03-04T17:00:00+07:00")
            #expect(try await admin.get("/admin/units?parent=00004").body.contains(#"value="07:30-11:30,13:30-17:30""#))
            // The calendar page shows the reader's units' hours beside the default.
            let calendar = try await admin.get("/admin/calendar?year=2025").body
            #expect(calendar.contains("Thành phố Hà Nội: <strong>07:30-11:30,13:30-17:30</strong>"))
            #expect(calendar.contains("Mặc định: <strong>08:00-12:00,13:00-17:00</strong>"))
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "agency.office_hours").count() == 1)

            let bad = try await admin.post("/admin/units/hours", ["agency": "00004", "hours": "8h-17h"])
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains(#"id="hours-error""#))
            #expect(bad.body.contains(#"value="8h-17h""#))
            #expect(try await admin.post("/admin/units/hours", ["agency": "48", "hours": "07:00-11:00"]).status == .forbidden)
            // Blank: back to the unit above's.
            try await admin.post("/admin/units/hours", ["agency": "01", "hours": ""])
            #expect(try await due(app, agency: "00004") == "2025-03-04T17:00:00+07:00")
        }
    }
}
