import Domain
import Fluent
import Foundation
import Vapor

/// A procedure's e-form: the latest saved version, or the standard form when nobody wrote one. Agency admins of the
/// managing unit (and system admins) save new versions, each checked, numbered and audited; dossiers will record the
/// version they were filed with.
enum ProcedureForms {
    /// The form a procedure is filled with now.
    struct Current: Sendable {
        var definition: FormDefinition
        /// Nil for the standard form (no version saved).
        var version: Int?
        var slots: [DocumentSlot]
    }

    enum Refusal: Error, Equatable {
        /// The text is no form definition: JSON that does not parse or does not have the shape, with where and why.
        case unreadable(path: String, detail: String)
        /// The definition reads but is broken.
        case broken([DefinitionProblem])
        /// Someone saved a version after the one the editor started from.
        case changedSince(base: Int?, current: Int)
    }

    /// A definition larger than this is refused before it is parsed.
    static let largestDefinition = 512 * 1024

    static func current(of found: CatalogueQueries.FoundProcedure, on database: any Database) async throws -> Current {
        let slots = DocumentSlot.slots(of: found.procedure)
        guard let latest = try await latest(procedureID: try found.model.requireID(), on: database) else {
            return Current(definition: .standard(for: found.procedure), version: nil, slots: slots)
        }
        return Current(definition: try latest.decoded(), version: latest.version, slots: slots)
    }

    static func latest(procedureID: UUID, on database: any Database) async throws -> ProcedureFormModel? {
        try await ProcedureFormModel.query(on: database).filter(\.$procedure.$id == procedureID)
            .sort(\.$version, .descending).first()
    }

    /// Reads an editor's text: the definition, or why it is none. Problems of a readable definition are not checked
    /// here (`definition.problems`), so a preview can show them beside the form.
    static func read(_ text: String) -> Result<FormDefinition, Refusal> {
        guard text.utf8.count <= largestDefinition else {
            return .failure(.unreadable(path: "", detail: "larger than \(largestDefinition / 1024) KB"))
        }
        do {
            return .success(try JSONDecoder().decode(FormDefinition.self, from: Data(text.utf8)))
        } catch let error as DecodingError {
            return .failure(describe(error))
        } catch {
            return .failure(.unreadable(path: "", detail: "\(error)"))
        }
    }

    /// Saves `definition` as the procedure's next version and returns its number. `base` is the version the editor
    /// started from (nil: the standard form): a save from an older one is refused, never silently overwriting.
    @discardableResult
    static func save(
        _ definition: FormDefinition, reason: String, base: Int?, of found: CatalogueQueries.FoundProcedure,
        context: ChangeContext
    ) async throws -> Int {
        let resource = try await ProcedureSettings.resource(of: found, app: context.app)
        try context.authorize(.update, resource)
        let problems = definition.problems
        guard problems.isEmpty else { throw Refusal.broken(problems) }
        let procedureID = try found.model.requireID()
        let text = try stored(definition)
        do {
            return try await context.database.transaction { transaction in
                let current = try await latest(procedureID: procedureID, on: transaction)?.version
                guard current == base else { throw Refusal.changedSince(base: base, current: current ?? 0) }
                let version = (current ?? 0) + 1
                try await ProcedureFormModel(
                    procedureID: procedureID, version: version, definition: text, reason: reason,
                    createdBy: context.actor.auditName, createdAt: context.now
                ).create(on: transaction)
                try await context.audit(
                    "procedure.form_changed", subject: "procedure:\(found.model.code)", agency: resource.agencyPath.last,
                    details: ["from": current.map { "\($0)" } ?? "standard", "to": "\(version)", "reason": reason],
                    on: transaction)
                return version
            }
        } catch let error where UniqueViolation(error) == .procedureFormVersion {
            // Another save from the same version landed between our read and our insert.
            let current = try await latest(procedureID: procedureID, on: context.database)?.version ?? 0
            throw Refusal.changedSince(base: base, current: current)
        }
    }

    /// Installs the hand-made forms of `Resources/Forms` (`{code}.json`) for the procedures of the catalogue that
    /// have no form yet; run at every start and after an import, so it adds only what is missing.
    static func installBundled(app: Application, on database: any Database) async throws {
        let directory = app.directory.resourcesDirectory + "Forms/"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files.sorted() where file.hasSuffix(".json") {
            let code = String(file.dropLast(5))
            guard let data = FileManager.default.contents(atPath: directory + file),
                let found = try await CatalogueQueries.procedure(code: code, on: database)
            else { continue }
            let procedureID = try found.model.requireID()
            guard try await latest(procedureID: procedureID, on: database) == nil else { continue }
            let definition: FormDefinition
            switch read(String(decoding: data, as: UTF8.self)) {
            case .success(let read) where read.problems.isEmpty: definition = read
            case .success(let read):
                app.logger.error("bundled form is broken", metadata: ["file": "\(file)", "problems": "\(read.problems)"])
                continue
            case .failure(let refusal):
                app.logger.error("bundled form is unreadable", metadata: ["file": "\(file)", "reason": "\(refusal)"])
                continue
            }
            do {
                try await ProcedureFormModel(
                    procedureID: procedureID, version: 1, definition: try stored(definition),
                    reason: "Biểu mẫu cài sẵn (\(definition.source ?? file))", createdBy: "seed", createdAt: app.clock.now
                ).create(on: database)
            } catch let error where UniqueViolation(error) == .procedureFormVersion {
                continue  // another instance installed it at the same moment
            }
        }
    }

    /// The definition as a version stores it: compact JSON, keys in a stable order.
    private static func stored(_ definition: FormDefinition) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(definition), as: UTF8.self)
    }

    /// Where a decoding error happened, as a definition path (`sections[0].fields[2].type`), and what it expected.
    private static func describe(_ error: DecodingError) -> Refusal {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { path, key in
                if let index = key.intValue { return path + "[\(index)]" }
                return path.isEmpty ? key.stringValue : path + "." + key.stringValue
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            return .unreadable(path: path(context.codingPath), detail: "expected \(type)")
        case .valueNotFound(let type, let context):
            return .unreadable(path: path(context.codingPath), detail: "missing \(type)")
        case .keyNotFound(let key, let context):
            return .unreadable(path: path(context.codingPath + [key]), detail: "missing")
        case .dataCorrupted(let context):
            let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return .unreadable(path: path(context.codingPath), detail: detail ?? context.debugDescription)
        @unknown default:
            return .unreadable(path: "", detail: "\(error)")
        }
    }
}
