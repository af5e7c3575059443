import Fluent
import Foundation

/// A message in a signed-in person's notification list. The text is not stored: `key` and `arguments` are
/// rendered in the reader's language when the list is shown, so switching language switches old messages too.
final class NotificationModel: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "account_id") var account: AccountModel
    /// `message_<key>_subject` / `_body` in the localization files.
    @Field(key: "key") var key: String
    /// Placeholder values as a JSON object of strings.
    @Field(key: "arguments") var arguments: String
    /// A path inside the site the message is about, if any.
    @OptionalField(key: "link") var link: String?
    @OptionalField(key: "read_at") var readAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A single-use link to set a new password. Only the SHA-256 of the token is stored; it expires after
/// `PasswordResets.lifetime` and is spent by its first use (or by any other reset of the same account).
final class PasswordResetModel: Model, @unchecked Sendable {
    static let schema = "password_resets"

    @ID(key: .id) var id: UUID?
    @Parent(key: "account_id") var account: AccountModel
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
