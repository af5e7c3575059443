import Foundation
import NIOCore
import NIOPosix
import NIOSSL
@testable import App
import Testing

@Suite struct SMTPConfigurationTests {
    @Test func credentialsAreRedactedWhenPrinted() {
        let configuration = SMTPConfiguration(
            host: "smtp.example.vn", credentials: .init(username: "motcua", password: "s3cr3t-mật-khẩu"))
        #expect(!String(describing: configuration).contains("s3cr3t"))
        #expect(!String(reflecting: configuration).contains("s3cr3t"))
        #expect(configuration.port == 587)
    }

    @Test func unsafeConfigurationIsRefusedBeforeConnecting() async throws {
        let message = try MailMessage(
            from: EmailAddress("a@motcua.gov.vn"), to: [EmailAddress("b@example.vn")], subject: "x", body: "x")
        let credentials = SMTPConfiguration.Credentials(username: "u", password: "p")
        let unsafe = [
            SMTPConfiguration(host: "smtp.example.vn", security: .none, credentials: credentials),
            SMTPConfiguration(host: "smtp.example.vn", heloName: "motcua.vn\r\nRCPT TO:<victim@example.vn>"),
        ]
        for configuration in unsafe {
            let client = SMTPClient(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
            let error = try await #require(throws: SMTPError.self) { try await client.send(message) }
            guard case .invalidConfiguration = error else {
                Issue.record("unexpected \(error)")
                continue
            }
            #expect(!error.isTransient)
        }
    }
}

/// End-to-end against aiosmtpd. Serialized: each test runs its own Python server, and the machine is small.
@Suite(
    .serialized,
    // A hang guard, not a speed check: alone the suite takes seconds, but in the full parallel run on two cores it
    // shares the executor with every other suite.
    .timeLimit(.minutes(3)),
    .enabled(if: SMTPTestServer.isAvailable, "aiosmtpd is not installed: pip install -r Tests/AppTests/Fixtures/requirements.txt"))
struct SMTPClientTests {
    private static let username = "motcua-mailer"
    private static let password = "mật-khẩu-đúng-42"

    private let sender: EmailAddress
    private let recipient: EmailAddress
    private let body = """
        Xin chào Nguyễn Văn An,

        Bạn vừa yêu cầu đặt lại mật khẩu cho tài khoản MotCua. Mã xác nhận của bạn là 482913; mã có hiệu lực trong 15 phút.
        Nếu bạn không yêu cầu, hãy bỏ qua thư này.

        Trân trọng,
        Đội ngũ MotCua

        """

    init() throws {
        sender = try EmailAddress("no-reply@motcua.gov.vn", displayName: "Cổng Dịch vụ công MotCua")
        recipient = try EmailAddress("an.nguyen@example.vn", displayName: "Nguyễn Văn An")
    }

    @Test func startTLSWithAuthPlainDeliversVietnameseMessageIntact() async throws {
        let server = try await SMTPTestServer(mode: .starttls, username: Self.username, password: Self.password)
        defer { server.stop() }
        let message = try MailMessage(from: sender, to: [recipient], subject: "Đặt lại mật khẩu — MotCua", body: body)

        try await client(for: server, security: .startTLS, password: Self.password).send(message)

        let received = try #require(try server.messages().first)
        #expect(received.subject == "Đặt lại mật khẩu — MotCua")
        #expect(received.body == crlf(body))
        #expect(received.from == "Cổng Dịch vụ công MotCua <no-reply@motcua.gov.vn>")
        #expect(received.to == "Nguyễn Văn An <an.nguyen@example.vn>")
        #expect(received.messageId == message.messageID)
        #expect(received.mailFrom == "no-reply@motcua.gov.vn")
        #expect(received.rcptTos == ["an.nguyen@example.vn"])
        #expect(received.tls && received.authenticated)
    }

    @Test func implicitTLSWithAuthLoginWhenPlainIsNotOffered() async throws {
        let server = try await SMTPTestServer(
            mode: .tls, username: Self.username, password: Self.password, excludeMechanisms: ["PLAIN"])
        defer { server.stop() }
        let message = try MailMessage(from: sender, to: [recipient], subject: "Hồ sơ đã được tiếp nhận", body: body)

        try await client(for: server, security: .tls, password: Self.password).send(message)

        let received = try #require(try server.messages().first)
        #expect(received.subject == "Hồ sơ đã được tiếp nhận")
        #expect(received.body == crlf(body))
        #expect(received.tls && received.authenticated)
    }

    @Test func wrongPasswordIsAPermanentRejection() async throws {
        let server = try await SMTPTestServer(mode: .starttls, username: Self.username, password: Self.password)
        defer { server.stop() }
        let message = try MailMessage(from: sender, to: [recipient], subject: "x", body: "x")

        let error = try await #require(throws: SMTPError.self) {
            try await client(for: server, security: .startTLS, password: "sai-mật-khẩu").send(message)
        }
        guard case .rejected(let command, let code, let text) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(command == "AUTH PLAIN")
        #expect(code == 535)
        #expect(text.contains("5.7.8"))
        #expect(!error.isTransient)
        #expect(!"\(error)".contains("sai-mật-khẩu"))
        #expect(try server.messages().isEmpty)
    }

