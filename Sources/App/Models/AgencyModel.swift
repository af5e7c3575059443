import Domain
import Fluent
import Foundation

/// An agency (cơ quan, đơn vị): a node of the tree ministry or province → department/center → commune or ward.
final class AgencyModel: Model, @unchecked Sendable {
    static let schema = "agencies"

    // identity
    @ID(key: .id) var id: UUID?
    /// Stable code used in dossier codes: official unit codes for provinces ("01") and communes ("00004").
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "name_en") var nameEn: String?
    @Enum(key: "kind") var kind: AgencyKind
    /// `08:00-12:00,13:00-17:00`; nil: the unit above's hours, else the standard ones.
    @OptionalField(key: "office_hours") var officeHours: String?

    // references
    @OptionalParent(key: "parent_id") var parent: AgencyModel?
    @Children(for: \.$parent) var children: [AgencyModel]

    // bookkeeping
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, code: String, name: String, nameEn: String?, kind: AgencyKind, parentID: UUID?) {
        self.id = id
        self.code = code
        self.name = name
        self.nameEn = nameEn
        self.kind = kind
        self.$parent.id = parentID
    }
}
