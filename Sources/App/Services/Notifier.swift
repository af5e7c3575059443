import Fluent
import Foundation
import Vapor

/// Tells a person something, in their language: in their notification list, by email through the outbox, or both.
/// Call it with the transaction of the change it reports, so the message exists exactly when the change does.
struct Notifier: Sendable {
    struct Message: Sendable {
        /// `message_<key>_subject` and `message_<key>_body` in the localization files.
        var key: String
        var arguments: [String: String] = [:]
        /// A path in the site the message is about; emails show it as a full address.
        var link: String?
        var inApp = true
        var email = true
    }

    let localization: Localization
    let config: AppConfig

    init(_ application: Application) {
        localization = application.localization
        config = application.config
    }

    func send(_ message: Message, to account: AccountModel, on database: any Database) async throws {
        if message.inApp {
            let notification = NotificationModel()
            notification.$account.id = try account.requireID()
            notification.key = message.key
            notification.arguments = String(decoding: try JSONEncoder().encode(message.arguments), as: UTF8.self)
            notification.link = message.link
            try await notification.create(on: database)
        }
        if message.email {
            try await Jobs.enqueue(EmailJob.self, mail(message, to: account), on: database)
        }
    }

    /// The email for `message`, written in the account's language.
    func mail(_ message: Message, to account: AccountModel) -> OutgoingMail {
        let language = account.preferredLanguage
        var arguments = message.arguments
        arguments["name"] = arguments["name"] ?? account.fullName
        var body = localization.string("message_\(message.key)_body", language, arguments)
        if let link = message.link {
            body += "\n\n" + (link.hasPrefix("http") ? link : config.publicURL + link)
        }
        body += "\n\n-- \n" + localization.string("mail_footer", language, ["site": config.publicURL])
        return OutgoingMail(
            to: account.email, toName: account.fullName,
            subject: localization.string("message_\(message.key)_subject", language, arguments), body: body)
    }
}
