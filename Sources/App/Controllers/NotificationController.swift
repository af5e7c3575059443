import Fluent
import Vapor

/// The signed-in person's messages, newest first, rendered in the language they read now.
enum NotificationController {
    static let pageSize = 50

    @Sendable static func list(req: Request) async throws -> View {
        let account = try req.requireAccount()
        let accountID = try account.requireID()
        let rows = try await NotificationModel.query(on: req.db).filter(\.$account.$id == accountID)
            .sort(\.$createdAt, .descending).limit(pageSize).all()
        let notifier = Notifier(req.application)
        let items = rows.map { row in
            let arguments = (try? row.messageArguments()) ?? [:]
            let text = notifier.text(row.key, arguments, to: account.fullName, in: req.language)
            return NotificationsContext.Item(
                subject: text.subject, body: text.body,
                link: row.link.flatMap { $0.hasPrefix("/") ? $0 : nil },
                time: row.createdAt.map(VietnamTime.dateTime) ?? "", unread: row.readAt == nil)
        }
        let context = NotificationsContext(
            page: PageContext(request: req, title: req.localized("notifications_title")), csrf: req.csrfToken,
            items: items, hasUnread: items.contains(where: \.unread))
        return try await req.view.render("notifications", context)
    }

    /// Marks every message read.
    @Sendable static func markRead(req: Request) async throws -> Response {
        let accountID = try req.requireAccount().requireID()
        try await NotificationModel.query(on: req.db).filter(\.$account.$id == accountID).filter(\.$readAt == nil)
            .set(\.$readAt, to: req.now).update()
        return req.redirect(to: SiteURL.notifications.path, redirectType: .normal)
    }
}

struct NotificationsContext: Encodable {
    struct Item: Encodable {
        var subject: String
        var body: String
        var link: String?
        var time: String
        var unread: Bool
    }

    var page: PageContext
    var csrf: String
    var items: [Item]
    var hasUnread: Bool
}

extension Request {
    /// The signed-in account; routes declared `.signedIn` only run with one, so its absence is a server error.
    func requireAccount() throws -> AccountModel {
        guard let account else { throw Abort(.unauthorized) }
        return account
    }

    private struct UnreadKey: StorageKey {
        typealias Value = Int
    }

    /// Unread notifications of the signed-in account, counted once per page request for the header.
    var unreadNotifications: Int {
        get { storage[UnreadKey.self] ?? 0 }
        set { storage[UnreadKey.self] = newValue }
    }
}
