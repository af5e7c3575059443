import Domain
import Fluent
import Foundation

/// A procedure of the catalogue: the current version's searchable columns, plus the whole parsed record as JSON.
/// Every change to a record makes a new immutable `ProcedureVersionModel`; dossiers will point at a version.
final class ProcedureModel: Model, @unchecked Sendable {
    static let schema = "procedures"

    // identity
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String

    // classification (copied from the current version so that lists and filters need no JSON)
    @Field(key: "field") var field: String
    /// Implementation levels, comma-separated raw values (`ministry,province`).
    @Field(key: "levels") var levels: String

    // references
    @Parent(key: "managing_agency_id") var managingAgency: AgencyModel
    @Field(key: "current_version") var currentVersion: Int

    // data
    /// The current version's `Procedure`, JSON-encoded.
    @Field(key: "data") var data: String
    /// SHA-256 of the source record, to tell an unchanged re-import from an update.
    @Field(key: "source_hash") var sourceHash: String
    /// Fields of the source record that could not be parsed, JSON-encoded `[ParseIssue]`.
    @Field(key: "parse_issues") var parseIssues: String

    // local settings (kept across re-imports: the portal does not publish them)
    /// What waiting for a supplement does to the processing period; dossiers take it when they are accepted.
    @Field(key: "pause_rule") var pauseRule: PauseRule

    // bookkeeping
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// One immutable version of a procedure, as imported.
final class ProcedureVersionModel: Model, @unchecked Sendable {
    static let schema = "procedure_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "procedure_id") var procedure: ProcedureModel
    @Field(key: "version") var version: Int
    @Field(key: "data") var data: String
    @Field(key: "source_hash") var sourceHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(procedureID: UUID, version: Int, data: String, sourceHash: String) {
        self.$procedure.id = procedureID
        self.version = version
        self.data = data
        self.sourceHash = sourceHash
    }
}
