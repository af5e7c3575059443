import Domain
import Fluent
import Foundation

/// A person or business that signs in: citizens and businesses register themselves; officers are created by admins.
final class AccountModel: Model, @unchecked Sendable {
    static let schema = "accounts"

    enum Kind: String, Codable, Sendable {
        case citizen
        case business
        case officer
    }

    // identity
    @ID(key: .id) var id: UUID?
    @Enum(key: "kind") var kind: Kind
    @Field(key: "full_name") var fullName: String
    /// Lowercased; unique.
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    /// The 12-digit personal ID; unique when present (officers may have none recorded).
    @OptionalField(key: "personal_id") var personalID: String?
    /// `yyyy-MM-dd`.
    @OptionalField(key: "birth_date") var birthDate: String?

    // business
    @OptionalField(key: "business_name") var businessName: String?
    @OptionalField(key: "tax_code") var taxCode: String?
    @OptionalField(key: "legal_representative") var legalRepresentative: String?

    // credentials
    @Field(key: "password_hash") var passwordHash: String

    /// `issuer|subject` of the identity provider account linked to this one (single sign-on).
    @OptionalField(key: "sso_subject") var ssoSubject: String?

    /// `vi` or `en`: what emails and notifications are written in.
    @Field(key: "language") var language: String

    // bookkeeping
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// What a password of this account must not contain (`PasswordPolicy`).
    var personalData: [String] {
        [fullName, email, phone, personalID ?? "", businessName ?? ""]
    }

    var preferredLanguage: Language { Language(rawValue: language) ?? .vi }
}

/// A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a database leak gives no
/// usable session. Kept in the database, so any number of instances share them.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "account_id") var account: AccountModel
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(tokenHash: String, accountID: UUID, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.$account.id = accountID
        self.expiresAt = expiresAt
    }
}
