import Foundation
import Vapor

/// An email as the outbox stores it: already written in the recipient's language.
struct OutgoingMail: Codable, Sendable, Equatable {
    var to: String
    var toName: String?
    var subject: String
    /// Plain text; links are written out in full so any mail client shows them.
    var body: String
}

/// Hands mail to whatever delivers it. Errors that conform to `ClassifiedJobError` say whether to retry.
protocol MailTransport: Sendable {
    /// `messageID` is stable across retries of one job, so a receiving server can drop a repeat.
    func send(_ mail: OutgoingMail, messageID: String) async throws
}

/// The email job: one message, retried by the job runner until the transport takes it.
struct EmailJob: JobHandler {
    static let kind = "email"
    /// The body may carry a password reset link: nothing of it stays in the database once sent.
    static let redactsPayloadWhenDone = true

    func handle(_ mail: OutgoingMail, context: JobContext) async throws {
        let domain = context.application.config.mail.fromAddress.split(separator: "@").last.map(String.init) ?? "motcua"
        try await context.application.mailTransport.send(mail, messageID: "<\(context.jobID.uuidString.lowercased())@\(domain)>")
        context.logger.info("email sent", metadata: ["attempt": "\(context.attempt)"])
    }
}

/// Development mail: each message a file under `<data>/mail/`, named by time and id, readable in any editor.
struct FileMailTransport: MailTransport {
    let directory: String
    let from: String

    func send(_ mail: OutgoingMail, messageID: String) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let name = messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>")).split(separator: "@").first ?? "mail"
        let text = """
            From: \(from)
            To: \(mail.toName.map { "\($0) <\(mail.to)>" } ?? mail.to)
            Subject: \(mail.subject)
            Message-ID: \(messageID)
            Content-Type: text/plain; charset=utf-8

            \(mail.body)

            """
        let path = directory + "/" + stamp + "-" + name + ".eml"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw MailFileError(path: path)
        }
    }

    struct MailFileError: Error, CustomStringConvertible {
        var path: String
        var description: String { "cannot write mail file \(path)" }
    }
}

extension Application {
    private struct MailTransportKey: StorageKey {
        typealias Value = any MailTransport
    }

    /// Where email goes: SMTP when configured, else files under the data folder.
    var mailTransport: any MailTransport {
        get {
            storage[MailTransportKey.self]
                ?? FileMailTransport(directory: config.dataDirectory + "/mail", from: config.mail.fromAddress)
        }
        set { storage[MailTransportKey.self] = newValue }
    }
}

/// Mail through an SMTP server (`MOTCUA_SMTP_*`). A server that is down or answers 4xx is a transient failure
/// the outbox retries; a 5xx refusal is permanent and dead-letters the job.
struct SMTPMailTransport: MailTransport {
    let client: SMTPClient
    let from: EmailAddress

    init(client: SMTPClient, from: EmailAddress) {
        self.client = client
        self.from = from
    }

    /// The transport `config` describes, or nil when mail goes to files.
    init?(_ config: AppConfig, eventLoopGroup: any EventLoopGroup, logger: Logger) throws {
        guard let smtp = config.mail.smtp else { return nil }
        let security: SMTPConfiguration.Security =
            switch smtp.security {
            case .starttls: .startTLS
            case .tls: .tls
            case .none: .none
            }
        let credentials = smtp.username.flatMap { user in
            smtp.password.map { SMTPConfiguration.Credentials(username: user, password: $0) }
        }
        let configuration = SMTPConfiguration(
            host: smtp.host, port: smtp.port, security: security, credentials: credentials,
            heloName: URL(string: config.publicURL)?.host ?? "localhost")
        self.client = SMTPClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        self.from = try EmailAddress(config.mail.fromAddress, displayName: config.mail.fromName)
    }

    func send(_ mail: OutgoingMail, messageID: String) async throws {
        let message: MailMessage
        do {
            message = try MailMessage(
                from: from, to: [try EmailAddress(mail.to, displayName: mail.toName)], subject: mail.subject,
                body: mail.body, messageID: messageID)
        } catch {
            // An address or header no server will take: retrying cannot help.
            throw UnsendableMail(reason: "\(error)")
        }
        try await client.send(message)
    }

    struct UnsendableMail: ClassifiedJobError, CustomStringConvertible {
        var reason: String
        var description: String { "the message cannot be sent: \(reason)" }
        var isTransient: Bool { false }
    }
}

extension SMTPError: ClassifiedJobError {}
