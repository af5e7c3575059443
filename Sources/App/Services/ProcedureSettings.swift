import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// A procedure's settings on this platform (what the national catalogue does not say): changed by its managing
/// unit's administrators and system administrators, each change audited with its reason.
enum ProcedureSettings {
    /// Sets how a supplement request pauses the procedure's clock. Nothing is written when the rule is already
    /// `rule`. Throws the access policy's refusal for anyone else.
    static func setPauseRule(
        _ rule: PauseRule, reason: String, of found: CatalogueQueries.FoundProcedure, context: ChangeContext
    ) async throws {
        let resource = try await self.resource(of: found, app: context.app)
        try context.authorize(.update, resource)
        let id = try found.model.requireID()
        try await context.database.transaction { transaction in
            // The rule as it is now, locked until the change is recorded: of two changes at the same moment, the
            // second records the first's rule as its "from". (SQLite writers already take turns.)
            guard let sql = transaction as? any SQLDatabase else { return }
            let lock: SQLQueryString = sql.dialect.name == "postgresql" ? "FOR UPDATE" : ""
            guard let row = try await sql.raw("SELECT pause_rule FROM procedures WHERE id = \(bind: id) \(lock)").first(),
                let previous = PauseRule(rawValue: try row.decode(column: "pause_rule", as: String.self)),
                previous != rule
            else { return }
            try await sql.raw("""
                UPDATE procedures SET pause_rule = \(bind: rule.rawValue), updated_at = \(bind: context.now)
                WHERE id = \(bind: id)
                """).run()
            try await context.audit(
                "procedure.pause_rule_changed", subject: "procedure:\(found.model.code)", agency: resource.agencyPath.last,
                details: ["from": previous.rawValue, "to": rule.rawValue, "reason": reason], on: transaction)
        }
    }

    /// The catalogue record as the access policy sees it: owned by its managing agency.
    static func resource(of found: CatalogueQueries.FoundProcedure, app: Application) async throws -> Resource {
        let tree = try await app.agencyTree.tree(on: app.db)
        return Resource(.catalogue, agencyPath: tree.path(ofCode: found.agencyCode) ?? [found.agencyCode])
    }
}
