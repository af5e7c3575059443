import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import App

/// Mail kept in memory; `down` makes it behave like an SMTP server that cannot be reached.
struct CapturingMail: MailTransport {
    struct Unreachable: ClassifiedJobError {
        var isTransient: Bool { true }
    }

    let sent = NIOLockedValueBox<[OutgoingMail]>([])
    let down = NIOLockedValueBox(false)

    func send(_ mail: OutgoingMail, messageID: String) async throws {
        if down.withLockedValue({ $0 }) { throw Unreachable() }
        sent.withLockedValue { $0.append(mail) }
    }

    var messages: [OutgoingMail] { sent.withLockedValue { $0 } }
}

@Suite struct PasswordTests {
    let citizen = [
        "kind": "citizen", "fullName": "Nguyễn Thị Lan", "birthDate": "1985-03-14", "personalID": "001185012345",
        "phone": "0912 345 678", "email": "lan@example.vn", "password": "mật khẩu cũ",
        "passwordConfirmation": "mật khẩu cũ",
    ]

    /// An app with one registered citizen (signed out) and mail captured.
    private func withCitizen(_ test: (Application, TestBrowser, CapturingMail) async throws -> Void) async throws {
        try await withTestApp { app in
            let mail = CapturingMail()
            app.mailTransport = mail
            let browser = TestBrowser(app)
            try await browser.get("/register")
            #expect(try await browser.post("/register", citizen).status == .seeOther)
            try await browser.post("/logout", [:])
            try await test(app, browser, mail)
        }
    }

    /// Asks for a reset link, runs the outbox, and returns the link's path from the email.
    private func requestLink(_ app: Application, _ browser: TestBrowser, _ mail: CapturingMail) async throws -> String {
        try await browser.get("/password/forgot")
        let asked = try await browser.post("/password/forgot", ["email": "LAN@example.vn"])
        #expect(asked.status == .ok)
        try await JobWorker(application: app).runDueJobs()
        let body = try #require(mail.messages.last?.body)
        let url = try #require(body.split(separator: "\n").first { $0.contains("/password/reset?token=") })
        return String(url.dropFirst(app.config.publicURL.count))
    }

    @Test func aForgottenPasswordIsResetThroughTheEmailedLinkOnce() async throws {
        try await withCitizen { app, browser, mail in
            let link = try await requestLink(app, browser, mail)
            let email = try #require(mail.messages.first)
            #expect(email.to == "lan@example.vn")
            #expect(email.subject == "Đặt lại mật khẩu MotCua")
            #expect(email.body.contains("Xin chào Nguyễn Thị Lan"))
            // The token is in the email, not in the database: only its hash is stored, and the sent job is blanked.
            let token = try #require(link.split(separator: "=").last)
            #expect(try await PasswordResetModel.query(on: app.db).first()?.tokenHash == Sessions.hash(String(token)))
            #expect(try await JobModel.query(on: app.db).first()?.payload == "{}")

            let form = try await browser.get(link)
            #expect(form.status == .ok)
            #expect(form.body.contains(#"name="token" value="\#(token)""#))
            let reset = try await browser.post(
                "/password/reset", ["token": String(token), "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"])
            #expect(reset.status == .seeOther)
            #expect(reset.location == "/login?notice=password_reset")
            #expect(try await browser.get("/login?notice=password_reset").body.contains("Mật khẩu đã được đặt lại"))

            #expect(try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"]).status == .unauthorized)
            #expect(try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu mới"]).status == .seeOther)

            // Spent: the same link again is refused, by GET and by POST, and the password stays.
            #expect(try await browser.get(link).status == .gone)
            let reused = try await browser.post(
                "/password/reset", ["token": String(token), "password": "kẻ gian đổi", "passwordConfirmation": "kẻ gian đổi"])
            #expect(reused.status == .gone)
            #expect(reused.body.contains("đã được dùng"))
            // The owner is told, in the app and by email.
            try await JobWorker(application: app).runDueJobs()
            #expect(mail.messages.last?.subject == "Mật khẩu tài khoản đã được thay đổi")
            let notices = try await browser.get("/notifications")
            #expect(notices.body.contains("Mật khẩu tài khoản đã được thay đổi"))
        }
    }

