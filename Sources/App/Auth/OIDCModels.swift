import Fluent
import Foundation

/// A sign-in through the identity provider in progress: what the callback must find again. Single use, ten
/// minutes, bound to the browser that started it by a cookie (only its hash is stored), so a callback link made
/// by someone else cannot sign a victim into the attacker's account.
final class OIDCLoginModel: Model, @unchecked Sendable {
    static let schema = "oidc_logins"

    @ID(key: .id) var id: UUID?
    /// Sent to the provider and returned on the callback.
    @Field(key: "state") var state: String
    /// Must come back inside the ID token.
    @Field(key: "nonce") var nonce: String
    /// PKCE: proves to the token endpoint that whoever redeems the code started the flow.
    @Field(key: "code_verifier") var codeVerifier: String
    @Field(key: "browser_hash") var browserHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
