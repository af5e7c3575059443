import Domain
import Fluent
import Foundation

/// An officer's role in an agency unit; no unit means the whole system (system administrators, national auditors).
final class MembershipModel: Model, @unchecked Sendable {
    static let schema = "memberships"

    @ID(key: .id) var id: UUID?
    @Parent(key: "account_id") var account: AccountModel
    @OptionalParent(key: "agency_id") var agency: AgencyModel?
    @Enum(key: "role") var role: Role
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(accountID: UUID, agencyID: UUID?, role: Role) {
        self.$account.id = accountID
        self.$agency.id = agencyID
        self.role = role
    }
}