    @Test func anExpiredLinkIsRefusedAndAForgedOneIsUnknown() async throws {
        try await withCitizen { app, browser, mail in
            let link = try await requestLink(app, browser, mail)
            try await PasswordResetModel.query(on: app.db).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
            let expired = try await browser.get(link)
            #expect(expired.status == .gone)
            #expect(expired.body.contains("đã hết hạn"))
            #expect(expired.body.contains(#"href="/password/forgot""#))
            #expect(try await browser.get("/password/reset?token=forged").status == .notFound)
            #expect(try await browser.get("/password/reset").status == .notFound)
            let forged = try await browser.post(
                "/password/reset", ["token": "forged", "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"])
            #expect(forged.status == .notFound)
        }
    }

    @Test func aWeakNewPasswordIsExplainedAndTheLinkStillWorks() async throws {
        try await withCitizen { app, browser, mail in
            let link = try await requestLink(app, browser, mail)
            let token = String(try #require(link.split(separator: "=").last))
            let short = try await browser.post("/password/reset", ["token": token, "password": "ngắn", "passwordConfirmation": "ngắn"])
            #expect(short.status == .badRequest)
            #expect(short.body.contains("ít nhất 10 ký tự"))
            // Long enough but among the most common passwords, or made of the person's own name.
            for weak in ["1234567890", "password123", "NguyenThiLan1985"] {
                let refused = try await browser.post("/password/reset", ["token": token, "password": weak, "passwordConfirmation": weak])
                #expect(refused.status == .badRequest, "\(weak)")
                #expect(refused.body.contains(#"id="password-error""#), "\(weak)")
            }
            let differ = try await browser.post(
                "/password/reset", ["token": token, "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu khác"])
            #expect(differ.status == .badRequest)
            #expect(differ.body.contains(#"id="passwordConfirmation-error""#))
            #expect(try await browser.get(link).status == .ok)
        }
    }

    @Test func anUnknownAddressGetsTheSameAnswerAndNoMail() async throws {
        try await withCitizen { app, browser, mail in
            try await browser.get("/password/forgot")
            let known = try await browser.post("/password/forgot", ["email": "lan@example.vn"])
            let unknown = try await browser.post("/password/forgot", ["email": "nobody@example.vn"])
            #expect(known.status == unknown.status)
            #expect(unknown.body.contains("Nếu có tài khoản dùng địa chỉ này"))
            // Both did the same work while answering: one queued request each, nothing looked up yet.
            let queued = try await JobModel.query(on: app.db).all()
            #expect(queued.map(\.kind) == [PasswordResetRequestJob.kind, PasswordResetRequestJob.kind])
            #expect(try await PasswordResetModel.query(on: app.db).count() == 0)
            try await JobWorker(application: app).runDueJobs()
            #expect(mail.messages.map(\.to) == ["lan@example.vn"])
            // The addresses asked about do not stay in the queue.
            #expect(try await JobModel.query(on: app.db).filter(\.$kind == PasswordResetRequestJob.kind).all()
                .allSatisfy { !$0.payload.contains("@") })
            let malformed = try await browser.post("/password/forgot", ["email": "not-an-address"])
            #expect(malformed.body.contains(#"id="email-error""#))
            #expect(malformed.body.contains(#"value="not-an-address""#))
        }
    }

    @Test func atMostThreeLinksAnHourReachAnInbox() async throws {
        try await withCitizen { app, browser, mail in
            try await browser.get("/password/forgot")
            for _ in 1...5 {
                #expect(try await browser.post("/password/forgot", ["email": "lan@example.vn"]).status == .ok)
            }
            try await JobWorker(application: app).runDueJobs()
            #expect(mail.messages.count == 3)
        }
    }

