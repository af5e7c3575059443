import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct AccountTests {
    static func withAccountsApp(_ test: (Application) async throws -> Void) async throws {
        try await withTestApp { app in try await test(app) }
    }

    let citizen = [
        "kind": "citizen", "fullName": "Nguyễn Thị Lan", "birthDate": "1985-03-14", "personalID": "001185012345",
        "phone": "0912 345 678", "email": "lan@example.vn", "password": "mật khẩu tốt",
        "passwordConfirmation": "mật khẩu tốt",
    ]

    @Test func aCitizenRegistersAndLandsOnTheirAccountSignedIn() async throws {
        try await Self.withAccountsApp { app in
            let browser = TestBrowser(app)
            let form = try await browser.get("/register")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"name="_csrf" value="\#(browser.csrf)""#))
            let posted = try await browser.post("/register", citizen)
            #expect(posted.status == .seeOther)
            #expect(posted.location == "/account")
            let account = try await browser.get("/account")
            #expect(account.status == .ok)
            #expect(account.body.contains("Nguyễn Thị Lan"))
            #expect(account.body.contains("•••••••••345"))
            #expect(!account.body.contains("001185012345"))
            let stored = try #require(try await AccountModel.query(on: app.db).first())
            #expect(stored.phone == "0912345678")
            #expect(stored.passwordHash.hasPrefix("$2"))
            #expect(!stored.passwordHash.contains("mật khẩu"))
        }
    }

    @Test func aBadFormComesBackWithEveryProblemAndWhatWasTyped() async throws {
        try await Self.withAccountsApp { app in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            var form = citizen
            form["personalID"] = "001105012345"
            form["email"] = "lan@"
            form["passwordConfirmation"] = "khác"
            let posted = try await browser.post("/register", form)
            #expect(posted.status == .badRequest)
            #expect(posted.body.contains("Số định danh ghi năm sinh 1905, khác năm sinh 1985 đã khai."))
            #expect(posted.body.contains("Địa chỉ thư điện tử không hợp lệ."))
            #expect(posted.body.contains("Hai lần nhập mật khẩu không khớp."))
            #expect(posted.body.contains(#"value="Nguyễn Thị Lan""#))
            #expect(posted.body.contains(#"value="0912 345 678""#))
            #expect(!posted.body.contains("mật khẩu tốt"))
            let observed1 = try await AccountModel.query(on: app.db).count()
            #expect(observed1 == 0)
        }
    }

    @Test func aSecondAccountWithTheSameEmailOrIDIsRefused() async throws {
        try await Self.withAccountsApp { app in
            let first = TestBrowser(app)
            try await first.get("/register")
            try await first.post("/register", citizen)
            let second = TestBrowser(app)
            try await second.get("/register")
            let posted = try await second.post("/register", citizen)
            #expect(posted.status == .conflict)
            // Which of the two is taken is not said, on either field.
            let message = "Số định danh hoặc email này không dùng được để đăng ký. Nếu là của bạn, hãy đăng nhập hoặc đặt lại mật khẩu."
            // Beside each of the two fields, and once for each in the summary at the top.
            #expect(posted.body.components(separatedBy: message).count == 5)
            #expect(posted.body.contains(##"<a href="#personalID">"##) && posted.body.contains(##"<a href="#email">"##))
            #expect(!posted.body.contains("Đã có tài khoản dùng thông tin này."))
            let observed2 = try await AccountModel.query(on: app.db).count()
            #expect(observed2 == 1)
        }
    }

    @Test func signInChecksThePasswordAndSignOutEndsTheSession() async throws {
        try await Self.withAccountsApp { app in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            try await browser.post("/register", citizen)
            try await browser.post("/logout", [:])
            let observed3 = try await browser.get("/account").location
            #expect(observed3 == "/login")
            let observed4 = try await SessionModel.query(on: app.db).count()
            #expect(observed4 == 0)

            let wrong = try await browser.post("/login", ["email": "lan@example.vn", "password": "sai mật khẩu"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("Thư điện tử hoặc mật khẩu không đúng."))
            let unknown = try await browser.post("/login", ["email": "nobody@example.vn", "password": "mật khẩu tốt"])
            #expect(unknown.status == .unauthorized)
            let right = try await browser.post("/login", ["email": "LAN@example.vn ", "password": "mật khẩu tốt"])
            #expect(right.location == "/account")
            let observed5 = try await browser.get("/account").status
            #expect(observed5 == .ok)
        }
    }

    @Test func signingOutEverywhereEndsEveryBrowsersSession() async throws {
        try await Self.withAccountsApp { app in
            let phone = TestBrowser(app)
            try await phone.get("/register")
            try await phone.post("/register", citizen)
            let laptop = TestBrowser(app)
            try await laptop.get("/login")
            try await laptop.post("/login", ["email": "lan@example.vn", "password": "mật khẩu tốt"])
            let observed6 = try await SessionModel.query(on: app.db).count()
            #expect(observed6 == 2)
            try await laptop.post("/account/logout-everywhere", [:])
            let observed7 = try await SessionModel.query(on: app.db).count()
            #expect(observed7 == 0)
            let observed8 = try await phone.get("/account").location
            #expect(observed8 == "/login")
        }
    }

    @Test func aFormWithoutItsCSRFTokenIsRefused() async throws {
        try await Self.withAccountsApp { app in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            let observed9 = try await browser.post("/register", citizen, csrf: false).status
            #expect(observed9 == .forbidden)
            var forged = citizen
            forged[CSRFMiddleware.fieldName] = String(repeating: "A", count: 43)
            let observed10 = try await browser.post("/register", forged, csrf: false).status
            #expect(observed10 == .forbidden)
            let observed11 = try await AccountModel.query(on: app.db).count()
            #expect(observed11 == 0)
        }
    }

    @Test func fiveWrongPasswordsPauseSignInForTheAccountEvenWithTheRightOne() async throws {
        try await Self.withAccountsApp { app in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            try await browser.post("/register", citizen)
            try await browser.post("/logout", [:])
            for attempt in 1...4 {
                let wrong = try await browser.post("/login", ["email": "lan@example.vn", "password": "sai \(attempt)"])
                #expect(wrong.status == .unauthorized, "attempt \(attempt)")
            }
            let fifth = try await browser.post("/login", ["email": "lan@example.vn", "password": "sai 5"])
            #expect(fifth.status == .tooManyRequests)
            #expect(fifth.body.contains("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau"))
            let right = try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu tốt"])
            #expect(right.status == .tooManyRequests)
            #expect(right.location == nil)
            // Another account from elsewhere is not affected.
            let other = try await browser.post("/login", ["email": "someone@example.vn", "password": "x"])
            #expect(other.status == .unauthorized)
        }
    }

    @Test func aSuccessfulSignInClearsTheAccountsFailures() async throws {
        try await Self.withAccountsApp { app in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            try await browser.post("/register", citizen)
            try await browser.post("/logout", [:])
            for _ in 1...3 { try await browser.post("/login", ["email": "lan@example.vn", "password": "sai"]) }
            try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu tốt"])
            try await browser.post("/logout", [:])
            for _ in 1...3 { try await browser.post("/login", ["email": "lan@example.vn", "password": "sai"]) }
            let right = try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu tốt"])
            #expect(right.location == "/account")
        }
    }

    @Test func demoOfficersSignInAndSeeTheirRolesAndUnits() async throws {
        try await withTestApp(seed: { app in
            try await Seeder(app: app).seedAgencies()
            try await Seeder(app: app).seedDemoAccounts(cost: 4)
        }) { app in
            let accounts = try await AccountModel.query(on: app.db).count()
            #expect(accounts == 9)
            let browser = TestBrowser(app)
            try await browser.get("/login")
            let signedIn = try await browser.post(
                "/login", ["email": "specialist.stp@demo.motcua.vn", "password": Seeder.demoPassword])
            #expect(signedIn.location == "/account")
            let page = try await browser.get("/account")
            #expect(page.body.contains("Chuyên viên thụ lý — Sở Tư pháp thành phố Hà Nội"))
            #expect(page.body.contains("Cán bộ một cửa — Sở Tư pháp thành phố Hà Nội"))
            try await browser.post("/logout", [:])
            try await browser.post("/login", ["email": "sysadmin@demo.motcua.vn", "password": Seeder.demoPassword])
            let observed101 = try await browser.get("/account")
            #expect(observed101.body.contains("Quản trị hệ thống — toàn hệ thống"))
        }
    }

    @Test func aForgedSessionCookieSignsNobodyIn() async throws {
        try await Self.withAccountsApp { app in
            let browser = TestBrowser(app)
            browser.cookies[Sessions.cookieName] = Sessions.randomToken()
            let observed12 = try await browser.get("/account").location
            #expect(observed12 == "/login")
        }
    }
}
