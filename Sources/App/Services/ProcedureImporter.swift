import Crypto
import Domain
import Fluent
import Foundation

/// What an import did: counts, the records it skipped and why, and the fields it could not parse.
struct ImportReport: Codable, Sendable, Equatable {
    struct Skipped: Codable, Sendable, Equatable {
        var file: String
        /// 1-based line number; nil when the whole file was unreadable.
        var line: Int?
        var code: String?
        var reason: String
    }

    struct Unparsed: Codable, Sendable, Equatable {
        var code: String
        var issues: [ParseIssue]
    }

    var files: [String] = []
    var imported = 0
    var updated = 0
    var unchanged = 0
    var skipped: [Skipped] = []
    /// Per field, how many records had it unparsed.
    var unparsedFields: [String: Int] = [:]
    var unparsed: [Unparsed] = []
    /// Ministries the import added to the agency tree (named in records, known from `issuing-bodies.json`).
    var ministriesCreated: [String] = []

    var summary: String {
        var lines = [
            "files: \(files.count)",
            "imported: \(imported), updated: \(updated), unchanged: \(unchanged), skipped: \(skipped.count)",
        ]
        if !ministriesCreated.isEmpty { lines.append("ministries added: " + ministriesCreated.joined(separator: ", ")) }
        for skip in skipped.prefix(20) {
            lines.append("  skipped \(skip.file)\(skip.line.map { ":\($0)" } ?? "")\(skip.code.map { " \($0)" } ?? ""): \(skip.reason)")
        }
        if skipped.count > 20 { lines.append("  … and \(skipped.count - 20) more skipped (see --report)") }
        if !unparsedFields.isEmpty {
            lines.append("fields not fully parsed (records): "
                + unparsedFields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

/// Imports portal procedure records (JSON Lines, one record a line) into the catalogue, upserting by code:
/// an unchanged record is left alone, a changed one gets a new version. A bad line or an unreadable file is
/// reported and the rest still import.
///
/// The managing ministry comes from each record (`ManagingMinistry.resolve`: the decision number's issuer,
/// through the 2025 mergers, else a ministry its agencies name); a ministry not yet in the agency tree is created
/// with its official name. `stated` (`--ministry CODE`) overrides what the records say; `whenUnstated` serves
/// records that say nothing (the demo seed's own files, whose ministry the seed knows).
struct ProcedureImporter {
    let database: any Database
    /// The government's issuing bodies (`issuing-bodies.json`).
    let bodies: [IssuingBody]

    /// Bump when the parser changes what it makes of a record: every record then re-imports as a new version.
    static let parserRevision = 1

    /// A ministry named on the command line that is neither in the agency tree nor a known issuing body.
    struct UnknownMinistry: Error, CustomStringConvertible {
        var code: String
        var description: String {
            "no ministry has the code \(code): name one of the agency tree's ministries or of issuing-bodies.json"
        }
    }

    func importFiles(_ paths: [String], stated: String? = nil, whenUnstated: String? = nil) async throws -> ImportReport {
        var report = ImportReport()
        var ministries = Ministries(
            resolver: ManagingMinistry(bodies: bodies),
            known: try await AgencyModel.query(on: database).filter(\.$kind == .ministry).all())
        if let stated, ministries.body(stated) == nil { throw UnknownMinistry(code: stated) }
        for path in paths {
            let file = (path as NSString).lastPathComponent
            report.files.append(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                report.skipped.append(.init(file: file, line: nil, code: nil, reason: "file cannot be read"))
                continue
            }
            try await importLines(
                of: data, file: file, stated: stated, whenUnstated: whenUnstated, ministries: &ministries,
                into: &report)
        }
        report.ministriesCreated = ministries.created
        return report
    }

    /// The ministries of the agency tree, and the known bodies that can be added to it.
    private struct Ministries {
        let resolver: ManagingMinistry
        var ids: [String: UUID]
        var created: [String] = []

        init(resolver: ManagingMinistry, known: [AgencyModel]) {
            self.resolver = resolver
            ids = Dictionary(known.compactMap { model in model.id.map { (model.code, $0) } }, uniquingKeysWith: { a, _ in a })
        }

        /// A ministry by code: one in the tree, or a known body (followed to the ministry it is now part of).
        func body(_ code: String) -> IssuingBody? {
            resolver.ministry(code: code) ?? (ids[code] != nil ? IssuingBody(code: code, name: code, nameEn: code) : nil)
        }

        /// The agency id of the ministry `body`, creating the ministry when the tree does not have it yet.
        mutating func id(of body: IssuingBody, on database: any Database) async throws -> UUID {
            if let id = ids[body.code] { return id }
            let model = AgencyModel(code: body.code, name: body.name, nameEn: body.nameEn, kind: .ministry, parentID: nil)
            try await model.create(on: database)
            let id = try model.requireID()
            ids[body.code] = id
            created.append(body.code)
            return id
        }
    }

    private func importLines(
        of data: Data, file: String, stated: String?, whenUnstated: String?, ministries: inout Ministries,
        into report: inout ImportReport
    ) async throws {
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var parsed: [(line: Int, procedure: ParsedProcedure, hash: String, agencyID: UUID)] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            guard line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { continue }
            let record: PortalProcedureRecord
            do {
                record = try decoder.decode(PortalProcedureRecord.self, from: Data(line))
            } catch {
                report.skipped.append(.init(file: file, line: lineNumber, code: nil, reason: "not a JSON record"))
                continue
            }
            let code = record.code.trimmingCharacters(in: .whitespacesAndNewlines)
            // What the record lacks outright is said before the ministry it does not name.
            guard !code.isEmpty else {
                report.skipped.append(.init(file: file, line: lineNumber, code: nil, reason: "no procedure code"))
                continue
            }
            let resolution = ministries.resolver.resolve(
                decision: record.decisionNumber, agencyTexts: [record.implementingAgency, record.competentAuthority])
            guard let ministry = stated.flatMap(ministries.body)
                ?? Self.ministry(of: resolution, whenUnstated: whenUnstated, ministries)
            else {
                report.skipped.append(.init(
                    file: file, line: lineNumber, code: code, reason: Self.unstatedReason(resolution, record)))
                continue
            }
            let agencyID = try await ministries.id(of: ministry, on: database)
            do {
                let result = try ProcedureParser.parse(record, managingAgencyCode: ministry.code)
                let canonical = Data("parser-\(Self.parserRevision)\n".utf8) + (try encoder.encode(record))
                let hash = SHA256.hexDigest(of: canonical)
                parsed.append((lineNumber, result, hash, agencyID))
            } catch RecordError.missingCode {
                report.skipped.append(.init(file: file, line: lineNumber, code: nil, reason: "no procedure code"))
            } catch RecordError.missingName {
                report.skipped.append(.init(file: file, line: lineNumber, code: code, reason: "no procedure name"))
            }
        }
        try await store(parsed.map { ($0.procedure, $0.hash, $0.agencyID) }, encoder: encoder, into: &report)
    }

    /// The ministry a record's `resolution` gives: the one named, one the tree has under the unknown code, else
    /// the caller's default.
    private static func ministry(
        of resolution: ManagingMinistry.Resolution, whenUnstated: String?, _ ministries: Ministries
    ) -> IssuingBody? {
        switch resolution {
        case .ministry(let body): return body
        case .unknownBody(let code): return ministries.ids[code] != nil ? ministries.body(code) : whenUnstated.flatMap(ministries.body)
        case .unstated: return whenUnstated.flatMap(ministries.body)
        }
    }

    /// Why a record's ministry is unknown, and what to do about it.
    private static func unstatedReason(_ resolution: ManagingMinistry.Resolution, _ record: PortalProcedureRecord) -> String {
        let decision = String(record.decisionNumber.prefix(60))
        if case .unknownBody(let code) = resolution {
            return "the decision \(decision) was issued by \(code), which is no ministry MotCua knows: "
                + "add \(code) to the agency tree as a ministry, or pass --ministry CODE"
        }
        return "no managing ministry can be read from the record (decision \"\(decision)\"): pass --ministry CODE"
    }

    /// Writes one file's records in a single transaction: a file imports whole or not at all on a database error.
    private func store(
        _ records: [(procedure: ParsedProcedure, hash: String, agencyID: UUID)], encoder: JSONEncoder,
        into report: inout ImportReport
    ) async throws {
        let codes = records.map(\.procedure.procedure.code)
        let counts = try await database.transaction { database in
            var counts = (imported: 0, updated: 0, unchanged: 0)
            var existing: [String: ProcedureModel] = [:]
            for chunk in stride(from: 0, to: codes.count, by: 500).map({ Array(codes[$0..<min($0 + 500, codes.count)]) }) {
                for model in try await ProcedureModel.query(on: database).filter(\.$code ~~ chunk).all() {
                    existing[model.code] = model
                }
            }
            for (result, hash, agencyID) in records {
                let procedure = result.procedure
                let data = try JSONColumn.text(procedure)
                let issues = try JSONColumn.text(result.issues)
                let model: ProcedureModel
                if let current = existing[procedure.code] {
                    // The same record under the same ministry; one filed under another ministry before (by an
                    // older import's rule, or `--ministry`) moves.
                    if current.sourceHash == hash, current.$managingAgency.id == agencyID {
                        counts.unchanged += 1
                        continue
                    }
                    model = current
                    model.currentVersion += 1
                    counts.updated += 1
                } else {
                    model = ProcedureModel()
                    model.currentVersion = 1
                    model.pauseRule = .extends
                    counts.imported += 1
                }
                model.code = procedure.code
                model.name = procedure.name
                model.field = procedure.field
                model.levels = procedure.levels.map(\.rawValue).joined(separator: ",")
                model.$managingAgency.id = agencyID
                model.data = data
                model.sourceHash = hash
                model.parseIssues = issues
                try await model.save(on: database)
                existing[procedure.code] = model
                let version = ProcedureVersionModel(
                    procedureID: try model.requireID(), version: model.currentVersion, data: data, sourceHash: hash)
                try await version.create(on: database)
            }
            return counts
        }
        report.imported += counts.imported
        report.updated += counts.updated
        report.unchanged += counts.unchanged
        for (result, _, _) in records where !result.issues.isEmpty {
            report.unparsed.append(.init(code: result.procedure.code, issues: result.issues))
            for field in Set(result.issues.map(\.field)) { report.unparsedFields[field, default: 0] += 1 }
        }
    }

}