    /// Every request counts against its network address, known address or not, so the form cannot flood the outbox.
    @Test func oneNetworkAddressMayAskForTwentyLinksAnHour() async throws {
        try await withTestApp { app in
            // A real connection, so that the request has a peer address (127.0.0.1). One server and the app's own
            // non-blocking client for all 21 requests: the running tester restarts the server for each one.
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            var statuses: [HTTPStatus] = []
            var last = ""
            do {
                let base = "http://127.0.0.1:\(try #require(app.http.server.shared.localAddress?.port))/password/forgot"
                let form = try await app.client.get(URI(string: base))
                let csrf = try #require(form.headers.setCookie?[CSRFMiddleware.cookieName]?.string)
                for n in 1...21 {
                    let response = try await app.client.post(
                        URI(string: base), headers: ["Cookie": "\(CSRFMiddleware.cookieName)=\(csrf)"]
                    ) { request in
                        try request.content.encode(
                            ["email": "nguoi\(n)@example.vn", CSRFMiddleware.fieldName: csrf], as: .urlEncodedForm)
                    }
                    statuses.append(response.status)
                    last = response.body.map { String(buffer: $0) } ?? ""
                }
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
            #expect(statuses.prefix(20).allSatisfy { $0 == .ok })
            #expect(statuses.last == .tooManyRequests)
            #expect(last.contains("quá nhiều yêu cầu đặt lại mật khẩu từ mạng này"))
            #expect(try await JobModel.query(on: app.db).count() == 20)
        }
    }

    @Test func aMailServerThatIsDownDoesNotFailTheRequestAndTheMailFollowsLater() async throws {
        try await withCitizen { app, browser, mail in
            mail.down.withLockedValue { $0 = true }
            try await browser.get("/password/forgot")
            #expect(try await browser.post("/password/forgot", ["email": "lan@example.vn"]).status == .ok)
            let now = Date()
            try await JobWorker(application: app).runDueJobs()
            let waiting = try #require(try await JobModel.query(on: app.db).filter(\.$kind == EmailJob.kind).first())
            #expect(waiting.state == .queued)
            #expect(waiting.attempts == 1)
            #expect(mail.messages.isEmpty)
            mail.down.withLockedValue { $0 = false }
            try await JobWorker(application: app).runDueJobs(now: now.addingTimeInterval(3600))
            #expect(mail.messages.count == 1)
        }
    }

    @Test func emailsAreWrittenInTheAccountsLanguage() async throws {
        try await withCitizen { app, browser, mail in
            try await browser.get("/language/en?next=/")
            try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"])
            try await browser.get("/language/en?next=/")
            try await browser.post("/logout", [:])
            _ = try await requestLink(app, browser, mail)
            #expect(mail.messages.last?.subject == "Reset your MotCua password")
            #expect(mail.messages.last?.body.contains("Hello Nguyễn Thị Lan") == true)
        }
    }

    /// A link on another site to `/language/en` must not change what a signed-in person's emails are written in.
    @Test func aLanguageLinkFromAnotherSiteChangesOnlyThePagesNotTheAccount() async throws {
        try await withCitizen { app, browser, mail in
            try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"])
            browser.fetchSite = "cross-site"
            try await browser.get("/language/en?next=/")
            #expect(try await browser.get("/account").body.contains("Sign out"))  // this browser's pages are English
            let account = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "lan@example.vn").first())
            #expect(account.language == "vi")
            // The same click on the site itself is the person's choice, and is kept.
            browser.fetchSite = "same-origin"
            try await browser.get("/language/en?next=/")
            let chosen = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "lan@example.vn").first())
            #expect(chosen.language == "en")
        }
    }

    @Test func changingThePasswordNeedsTheCurrentOneAndSignsOutOtherBrowsers() async throws {
        try await withCitizen { app, browser, mail in
            try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"])
            let other = TestBrowser(app)
            try await other.get("/login")
            try await other.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"])
            #expect(try await other.get("/account").status == .ok)

            #expect(try await browser.get("/account/password").status == .ok)
            let wrong = try await browser.post(
                "/account/password",
                ["currentPassword": "đoán bừa", "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"])
            #expect(wrong.status == .badRequest)
            #expect(wrong.body.contains("Mật khẩu hiện tại không đúng"))
            let changed = try await browser.post(
                "/account/password",
                ["currentPassword": "mật khẩu cũ", "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"])
            #expect(changed.status == .seeOther)
            let account = try await browser.get("/account?notice=password_changed")
            #expect(account.status == .ok)
            #expect(account.body.contains("Đã đổi mật khẩu"))
            #expect(try await other.get("/account").status == .seeOther)
            try await JobWorker(application: app).runDueJobs()
            #expect(mail.messages.last?.subject == "Mật khẩu tài khoản đã được thay đổi")
        }
    }

    @Test func aStolenSessionCannotGuessTheCurrentPasswordWithoutLimit() async throws {
        try await withCitizen { app, browser, _ in
            try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"])
            let guess = ["currentPassword": "đoán bừa", "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"]
            // Simultaneous guesses: at most five are checked, the rest are told to wait.
            let session = browser.cookies
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let thief = TestBrowser(app)
                        thief.cookies = session
                        return try await thief.post("/account/password", guess).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .badRequest }.count <= 5)
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 7)
            #expect(statuses.allSatisfy { $0 == .badRequest || $0 == .tooManyRequests })
            // Now even the right password waits, and says until when, in the field it concerns.
            let locked = try await browser.post(
                "/account/password",
                ["currentPassword": "mật khẩu cũ", "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("Nhập sai quá nhiều lần"))
            #expect(locked.body.contains("currentPassword"))
            // The old password still signs in elsewhere: the lock guards the change, not the account.
            let other = TestBrowser(app)
            try await other.get("/login")
            #expect(try await other.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"]).status == .seeOther)
        }
    }

    /// An officer's change is audited with their roles, read inside the change's own transaction: on SQLite a read
    /// outside it waited for the connection the transaction held, and every officer got 503 after 30 seconds.
    @Test func anOfficerChangesTheirPasswordAndTheChangeIsAudited() async throws {
        // The wait that was hit is SQLite's (one connection per loop); PostgreSQL, under the whole suite at once,
        // may make a first connection wait longer than 5 s without anything being wrong.
        try await withTestApp(configuring: { $0.databaseWait = TestDatabase.postgresURL == nil ? 5 : 300 }, template: .demoPeople) { app in
            let browser = TestBrowser(app)
            try await browser.get("/login")
            try await browser.post("/login", ["email": "specialist.badinh@demo.motcua.vn", "password": Seeder.demoPassword])
            let changed = try await browser.post(
                "/account/password",
                ["currentPassword": Seeder.demoPassword, "password": "mật khẩu mới của Huy", "passwordConfirmation": "mật khẩu mới của Huy"])
            #expect(changed.status == .seeOther)
            let entry = try await AuditEntryModel.query(on: app.db).filter(\.$action == "password.changed").first()
            #expect(entry?.actor.hasPrefix("officer:") == true)
        }
    }

    @Test func changingThePasswordSpendsResetLinksMailedBefore() async throws {
        try await withCitizen { app, browser, mail in
            let link = try await requestLink(app, browser, mail)
            try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"])
            let changed = try await browser.post(
                "/account/password",
                ["currentPassword": "mật khẩu cũ", "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"])
            #expect(changed.status == .seeOther)
            #expect(try await TestBrowser(app).get(link).status == .gone)
        }
    }

    @Test func notificationsShowUnreadInTheHeaderUntilRead() async throws {
        try await withCitizen { app, browser, mail in
            try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu cũ"])
            try await browser.post(
                "/account/password",
                ["currentPassword": "mật khẩu cũ", "password": "mật khẩu mới", "passwordConfirmation": "mật khẩu mới"])
            let home = try await browser.get("/")
            #expect(home.body.contains(#"<span class="count">1</span>"#))
            try await browser.get("/language/en?next=/notifications")
            let english = try await browser.get("/notifications").body
            #expect(english.contains("Your account&#39;s password was changed") || english.contains("Your account's password was changed"))
            #expect(try await browser.post("/notifications/read", [:]).status == .seeOther)
            #expect(!(try await browser.get("/").body.contains(#"class="count""#)))
        }
    }

    @Test func devModeWritesEachEmailToAFileUnderTheDataFolder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-mail-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let transport = FileMailTransport(directory: directory + "/mail", from: "no-reply@motcua.localhost")
        try await transport.send(
            OutgoingMail(to: "lan@example.vn", toName: "Nguyễn Thị Lan", subject: "Chào bạn", body: "Nội dung"),
            messageID: "<abc@motcua.localhost>")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/mail")
        #expect(files.count == 1)
        let text = try String(contentsOfFile: directory + "/mail/" + (files.first ?? ""), encoding: .utf8)
        #expect(text.contains("To: Nguyễn Thị Lan <lan@example.vn>"))
        #expect(text.contains("Subject: Chào bạn"))
        #expect(text.hasSuffix("Nội dung\n"))
    }
}
