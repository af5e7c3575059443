import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// One pattern for every form (issue 10, item 9): problems listed at the top as links to their fields, each field
/// tied to its message, and a form whose anti-forgery token was lost shown again with everything typed.
@Suite struct FormTests {
    let citizen = [
        "kind": "citizen", "fullName": "Nguyễn Thị Lan", "birthDate": "1985-03-14", "personalID": "001185012345",
        "phone": "0912 345 678", "email": "lan@example.vn", "password": "mật khẩu tốt",
        "passwordConfirmation": "mật khẩu tốt",
    ]

    /// A phone that killed the browser: the anti-forgery cookie is gone when the completed form is sent.
    @Test func aRegistrationSentAfterItsCookieWasLostComesBackFilledInAndSendsAgain() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            let lost = try await browser.post("/register", citizen, csrf: false)
            #expect(lost.status == .forbidden)
            #expect(lost.body.contains("Mọi thông tin bạn nhập vẫn còn dưới đây"))
            #expect(lost.body.contains(#"value="Nguyễn Thị Lan""#))
            #expect(lost.body.contains(#"value="lan@example.vn""#))
            #expect(lost.body.contains(#"value="001185012345""#))
            #expect(!lost.body.contains("mật khẩu tốt"))
            #expect(try await AccountModel.query(on: app.db).count() == 0)
            // The answer gave the browser a new cookie and the page its token: sending again works.
            #expect(!browser.csrf.isEmpty)
            #expect(lost.body.contains(browser.csrf))
            #expect(try await browser.post("/register", citizen).status == .seeOther)
            #expect(try await AccountModel.query(on: app.db).count() == 1)
        }
    }

    @Test func aStaleTokenOnAnAdminFormKeepsWhatWasTyped() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            var form = ["fullName": "Lê Văn Mới", "email": "moi@example.vn", "phone": "0912000111", "agency": "00004",
                "role": "specialist"]
            form[CSRFMiddleware.fieldName] = "stale-token-from-an-old-tab"
            let stale = try await admin.post("/admin/officers", form, csrf: false)
            #expect(stale.status == .forbidden)
            #expect(stale.body.contains(#"value="Lê Văn Mới""#))
            #expect(stale.body.contains(#"value="moi@example.vn""#))
            #expect(try await AccountModel.query(on: app.db).filter(\.$email == "moi@example.vn").count() == 0)
        }
    }

    /// After each form that changes something, the page it lands on says what happened, in the reader's language.
    @Test func everySuccessfulFormSaysWhatItDid() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let localization = app.localization
            func landing(_ posted: (status: HTTPStatus, body: String, location: String?), _ notice: Notice) async throws {
                #expect(posted.status == .seeOther, "\(notice)")
                let location = try #require(posted.location)
                #expect(location.contains("notice=\(notice.rawValue)"))
                let page = try await admin.get(location)
                #expect(page.status == .ok)
                let text = localization.string(notice.localizationKey, .vi)
                #expect(page.body.contains(#"<p class="notice" role="status">\#(text)</p>"#), "\(notice)")
            }
            let officer = try #require(
                try await AccountModel.query(on: app.db).filter(\.$email == "reception.badinh@demo.motcua.vn").first())
            let officerPath = "/admin/officers/\(try officer.requireID().uuidString.lowercased())"
            try await landing(try await admin.post(officerPath + "/roles", ["agency": "00004", "role": "leader"]), .roleGranted)
            let granted = try #require(
                try await MembershipModel.query(on: app.db).filter(\.$account.$id == officer.requireID()).filter(\.$role == .leader).first())
            try await landing(
                try await admin.post(officerPath + "/roles/\(try granted.requireID().uuidString.lowercased())/revoke", [:]), .roleRevoked)
            try await landing(
                try await admin.post("/admin/units", ["parent": "01", "suffix": "N1", "name": "Ban thử", "kind": "department"]),
                .unitCreated)
            try await landing(
                try await admin.post("/admin/units/hours", ["agency": "01", "hours": "07:30-11:30,13:30-17:30"]), .officeHoursSaved)
            let token = try await APITokens.create(name: "thử", agencyID: nil, permissions: [.read], on: app.db).model.requireID()
            try await landing(try await admin.post("/admin/tokens/\(token.uuidString.lowercased())/revoke", [:]), .tokenRevoked)
            try await landing(
                try await admin.post("/admin/calendar/adjustments", ["date": "2031-01-04", "kind": "workingDay", "reference": "Thông báo"]),
                .calendarAdjusted)
            let adjustment = try #require(try await CalendarAdjustmentModel.query(on: app.db).filter(\.$date == "2031-01-04").first())
            try await landing(
                try await admin.post("/admin/calendar/adjustments/\(try adjustment.requireID().uuidString.lowercased())/remove", [:]),
                .calendarAdjustmentRemoved)
            // A notice the platform does not know is not shown: a link cannot make a page say something else.
            let forged = try await admin.get("/admin/tokens?notice=anything_at_all")
            #expect(!forged.body.contains(#"class="notice""#))
        }
    }

    /// Revoking and removing ask first: the button opens the question, and only its answer sends the form.
    @Test func destructiveActionsAskToConfirm() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let officer = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "reception.badinh@demo.motcua.vn").first())
            let page = try await admin.get("/admin/officers/\(try officer.requireID().uuidString.lowercased())").body
            let confirm = try #require(page.range(of: #"<details class="confirm"><summary>"#))
            let form = try #require(page.range(of: "/revoke\" method=\"post\""))
            #expect(confirm.lowerBound < form.lowerBound)
            #expect(page.contains("Đồng ý thu hồi"))
        }
    }

    /// Another site posting a form is refused without echoing its values into our page.
    @Test func aCrossSitePostIsRefusedWithAMessageAndNothingEchoed() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            browser.fetchSite = "cross-site"
            let forged = try await browser.post("/register", citizen, csrf: false)
            #expect(forged.status == .forbidden)
            #expect(forged.body.contains("tải lại trang rồi gửi lại"))
            #expect(!forged.body.contains("lan@example.vn"))
        }
    }

    /// A browser that does not send `Sec-Fetch-Site` gets the form back only when its `Origin` is this site.
    @Test func withoutFetchMetadataTheOriginDecidesWhetherTheFormComesBack() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            browser.fetchSite = ""
            let unknown = try await browser.post("/register", citizen, csrf: false)
            #expect(unknown.status == .forbidden)
            #expect(!unknown.body.contains("lan@example.vn"))
            browser.extraHeaders.replaceOrAdd(name: "Origin", value: "https://elsewhere.example")
            #expect(!(try await browser.post("/register", citizen, csrf: false).body.contains("lan@example.vn")))
            browser.extraHeaders.replaceOrAdd(name: "Origin", value: app.config.publicURL)
            let ours = try await browser.post("/register", citizen, csrf: false)
            #expect(ours.status == .forbidden)
            #expect(ours.body.contains(#"value="lan@example.vn""#))
        }
    }

    /// A form without a way to show itself again (signing out) still says what happened and what to do.
    @Test func aLostTokenElsewhereGivesAPageThatSaysWhatToDo() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            let answer = try await browser.post("/logout", [:], csrf: false)
            #expect(answer.status == .forbidden)
            #expect(answer.body.contains("tải lại trang rồi gửi lại"))
            #expect(answer.body.contains("<h1>"))
        }
    }

    @Test func problemsAreListedAtTheTopAsLinksToTheirFieldsAndTheTitleSaysSo() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            var form = citizen
            form["email"] = "not-an-email"
            form["fullName"] = ""
            let answer = try await browser.post("/register", form)
            #expect(answer.status == .badRequest)
            #expect(answer.body.contains("<title>Lỗi: "))
            #expect(answer.body.contains(#"id="problems" role="alert""#))
            // In the order of the form.
            let name = try #require(answer.body.range(of: ##"<a href="#fullName">"##))
            let email = try #require(answer.body.range(of: ##"<a href="#email">"##))
            #expect(name.lowerBound < email.lowerBound)
            #expect(answer.body.contains(#"aria-invalid="true" aria-describedby="email-error""#))
            #expect(answer.body.contains(#"id="email-error""#))
        }
    }

    /// Leaf counts an empty list as true: a form shown the first time, with nothing wrong, must not announce an
    /// empty list of problems (a screen reader would read "fix these first" on every form).
    @Test func aFormWithNothingWrongShowsNoProblemBox() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let page = try await TestBrowser(app).get("/register")
            #expect(page.status == .ok)
            #expect(!page.body.contains(#"id="problems""#))
            let admin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            for path in ["/admin/officers/new", "/admin/calendar", "/admin/tokens"] {
                let page = try await admin.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.body.contains(#"id="problems""#), "\(path)")
            }
        }
    }
}
