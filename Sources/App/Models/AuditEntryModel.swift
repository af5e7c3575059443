import Fluent
import Foundation
import SQLKit

/// One line of the audit log: who did what to which record, when. Append-only and hash-chained: each entry's
/// hash covers its fields and the previous entry's hash, so an edited or deleted line breaks the chain from
/// there on, which `AuditLog.verify` finds.
final class AuditEntryModel: Model, @unchecked Sendable {
    static let schema = "audit_log"

    @ID(key: .id) var id: UUID?
    /// 1, 2, 3, … without gaps: the chain's order.
    @Field(key: "seq") var seq: Int
    @Field(key: "at") var at: Date
    /// `officer:<uuid>`, `applicant:<uuid>`, `token:<uuid>`, `system`.
    @Field(key: "actor") var actor: String
    /// `officer.created`, `role.granted`, `personal_data.viewed`, …
    @Field(key: "action") var action: String
    /// The record acted on: `account:<uuid>`, `token:<uuid>`, `agency:<code>`.
    @Field(key: "subject") var subject: String
    /// The agency the record belongs to, for filtering what an auditor of a province sees.
    @OptionalField(key: "agency") var agency: String?
    /// Further facts as a JSON object of strings (sorted keys).
    @Field(key: "details") var details: String
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}
}
