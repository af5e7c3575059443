import ConsoleKit
import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// One path for every change (issue 10, items 1–2): the command line, the pages and the API call the same
/// services and leave the same audit entries; messages never show a raw placeholder; tests set the clock.
@Suite struct SinglePathTests {
    private func run(_ command: some AsyncCommand, _ arguments: [String], on app: Application) async throws {
        var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["motcua"] + arguments))
        context.application = app
        try await command.run(using: &context)
    }

    @Test func theCommandLineCreatesAndRevokesTokensWithTheAuditEntriesOfThePage() async throws {
        try await withTestApp(template: .demoPeople) { app in
            try await run(CreateAPITokenCommand(), ["Cổng DVC Hà Nội", "--agency", "01", "--write"], on: app)
            let token = try #require(try await APITokenModel.query(on: app.db).first())
            #expect(token.permissionSet == [.read, .write])
            let created = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "token.created").first())
            #expect(created.actor.hasPrefix("console:"))
            #expect(created.agency == "01")
            #expect(created.subject == AuditLog.name("token", try token.requireID()))
            #expect(created.details.contains("Cổng DVC Hà Nội"))

            try await run(RevokeAPITokenCommand(), [try token.requireID().uuidString], on: app)
            #expect(try await APITokenModel.find(token.requireID(), on: app.db)?.revokedAt != nil)
            let revoked = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "token.revoked").first())
            #expect(revoked.actor == created.actor)
            #expect(revoked.subject == created.subject)
            // The chain holds both, like any page's entries.
            #expect(try await AuditLog.verifyInFull(on: app.db, now: Date()) == .intact(entries: 2))
        }
    }

    @Test func theCommandLineIsToldWhatIsWrongAsAPageWouldSayIt() async throws {
        try await withTestApp(template: .demoPeople) { app in
            do {
                try await run(CreateAPITokenCommand(), ["HR", "--agency", "99.NOPE"], on: app)
                Issue.record("a token was made for an agency that does not exist")
            } catch let error as UsageError {
                #expect(error.description.contains("agency"))
                #expect(error.description.contains("99.NOPE"))
            }
            do {
                try await run(RevokeAPITokenCommand(), [UUID().uuidString], on: app)
                Issue.record("an unknown token was revoked")
            } catch let error as UsageError {
                #expect(error.description.contains("no API token has the id"))
            }
            #expect(try await APITokenModel.query(on: app.db).count() == 0)
            #expect(try await AuditEntryModel.query(on: app.db).count() == 0)
        }
    }

    /// Every message kind, in both languages, by email and in the list: no `{placeholder}` left.
    @Test(arguments: Notifier.Kind.allCases) func everyMessageIsWrittenOutInBothLanguages(_ kind: Notifier.Kind) async throws {
        try await withTestApp { app in
            let message: Notifier.Message =
                switch kind {
                case .passwordReset: .passwordReset(link: "/password/reset?token=t", lifetime: PasswordResets.lifetime)
                case .officerInvited: .officerInvited(link: "/password/reset?token=t", lifetime: 72 * 3600)
                case .passwordChanged: .passwordChanged
                case .ssoLinked: .ssoLinked(byEmail: true)
                }
            let notifier = Notifier(app)
            for language in Language.allCases {
                let account = AccountModel()
                account.fullName = "Nguyễn Thị Lan"
                account.email = "lan@example.vn"
                account.language = language.rawValue
                let mail = notifier.mail(message, to: account)
                let listed = notifier.text(kind.rawValue, message.arguments, to: account.fullName, in: language)
                for text in [mail.subject, mail.body, listed.subject, listed.body] {
                    #expect(!text.isEmpty)
                    #expect(text.range(of: #"\{[a-z_]+\}"#, options: .regularExpression) == nil, "\(kind) \(language): \(text)")
                    #expect(!text.contains("message_"), "\(kind) \(language): a key instead of a text")
                }
                #expect(mail.body.contains("Nguyễn Thị Lan"))
            }
        }
    }

    @Test func thePasswordChangedNoticeInTheListNamesThePerson() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let browser = try await TestBrowser.signedIn(app, as: "citizen@demo.motcua.vn")
            try await browser.get("/account/password")
            let changed = try await browser.post("/account/password", [
                "currentPassword": Seeder.demoPassword, "password": "mật khẩu mới tốt", "passwordConfirmation": "mật khẩu mới tốt",
            ])
            #expect(changed.status == .seeOther)
            let list = try await browser.get("/notifications")
            #expect(list.body.contains("Nguyễn Thị Lan"))
            #expect(!list.body.contains("{name}"))
            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "password.changed").first())
            #expect(entry.actor.hasPrefix("applicant:"))
        }
    }

    /// The clock is the application's: a test moves it, and the reset link expires exactly when the rule says.
    @Test func aResetLinkExpiresAnHourLaterByTheApplicationsClock() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let (clock, hands) = AppClock.manual(at: Date(timeIntervalSince1970: 1_800_000_000))
            app.clock = clock
            let mail = CapturingMail()
            app.mailTransport = mail
            let browser = TestBrowser(app)
            try await browser.get("/password/forgot")
            #expect(try await browser.post("/password/forgot", ["email": "citizen@demo.motcua.vn"]).status == .ok)
            // The request, then the email it queued at the same (test) time.
            #expect(try await JobWorker(application: app).runDueJobs() == 2)
            let reset = try #require(try await PasswordResetModel.query(on: app.db).first())
            #expect(reset.expiresAt == Date(timeIntervalSince1970: 1_800_000_000 + 3600))
            let body = try #require(mail.messages.last?.body)
            let url = try #require(body.split(separator: "\n").first { $0.contains("/password/reset?token=") })
            let link = String(url.dropFirst(app.config.publicURL.count))
            hands.advance(by: 3599)
            #expect(try await browser.get(link).status == .ok)
            hands.advance(by: 1)
            #expect(try await browser.get(link).status == .gone)
        }
    }
}
