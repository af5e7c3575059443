import Fluent
import Foundation
import Vapor

/// Tells a person something, in their language: in their notification list, by email through the outbox, or both.
/// Call it with the transaction of the change it reports, so the message exists exactly when the change does.
struct Notifier: Sendable {
    /// What a message can be about; each is `message_<rawValue>_subject` and `_body` in the localization files,
    /// whose `{placeholders}` the factories below fill (`{name}` is always the recipient's).
    enum Kind: String, CaseIterable, Sendable {
        case passwordReset = "password_reset"
        case passwordChanged = "password_changed"
        case officerInvited = "officer_invited"
        case ssoLinked = "sso_linked"
    }

    struct Message: Sendable {
        var kind: Kind
        var arguments: [String: String] = [:]
        /// A path in the site the message is about; emails show it as a full address.
        var link: String?
        var inApp = true
        var email = true

        /// A link to choose a new password, valid for `lifetime`.
        static func passwordReset(link: String, lifetime: TimeInterval) -> Message {
            Message(kind: .passwordReset, arguments: lifetimeArguments(lifetime), link: link, inApp: false)
        }

        /// A new officer's link to choose their first password, valid for `lifetime`.
        static func officerInvited(link: String, lifetime: TimeInterval) -> Message {
            Message(kind: .officerInvited, arguments: lifetimeArguments(lifetime), link: link, inApp: false)
        }

        static let passwordChanged = Message(kind: .passwordChanged, link: SiteURL.account.path)

        /// The account was taken over by a verified identity: by email to the address it had (`link` to sign in),
        /// in the account's list for its new owner.
        static func ssoLinked(byEmail: Bool) -> Message {
            Message(
                kind: .ssoLinked, link: byEmail ? SiteURL.login.path : SiteURL.account.path, inApp: !byEmail,
                email: byEmail)
        }

        private static func lifetimeArguments(_ lifetime: TimeInterval) -> [String: String] {
            ["minutes": "\(Int(lifetime / 60))", "hours": "\(Int(lifetime / 3600))"]
        }
    }

    let localization: Localization
    let config: AppConfig
    let clock: AppClock

    init(_ application: Application) {
        localization = application.localization
        config = application.config
        clock = application.clock
    }

    func send(_ message: Message, to account: AccountModel, on database: any Database) async throws {
        if message.inApp {
            let notification = NotificationModel()
            notification.$account.id = try account.requireID()
            notification.key = message.kind.rawValue
            try notification.setMessageArguments(message.arguments)
            notification.link = message.link
            try await notification.create(on: database)
        }
        if message.email {
            try await Jobs.enqueue(EmailJob.self, mail(message, to: account), on: database, runAt: clock.now)
        }
    }

    /// The email for `message`, written in the account's language.
    func mail(_ message: Message, to account: AccountModel) -> OutgoingMail {
        let language = account.preferredLanguage
        var (subject, body) = text(message.kind.rawValue, message.arguments, to: account.fullName, in: language)
        if let link = message.link {
            body += "\n\n" + (link.hasPrefix("http") ? link : config.publicURL + link)
        }
        body += "\n\n-- \n" + localization.string("mail_footer", language, ["site": config.publicURL])
        return OutgoingMail(to: account.email, toName: account.fullName, subject: subject, body: body)
    }

    /// A message's subject and body in `language`, addressed to `name`: the one rendering emails and the
    /// notification list share. `key` is a stored `Kind` raw value.
    func text(_ key: String, _ arguments: [String: String], to name: String, in language: Language)
        -> (subject: String, body: String)
    {
        var arguments = arguments
        arguments["name"] = arguments["name"] ?? name
        return (
            localization.string("message_\(key)_subject", language, arguments),
            localization.string("message_\(key)_body", language, arguments)
        )
    }
}
