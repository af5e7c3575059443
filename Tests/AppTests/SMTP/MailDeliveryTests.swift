import Fluent
import Foundation
import NIOPosix
import Testing
import VaporTesting

@testable import App

/// The whole chain a citizen depends on: a form posts, the outbox stores the email, the worker hands it to a real
/// SMTP server (aiosmtpd, STARTTLS and AUTH), and the text arrives intact.
@Suite(
    .serialized,
    // A hang guard, not a speed check: alone the suite takes seconds, but in the full parallel run on two cores it
    // shares the executor with every other suite.
    .timeLimit(.minutes(3)),
    .enabled(if: SMTPTestServer.isAvailable, "aiosmtpd is not installed: pip install -r Tests/AppTests/Fixtures/requirements.txt"))
struct MailDeliveryTests {
    static let username = "motcua"
    static let password = "mật-khẩu-gửi-thư"

    private func transport(port: Int, certificate: String?) throws -> SMTPMailTransport {
        var configuration = SMTPConfiguration(
            host: "localhost", port: port, security: .startTLS,
            credentials: .init(username: Self.username, password: Self.password), heloName: "motcua.test",
            connectTimeout: .seconds(2), commandTimeout: .seconds(10))
        if let certificate { configuration.tls.trustRoots = .file(certificate) }
        return SMTPMailTransport(
            client: SMTPClient(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton),
            from: try EmailAddress("no-reply@motcua.test", displayName: "Cổng dịch vụ công MotCua"))
    }

    private func register(_ app: Application) async throws -> TestBrowser {
        let browser = TestBrowser(app)
        try await browser.get("/register")
        try await browser.post("/register", [
            "kind": "citizen", "fullName": "Nguyễn Văn An", "birthDate": "1990-05-17", "personalID": "001090012345",
            "phone": "0912345678", "email": "an.nguyen@example.vn", "password": "mật khẩu cũ",
            "passwordConfirmation": "mật khẩu cũ",
        ])
        try await browser.post("/logout", [:])
        try await browser.get("/password/forgot")
        return browser
    }

    @Test func aResetLinkReachesTheMailServerInVietnamese() async throws {
        let server = try await SMTPTestServer(mode: .starttls, username: Self.username, password: Self.password)
        defer { server.stop() }
        try await withTestApp { app in
            app.mailTransport = try transport(port: server.port, certificate: server.certificatePath)
            let browser = try await register(app)
            #expect(try await browser.post("/password/forgot", ["email": "an.nguyen@example.vn"]).status == .ok)
            // The request is looked up by the worker, which then sends the email: two jobs.
            #expect(try await JobWorker(application: app).runDueJobs() == 2)

            let received = try #require(try server.messages().first)
            #expect(received.tls)
            #expect(received.authenticated)
            #expect(received.rcptTos == ["an.nguyen@example.vn"])
            #expect(received.subject == "Đặt lại mật khẩu MotCua")
            #expect(received.to.contains("Nguyễn Văn An"))
            #expect(received.from.contains("Cổng dịch vụ công MotCua"))
            #expect(received.body.contains("Xin chào Nguyễn Văn An"))
            #expect(received.body.contains("/password/reset?token="))
            let job = try #require(try await JobModel.query(on: app.db).filter(\.$kind == EmailJob.kind).first())
            #expect(job.state == .done)
            #expect(received.messageId == "<\(try job.requireID().uuidString.lowercased())@motcua.localhost>")
        }
    }

    @Test func aServerThatIsDownLeavesTheRequestSucceededAndTheJobRetrying() async throws {
        try await withTestApp { app in
            // Nothing listens on this port: connecting is refused, a transient failure.
            let port = try await SMTPTestServer.freePort()
            app.mailTransport = try transport(port: port, certificate: nil)
            let browser = try await register(app)
            #expect(try await browser.post("/password/forgot", ["email": "an.nguyen@example.vn"]).status == .ok)
            let now = Date()
            try await JobWorker(application: app).runDueJobs()
            let job = try #require(try await JobModel.query(on: app.db).filter(\.$kind == EmailJob.kind).first())
            #expect(job.state == .queued)
            #expect(job.attempts == 1)
            #expect(job.runAt > now)
            #expect(job.payload.contains("an.nguyen@example.vn"))
        }
    }

    @Test func aWrongPasswordIsPermanentAndDeadLettersAtOnce() async throws {
        let server = try await SMTPTestServer(mode: .starttls, username: Self.username, password: "khác")
        defer { server.stop() }
        try await withTestApp { app in
            app.mailTransport = try transport(port: server.port, certificate: server.certificatePath)
            let browser = try await register(app)
            #expect(try await browser.post("/password/forgot", ["email": "an.nguyen@example.vn"]).status == .ok)
            try await JobWorker(application: app).runDueJobs()
            let job = try #require(try await JobModel.query(on: app.db).filter(\.$kind == EmailJob.kind).first())
            #expect(job.state == .dead)
            #expect(job.lastError?.contains("535") == true)
            #expect(try server.messages().isEmpty)
        }
    }
}
