import Domain
import Fluent
import Foundation

/// Queries that pages and the API share, testable without HTTP.
enum CatalogueQueries {
    struct FoundProcedure {
        /// The row, with its managing agency loaded.
        var model: ProcedureModel
        var procedure: Procedure
        var issues: [ParseIssue]

        var version: Int { model.currentVersion }
        var agencyCode: String { model.managingAgency.code }
        var agencyName: String { model.managingAgency.name }
        var pauseRule: PauseRule { model.pauseRule }
    }

    /// The current version of the procedure with this code, or nil when there is none.
    static func procedure(code: String, on database: any Database) async throws -> FoundProcedure? {
        guard !code.isEmpty, code.count <= 64,
            let model = try await ProcedureModel.query(on: database).filter(\.$code == code)
                .with(\.$managingAgency).first()
        else { return nil }
        let procedure = try model.procedure()
        let issues = (try? model.issues()) ?? []
        return FoundProcedure(model: model, procedure: procedure, issues: issues)
    }
}

enum AgencyQueries {
    /// The children of an agency (or the roots, for nil), ministries first, then by code.
    static func children(of parentID: UUID?, on database: any Database) async throws -> [AgencyModel] {
        let query = AgencyModel.query(on: database)
        if let parentID {
            query.filter(\.$parent.$id == parentID)
        } else {
            query.filter(\.$parent.$id == nil)
        }
        let kindOrder = AgencyKind.allCases
        return try await query.sort(\.$code).all().sorted {
            (kindOrder.firstIndex(of: $0.kind) ?? 0, $0.code) < (kindOrder.firstIndex(of: $1.kind) ?? 0, $1.code)
        }
    }
}
