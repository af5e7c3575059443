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
        /// The agency the record belongs to.
        var agency: String?
        var details: [String: String] = [:]
        /// More units whose auditors read the entry (the reader's own units, for a look at personal data); kept
        /// in the hashed details as `filedUnder`.
        var filedUnder: [String] = []
    }

    struct MissingHead: Error, CustomStringConvertible {
        var description: String { "the audit log's head row is missing" }
    }

    /// Appends `entry` on `database` (pass the transaction of the change; alone, it runs in one of its own).
    /// Moving the head first serializes appends, so numbers never repeat and each entry links to the last.
    static func append(_ entry: Entry, on database: any Database, at now: Date) async throws {
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
            var details = entry.details
            let filedUnder = Set(entry.filedUnder).subtracting([entry.agency].compactMap { $0 }).sorted()
            if !filedUnder.isEmpty { details["filedUnder"] = filedUnder.joined(separator: ",") }
            model.details = canonicalJSON(details)
            model.previousHash = try head.decode(column: "hash", as: String.self)
            model.hash = hash(of: model)
            try await model.create(on: transaction)
            try await sql.raw("UPDATE audit_head SET hash = \(bind: model.hash) WHERE id = 1").run()
            try await fileUnderScope(seq: model.seq, units: [entry.agency].compactMap { $0 } + filedUnder, on: sql)
        }
    }

    /// Files entry `seq` under each of `units` and every unit above them (`audit_scope`), so that an auditor's page
    /// reads their lines through an index instead of walking the whole log. Derived from the entry's hashed
    /// agency and `filedUnder`, so it can always be rebuilt from the log.
    private static func fileUnderScope(seq: Int, units: [String], on sql: any SQLDatabase) async throws {
        guard !units.isEmpty else { return }
        let codes = SQLList(units.map { SQLBind($0) })
        try await sql.raw("""
            WITH RECURSIVE above(id, parent_id, code) AS (
                SELECT id, parent_id, code FROM agencies WHERE code IN (\(codes))
                UNION SELECT agencies.id, agencies.parent_id, agencies.code FROM agencies JOIN above ON agencies.id = above.parent_id
            )
            INSERT INTO audit_scope (seq, agency) SELECT DISTINCT CAST(\(bind: seq) AS BIGINT), code FROM above
            """).run()
    }

    /// The hash of an entry: SHA-256 over its fields and the previous hash, separated so no field can spill into
    /// the next.
    static func hash(of entry: AuditEntryModel) -> String {
        hash(ChainRow(
            seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, subject: entry.subject,
            agency: entry.agency, details: entry.details, previousHash: entry.previousHash, hash: ""))
    }

    /// An entry as the chain check reads it: plain columns, no model.
    struct ChainRow: Sendable {
        var seq: Int
        var at: Date
        var actor: String
        var action: String
        var subject: String
        var agency: String?
        var details: String
        var previousHash: String
        var hash: String

        init(
            seq: Int, at: Date, actor: String, action: String, subject: String, agency: String?, details: String,
            previousHash: String, hash: String
        ) {
            self.seq = seq
            self.at = at
            self.actor = actor
            self.action = action
            self.subject = subject
            self.agency = agency
            self.details = details
            self.previousHash = previousHash
            self.hash = hash
        }

        init(_ row: any SQLRow) throws {
            seq = try row.decode(column: "seq", as: Int.self)
            at = try row.decode(column: "at", as: Date.self)
            actor = try row.decode(column: "actor", as: String.self)
            action = try row.decode(column: "action", as: String.self)
            subject = try row.decode(column: "subject", as: String.self)
            agency = try row.decode(column: "agency", as: String?.self)
            details = try row.decode(column: "details", as: String.self)
            previousHash = try row.decode(column: "previous_hash", as: String.self)
            hash = try row.decode(column: "hash", as: String.self)
        }
    }

    static func hash(_ row: ChainRow) -> String {
        // Whole milliseconds: what both databases return for a stored instant.
        let millis = Int64(exactly: (row.at.timeIntervalSince1970 * 1000).rounded()) ?? 0
        let fields = [
            "\(row.seq)", "\(millis)", row.actor, row.action, row.subject, row.agency ?? "", row.details, row.previousHash,
        ]
        return SHA256.hexDigest(of: Data(fields.joined(separator: "\u{1F}").utf8))
    }

    enum Verification: Equatable, Sendable {
        case intact(entries: Int)
        /// The first entry whose hash, link or number does not follow from the one before.
        case broken(atSeq: Int)

        var isIntact: Bool {
            if case .intact = self { return true }
            return false
        }
    }

    /// A point of the chain: an entry's number and hash (0 and `genesis` before the first).
    struct Link: Equatable, Sendable {
        var seq: Int
        var hash: String
        static let genesis = Link(seq: 0, hash: AuditLog.genesis)
    }

    /// The whole chain, from the first entry up to the head as it was when the check began (entries appended
    /// meanwhile are for the next check). Cutting entries off the end leaves a chain that links, but the head still
    /// names the last entry written, so the chain must end where the head says.
    static func verify(on database: any Database) async throws -> Verification {
        guard let sql = database as? any SQLDatabase else { throw MissingHead() }
        return try await walk(from: .genesis, to: try await head(on: sql), on: sql)
    }

    static func head(on sql: any SQLDatabase) async throws -> Link {
        guard let row = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() else {
            throw MissingHead()
        }
        return Link(seq: try row.decode(column: "seq", as: Int.self), hash: try row.decode(column: "hash", as: String.self))
    }

    /// Checks the entries after `start` (itself already checked) up to `head`, a page at a time.
    private static func walk(from start: Link, to head: Link, on sql: any SQLDatabase) async throws -> Verification {
        guard start.seq <= head.seq else { return .broken(atSeq: head.seq + 1) }
        var previous = start.hash
        var expectedSeq = start.seq + 1
        let page = 2000
        while expectedSeq <= head.seq {
            let rows = try await sql.raw("""
                SELECT seq, at, actor, action, subject, agency, details, previous_hash, hash FROM audit_log
                WHERE seq >= \(bind: expectedSeq) AND seq <= \(bind: head.seq) ORDER BY seq LIMIT \(unsafeRaw: "\(page)")
                """).all()
            for row in rows {
                let entry = try ChainRow(row)
                guard entry.seq == expectedSeq, entry.previousHash == previous, hash(entry) == entry.hash else {
                    return .broken(atSeq: expectedSeq)
                }
                previous = entry.hash
                expectedSeq += 1
            }
            if rows.count < page { break }
        }
        guard expectedSeq - 1 == head.seq, previous == head.hash else { return .broken(atSeq: expectedSeq) }
        return .intact(entries: head.seq)
    }

    // MARK: - Checkpoints

    /// What the audit page shows about the chain: checked now from the last checkpoint, and when it was last
    /// checked in full.
    struct Check: Equatable, Sendable {
        var verification: Verification
        /// Entries read by this check (only those added since the last one, when it went well).
        var checkedNow: Int
        var lastFullCheck: Date?
    }

    /// Checks only what was appended since the last check, from the checkpoint it left (`audit_checkpoint`): a
    /// page load reads the new entries, not the whole log. The checkpoint's own entry is read again, so an edit of
    /// it, or a log cut back below it, is still seen; older entries are the full check's (`verifyInFull`), run each
    /// day by the worker and by `motcua audit verify`. A break once found stays reported until a full check passes.
    static func checkSinceCheckpoint(on database: any Database, now: Date) async throws -> Check {
        guard let sql = database as? any SQLDatabase else { throw MissingHead() }
        let head = try await head(on: sql)
        let checkpoint = try await sql.raw("SELECT * FROM audit_checkpoint WHERE id = 1").first()
        let lastFull = try checkpoint?.decode(column: "full_checked_at", as: Date?.self)
        if let broken = try checkpoint?.decode(column: "broken_seq", as: Int?.self) {
            return Check(verification: .broken(atSeq: broken), checkedNow: 0, lastFullCheck: lastFull)
        }
        var start = Link.genesis
        if let checkpoint {
            start = Link(
                seq: try checkpoint.decode(column: "seq", as: Int.self),
                hash: try checkpoint.decode(column: "hash", as: String.self))
        }
        var verification: Verification
        if start.seq > 0 {
            let row = try await sql.raw("""
                SELECT seq, at, actor, action, subject, agency, details, previous_hash, hash FROM audit_log
                WHERE seq = \(bind: start.seq)
                """).first()
            let entry = try row.map(ChainRow.init)
            verification = entry.map { $0.hash == start.hash && hash($0) == $0.hash } == true
                ? try await walk(from: start, to: head, on: sql) : .broken(atSeq: start.seq)
        } else {
            verification = try await walk(from: start, to: head, on: sql)
        }
        switch verification {
        case .intact where head.seq == start.seq:
            break  // nothing new: a page load then writes nothing (on SQLite every write waits its turn)
        case .intact:
            try await sql.raw("""
                UPDATE audit_checkpoint SET seq = \(bind: head.seq), hash = \(bind: head.hash), checked_at = \(bind: now)
                WHERE id = 1 AND seq <= \(bind: head.seq)
                """).run()
        case .broken(let seq):
            try await sql.raw("UPDATE audit_checkpoint SET broken_seq = \(bind: seq) WHERE id = 1").run()
        }
        return Check(verification: verification, checkedNow: head.seq - start.seq, lastFullCheck: lastFull)
    }

    /// Checks the whole chain and records the outcome: an intact chain moves the checkpoint to the head and clears
    /// an earlier break; a broken one is recorded where it breaks. Pending looks are sealed first, so they are
    /// checked too.
    @discardableResult
    static func verifyInFull(on database: any Database, now: Date) async throws -> Verification {
        try await AuditLooks.seal(endedBefore: nil, on: database)
        guard let sql = database as? any SQLDatabase else { throw MissingHead() }
        let head = try await head(on: sql)
        // What a page load may record while this walk runs (a break it found) must survive the walk's end.
        let brokenBefore = try await sql.raw("SELECT broken_seq FROM audit_checkpoint WHERE id = 1").first()
            .flatMap { try $0.decode(column: "broken_seq", as: Int?.self) }
        let verification = try await walk(from: .genesis, to: head, on: sql)
        switch verification {
        case .intact:
            // Only if no break was recorded meanwhile, and never moving the checkpoint back.
            let unchanged: SQLQueryString = brokenBefore.map { "broken_seq = \(bind: $0)" } ?? "broken_seq IS NULL"
            try await sql.raw("""
                UPDATE audit_checkpoint SET seq = \(bind: head.seq), hash = \(bind: head.hash), checked_at = \(bind: now),
                    full_checked_at = \(bind: now), broken_seq = NULL
                WHERE id = 1 AND seq <= \(bind: head.seq) AND \(unchanged)
                """).run()
        case .broken(let seq):
            try await sql.raw("""
                UPDATE audit_checkpoint SET broken_seq = \(bind: seq), full_checked_at = \(bind: now) WHERE id = 1
                """).run()
        }
        return verification
    }

    static func canonicalJSON(_ details: [String: String]) -> String {
        (try? JSONColumn.text(details)) ?? "{}"
    }
}

