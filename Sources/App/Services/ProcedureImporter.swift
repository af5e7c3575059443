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

    var summary: String {
        var lines = [
            "files: \(files.count)",
            "imported: \(imported), updated: \(updated), unchanged: \(unchanged), skipped: \(skipped.count)",
        ]
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
struct ProcedureImporter {
    let database: any Database
    /// Ministries by the catalogue file they publish (`bo-tu-phap` → `BTP`).
    let ministries: [MinistrySeed]

    /// Bump when the parser changes what it makes of a record: every record then re-imports as a new version.
    static let parserRevision = 1

    func importFiles(_ paths: [String]) async throws -> ImportReport {
        var report = ImportReport()
        try await AgencySeeder.ensureMinistries(ministries, on: database)
        let agencies = try await AgencyModel.query(on: database).filter(\.$kind == .ministry).all()
        var agencyIDs: [String: UUID] = [:]
        for agency in agencies { agencyIDs[agency.code] = agency.id }

        for path in paths {
            let file = (path as NSString).lastPathComponent
            report.files.append(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                report.skipped.append(.init(file: file, line: nil, code: nil, reason: "file cannot be read"))
                continue
            }
            let stem = (file as NSString).deletingPathExtension
            let fileAgency = ministries.first { $0.catalogueFile == stem }?.code
            try await importLines(of: data, file: file, fileAgency: fileAgency, agencyIDs: agencyIDs, into: &report)
        }
        return report
    }

    private func importLines(
        of data: Data, file: String, fileAgency: String?, agencyIDs: [String: UUID], into report: inout ImportReport
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
            guard let agencyCode = fileAgency ?? Self.agencyCode(fromDecision: record.decisionNumber),
                let agencyID = agencyIDs[agencyCode]
            else {
                report.skipped.append(.init(
                    file: file, line: lineNumber, code: code.isEmpty ? nil : code,
                    reason: "managing ministry unknown: name the file after a ministry in ministries.json"))
                continue
            }
            do {
                let result = try ProcedureParser.parse(record, managingAgencyCode: agencyCode)
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
                let data = String(decoding: try encoder.encode(procedure), as: UTF8.self)
                let issues = String(decoding: try encoder.encode(result.issues), as: UTF8.self)
                let model: ProcedureModel
                if let current = existing[procedure.code] {
                    if current.sourceHash == hash {
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

    /// The ministry a decision was issued by: `163/QĐ-BTP` → `BTP`.
    static func agencyCode(fromDecision decision: String) -> String? {
        guard let range = decision.range(of: "QĐ-", options: .backwards) else { return nil }
        let code = decision[range.upperBound...].prefix { $0.isLetter }
        return code.isEmpty ? nil : String(code)
    }
}
