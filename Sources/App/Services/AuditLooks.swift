import Crypto
import Fluent
import Foundation
import SQLKit

/// Looks at personal data, gathered before they enter the audit log: the same actor reading the same record
/// again and again within `window` (an integration polling an officer's record, an admin reloading a page) is one
/// entry with a count, its first and its last time, instead of one chain entry per read.
///
/// A look is counted at once in `audit_looks` (one row per actor, record and units; a single upsert, so busy
/// readers never wait on the audit chain's head). The row is sealed into the chain — one entry, dated at the
/// first look — when its window is over (the worker's maintenance, or the next look after it), or at once when
/// an auditor opens the log or a full check runs, so the log an auditor reads is never missing a look.
enum AuditLooks {
    static let window: TimeInterval = 10 * 60

    struct Look: Sendable {
        var actor: String
        var action = "personal_data.viewed"
        var subject: String
        /// The record's agency.
        var agency: String?
        /// The other units whose auditors must see the look: the reader's own, the record's other units.
        var filedUnder: [String] = []
    }

    /// Counts one look at `now`.
    static func record(_ look: Look, at now: Date, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw AuditLog.MissingHead() }
        let filedUnder = Set(look.filedUnder).subtracting([look.agency].compactMap { $0 }).sorted().joined(separator: ",")
        let key = SHA256.hexDigest(of: Data(
            [look.actor, look.action, look.subject, look.agency ?? "", filedUnder].joined(separator: "\u{1F}").utf8))
        let windowStart = now.addingTimeInterval(-window)
        for _ in 0..<2 {
            // Within its window the row counts on; a row whose window is over is left alone (no row comes back).
            let counted = try await sql.raw("""
                INSERT INTO audit_looks (key, actor, action, subject, agency, filed_under, first_at, last_at, looks)
                VALUES (\(bind: key), \(bind: look.actor), \(bind: look.action), \(bind: look.subject),
                    \(bind: look.agency), \(bind: filedUnder), \(bind: now), \(bind: now), 1)
                ON CONFLICT (key) DO UPDATE SET looks = audit_looks.looks + 1, last_at = \(bind: now)
                WHERE audit_looks.first_at > \(bind: windowStart)
                RETURNING looks
                """).all()
            if !counted.isEmpty { return }
            // Its window is over: seal it into the log, then count this look in a new one.
            try await seal(
                "DELETE FROM audit_looks WHERE key = \(bind: key) AND first_at <= \(bind: windowStart) RETURNING *", on: database)
        }
    }

    /// Seals into the audit log every gathered look whose window began before `cutoff` (all of them when nil), in
    /// one transaction: each becomes an entry, or none does. Returns how many entries were written.
    @discardableResult
    static func seal(endedBefore cutoff: Date?, on database: any Database) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { throw AuditLog.MissingHead() }
        let pending = try await sql.raw("SELECT COUNT(*) AS n FROM audit_looks").first()?.decode(column: "n", as: Int.self)
        guard (pending ?? 0) > 0 else { return 0 }
        let condition: SQLQueryString = cutoff.map { "WHERE first_at <= \(bind: $0)" } ?? ""
        return try await seal("DELETE FROM audit_looks \(condition) RETURNING *", on: database)
    }

    /// Runs `delete` (a `DELETE … RETURNING *` on `audit_looks`) and appends what it removed, in one transaction:
    /// of two sealers racing, each row comes back to one of them only.
    private static func seal(_ delete: SQLQueryString, on database: any Database) async throws -> Int {
        try await database.transaction { transaction in
            guard let sql = transaction as? any SQLDatabase else { throw AuditLog.MissingHead() }
            let rows = try await sql.raw(delete).all()
            let looks = try rows.map { row in
                (
                    actor: try row.decode(column: "actor", as: String.self),
                    action: try row.decode(column: "action", as: String.self),
                    subject: try row.decode(column: "subject", as: String.self),
                    agency: try row.decode(column: "agency", as: String?.self),
                    filedUnder: try row.decode(column: "filed_under", as: String.self),
                    first: try row.decode(column: "first_at", as: Date.self),
                    last: try row.decode(column: "last_at", as: Date.self),
                    count: try row.decode(column: "looks", as: Int.self)
                )
            }.sorted { $0.first < $1.first }
            for look in looks {
                var details = ["count": "\(look.count)"]
                if look.count > 1 { details["last"] = ISO8601DateFormatter().string(from: look.last) }
                try await AuditLog.append(
                    .init(
                        actor: look.actor, action: look.action, subject: look.subject, agency: look.agency,
                        details: details, filedUnder: look.filedUnder.split(separator: ",").map(String.init)),
                    on: transaction, at: look.first)
            }
            return looks.count
        }
    }
}
