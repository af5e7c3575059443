import Domain
import Fluent
import Foundation

/// A token an integration sends as `Authorization: Bearer …`. Shown once when created; only its SHA-256 is stored.
/// Scoped to an agency (nil: the whole system) and to permissions; revocable; its last use is recorded.
final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @OptionalParent(key: "agency_id") var agency: AgencyModel?
    /// Comma-separated `APIPermission` raw values.
    @Field(key: "permissions") var permissions: String
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var permissionSet: Set<APIPermission> {
        Set(permissions.split(separator: ",").compactMap { APIPermission(rawValue: String($0)) })
    }
}

/// What a token may do.
enum APIPermission: String, CaseIterable, Sendable {
    /// Read the agency's records through the API.
    case read
    /// Change them.
    case write
}