extension AuditLog.ChainRow {
    /// The policy's answer for this entry: its agency, or one of the units it is also filed under, must be one
    /// the actor reads the log of.
    func mayBeRead(by actor: Actor, tree: AgencyTree) -> Bool {
        let filedUnder = (try? JSONColumn.value([String: String].self, from: details))?["filedUnder"]
        let units = [agency].compactMap { $0 } + (filedUnder?.split(separator: ",").map(String.init) ?? [])
        let paths = units.isEmpty ? [[]] : units.map { tree.path(ofCode: $0) ?? [] }
        return paths.contains { AccessPolicy.decide(actor, .read, Resource(.auditLog, agencyPath: $0)).isAllowed }
    }
}

extension AuditLog {
    /// How the log names records and actors: `account:<uuid>`, `token:<uuid>`, lowercase.
    static func name(_ kind: String, _ id: UUID) -> String { "\(kind):\(id.uuidString.lowercased())" }
}

extension Actor {
    /// The units the actor works in: an officer's (whole-system roles aside), an integration's agency.
    var units: [String] {
        switch self {
        case .anonymous, .applicant: []
        case .officer(_, let memberships): Array(Set(memberships.compactMap(\.agency))).sorted()
        case .integration(_, let agency, _): agency.map { [$0] } ?? []
        case .console: []
        }
    }

    /// How the audit log names the actor.
    var auditName: String {
        switch self {
        case .anonymous: "anonymous"
        case .applicant(let id): AuditLog.name("applicant", id)
        case .officer(let id, _): AuditLog.name("officer", id)
        case .integration(let id, _, _): AuditLog.name("token", id)
        case .console(let user): "console:" + user
        }
    }
}

