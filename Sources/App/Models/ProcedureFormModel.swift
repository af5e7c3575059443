import Domain
import Fluent
import Foundation

/// One version of a procedure's e-form, as an agency admin saved it (or the seed installed it). Versions are never
/// changed: a dossier records the version it was filed with, and a new edit is a new row.
final class ProcedureFormModel: Model, @unchecked Sendable {
    static let schema = "procedure_forms"

    // identity
    @ID(key: .id) var id: UUID?
    @Parent(key: "procedure_id") var procedure: ProcedureModel
    /// 1, 2, … per procedure; unique with the procedure, so two saves from the same version cannot both land.
    @Field(key: "version") var version: Int

    // data
    /// The `FormDefinition`, JSON-encoded.
    @Field(key: "definition") var definition: String
    /// Why it changed, as the admin wrote it.
    @Field(key: "reason") var reason: String

    // bookkeeping
    /// Who saved it, as the audit log names them (`officer:…`, `console:…`, `seed`).
    @Field(key: "created_by") var createdBy: String
    /// The change's time from the injected clock.
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(procedureID: UUID, version: Int, definition: String, reason: String, createdBy: String, createdAt: Date) {
        self.$procedure.id = procedureID
        self.version = version
        self.definition = definition
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    func decoded() throws -> FormDefinition {
        try JSONDecoder().decode(FormDefinition.self, from: Data(definition.utf8))
    }
}