    @Test func dotStuffingAndMultipleRecipientsOverPlainConnection() async throws {
        let server = try await SMTPTestServer(mode: .plain)
        defer { server.stop() }
        let dotty = "Dòng đầu\n.\n.ẩn sau dấu chấm\n..hai dấu chấm\r\n.\r\ncuối thư.\n"
        let other = try EmailAddress("chi.tran@example.vn")
        let message = try MailMessage(from: sender, to: [recipient, other], subject: "Kiểm tra dấu chấm", body: dotty)

        try await client(for: server, security: .none).send(message)

        let received = try #require(try server.messages().first)
        #expect(received.body == crlf(dotty))
        #expect(received.rcptTos == ["an.nguyen@example.vn", "chi.tran@example.vn"])
        #expect(received.raw.contains("\r\n.\r\n.=E1=BA=A9n"))  // Unstuffed by the server again.
        #expect(!received.tls && !received.authenticated)
    }

    @Test func serverDownIsTransient() async throws {
        let port = try await SMTPTestServer.freePort()
        let configuration = SMTPConfiguration(host: "127.0.0.1", port: port, security: .none)
        let message = try MailMessage(from: sender, to: [recipient], subject: "x", body: "x")

        let error = try await #require(throws: SMTPError.self) {
            try await SMTPClient(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
                .send(message)
        }
        guard case .connectionFailed = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(error.isTransient)
    }

    @Test func requiredStartTLSMissingIsPermanent() async throws {
        let server = try await SMTPTestServer(mode: .plain)
        defer { server.stop() }
        let message = try MailMessage(from: sender, to: [recipient], subject: "x", body: "x")

        let error = try await #require(throws: SMTPError.self) {
            try await client(for: server, security: .startTLS).send(message)
        }
        #expect(error == .startTLSNotOffered)
        #expect(!error.isTransient)
        #expect(try server.messages().isEmpty)
    }

    @Test func untrustedCertificateFailsTheHandshake() async throws {
        let server = try await SMTPTestServer(mode: .starttls)
        defer { server.stop() }
        var configuration = SMTPConfiguration(host: "localhost", port: server.port, security: .startTLS)
        configuration.tls.trustRoots = .certificates([])
        let message = try MailMessage(from: sender, to: [recipient], subject: "x", body: "x")

        let error = try await #require(throws: SMTPError.self) {
            try await SMTPClient(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
                .send(message)
        }
        guard case .tlsFailed = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(try server.messages().isEmpty)
    }

    /// What Python decodes from the wire, where SMTP mandates CRLF line breaks.
    private func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// Trusts only the test server's certificate; connects by name to exercise SNI and hostname checks.
    private func client(for server: SMTPTestServer, security: SMTPConfiguration.Security, password: String? = nil)
        -> SMTPClient
    {
        var configuration = SMTPConfiguration(
            host: "localhost", port: server.port, security: security,
            credentials: password.map { .init(username: Self.username, password: $0) },
            heloName: "motcua.test", commandTimeout: .seconds(10))
        configuration.tls.trustRoots = .file(server.certificatePath)
        return SMTPClient(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
    }
}

/// Dialogues that need a misbehaving or unusual server.
@Suite(.timeLimit(.minutes(3)))
struct ScriptedServerTests {
    private static let happyPath = [
        "EHLO": "250 mx.example.vn", "HELO": "250 mx.example.vn", "MAIL": "250 2.1.0 Ok",
        "RCPT": "250 2.1.5 Ok", "DATA": "354 End data with <CR><LF>.<CR><LF>", "QUIT": "221 2.0.0 Bye",
    ]

    @Test func heloFallbackWhenEHLOIsRejected() async throws {
        var replies = Self.happyPath
        replies["EHLO"] = "502 5.5.2 Command not recognized"
        try await send(greeting: "220 mx.example.vn", replies: replies)
    }

    @Test func serviceUnavailableGreetingIsTransient() async throws {
        let error = try await #require(throws: SMTPError.self) {
            try await send(greeting: "421 4.3.2 Try again later", replies: Self.happyPath)
        }
        #expect(error == .rejected(command: "greeting", code: 421, message: "4.3.2 Try again later"))
        #expect(error.isTransient)
    }

    @Test func rejectedRecipientIsPermanent() async throws {
        var replies = Self.happyPath
        replies["RCPT"] = "550 5.1.1 No such user"
        let error = try await #require(throws: SMTPError.self) {
            try await send(greeting: "220 mx.example.vn", replies: replies)
        }
        #expect(error == .rejected(command: "RCPT TO", code: 550, message: "5.1.1 No such user"))
        #expect(!error.isTransient)
    }

    @Test func silentServerTimesOutTransiently() async throws {
        let error = try await #require(throws: SMTPError.self) {
            try await send(greeting: nil, replies: [:], timeout: .milliseconds(300))
        }
        #expect(error == .timedOut(command: "greeting"))
        #expect(error.isTransient)
    }

    /// A generous timeout by default: a loaded CI machine must not turn a scripted reply into a timeout.
    private func send(greeting: String?, replies: [String: String], timeout: TimeAmount = .seconds(10)) async throws {
        let server = try await ScriptedSMTPServer.start(greeting: greeting, replies: replies)
        let port = try #require(server.localAddress?.port)
        let configuration = SMTPConfiguration(
            host: "127.0.0.1", port: port, security: .none, commandTimeout: timeout)
        let message = try MailMessage(
            from: EmailAddress("no-reply@motcua.gov.vn"), to: [EmailAddress("an@example.vn")], subject: "x", body: "x")
        do {
            try await SMTPClient(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
                .send(message)
            try await server.close()
        } catch {
            try await server.close()
            throw error
        }
    }
}
