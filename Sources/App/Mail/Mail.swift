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
