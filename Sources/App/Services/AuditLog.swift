import Crypto
import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The audit log: every administrative change and every officer's look at someone's personal data, written in
/// the same transaction as what it records.
enum AuditLog {
    /// The hash before the first entry.
    static let genesis = String(repeating: "0", count: 64)

    struct Entry: Sendable {
        var actor: String
        var action: String
        var subject: String
        var agency: String?
        var details: [String: String] = [:]
    }

    struct MissingHead: Error, CustomStringConvertible {
        var description: String { "the audit log's head row is missing" }
    }

    /// Appends `entry` on `database` (pass the transaction of the change; alone, it runs in one of its own).
    /// Moving the head first serializes appends, so numbers never repeat and each entry links to the last.
    static func append(_ entry: Entry, on database: any Database, at now: Date = Date()) async throws {
        try await database.transaction { transaction in
            guard let sql = transaction as? any SQLDatabase,
                let head = try await sql.raw("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").first()
            else { throw MissingHead() }
            let model = AuditEntryModel()
            model.seq = try head.decode(column: "seq", as: Int.self)
            // Whole milliseconds, so the hash recomputed from what the database returns is the same.
            model.at = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded() / 1000)
            model.actor = entry.actor
            model.action = entry.action
            model.subject = entry.subject
            model.agency = entry.agency
            model.details = canonicalJSON(entry.details)
            model.previousHash = try head.decode(column: "hash", as: String.self)
            model.hash = hash(of: model)
            try await model.create(on: transaction)
            try await sql.raw("UPDATE audit_head SET hash = \(bind: model.hash) WHERE id = 1").run()
        }
    }

    /// The hash of an entry: SHA-256 over its fields and the previous hash, separated so no field can spill into
    /// the next.
    static func hash(of entry: AuditEntryModel) -> String {
        let millis = Int64((entry.at.timeIntervalSince1970 * 1000).rounded())
        let fields = [
            "\(entry.seq)", "\(millis)", entry.actor, entry.action, entry.subject, entry.agency ?? "", entry.details,
            entry.previousHash,
        ]
        return SHA256.hexDigest(of: Data(fields.joined(separator: "\u{1F}").utf8))
    }

    enum Verification: Equatable {
        case intact(entries: Int)
        /// The first entry whose hash, link or number does not follow from the one before.
        case broken(atSeq: Int)

        var isIntact: Bool {
            if case .intact = self { return true }
            return false
        }
    }

    /// Walks the chain in order, a page at a time, up to the head as it was when the walk began (entries appended
    /// meanwhile are for the next check), and checks the chain ends where the head says: cutting entries off the
    /// end leaves a chain that links, but the head still names the last entry written.
    static func verify(on database: any Database) async throws -> Verification {
        guard let sql = database as? any SQLDatabase,
            let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()
        else { throw MissingHead() }
        let headSeq = try head.decode(column: "seq", as: Int.self)
        let headHash = try head.decode(column: "hash", as: String.self)
        var previous = genesis
        var expectedSeq = 1
        let page = 1000
        while expectedSeq <= headSeq {
            let entries = try await AuditEntryModel.query(on: database).filter(\.$seq >= expectedSeq)
                .filter(\.$seq <= headSeq).sort(\.$seq).limit(page).all()
            for entry in entries {
                guard entry.seq == expectedSeq, entry.previousHash == previous, hash(of: entry) == entry.hash else {
                    return .broken(atSeq: entry.seq)
                }
                previous = entry.hash
                expectedSeq += 1
            }
            if entries.count < page { break }
        }
        guard expectedSeq - 1 == headSeq, previous == headHash else { return .broken(atSeq: expectedSeq) }
        return .intact(entries: headSeq)
    }

    static func canonicalJSON(_ details: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(details)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension AuditLog {
    /// How the log names records and actors: `account:<uuid>`, `token:<uuid>`, lowercase.
    static func name(_ kind: String, _ id: UUID) -> String { "\(kind):\(id.uuidString.lowercased())" }
}

extension Actor {
    /// How the audit log names the actor.
    var auditName: String {
        switch self {
        case .anonymous: "anonymous"
        case .applicant(let id): AuditLog.name("applicant", id)
        case .officer(let id, _): AuditLog.name("officer", id)
        case .integration(let id, _, _): AuditLog.name("token", id)
        }
    }
}

extension Request {
    /// Records an action of this request's actor in the audit log, on `database` (the change's transaction).
    func audit(
        _ action: String, subject: String, agency: String? = nil, details: [String: String] = [:],
        on database: (any Database)? = nil
    ) async throws {
        let actor = try await actor()
        try await AuditLog.append(
            .init(actor: actor.auditName, action: action, subject: subject, agency: agency, details: details),
            on: database ?? db)
        logger.notice("\(action)", metadata: ["subject": "\(subject)", "by": "\(actor.auditName)"])
    }
}
