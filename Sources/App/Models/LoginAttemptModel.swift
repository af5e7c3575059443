import Domain
import Fluent
import Foundation
import SQLKit

/// Failed sign-ins per key (`account:<email>` or `address:<ip>`), in the database so that every instance sees the
/// same count.
final class LoginAttemptModel: Model, @unchecked Sendable {
    static let schema = "login_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "failures") var failures: Int
    @Field(key: "window_start") var windowStart: Date
    @OptionalField(key: "locked_until") var lockedUntil: Date?

    init() {}

    var state: ThrottleState {
        ThrottleState(failures: failures, windowStart: windowStart, lockedUntil: lockedUntil)
    }
}

/// Counted attempts per key: sign-in (per account and per network address), password reset requests and
/// registrations (per address). `LoginThrottle` holds the rules; this applies them in the database, where every
/// instance sees the same count.
enum AttemptThrottle {
    typealias Key = (key: String, rule: ThrottleRule)

    static func signInKeys(email: String, address: IPAddress?) -> [Key] {
        var keys = [("account:" + email, ThrottleRule.account)]
        if let address { keys.append(("address:" + block(address), ThrottleRule.address)) }
        return keys
    }

    static func resetRequestKeys(address: IPAddress?) -> [Key] {
        address.map { [("reset:" + block($0), ThrottleRule.resetRequests)] } ?? []
    }

    /// What an address limit counts: an IPv4 address, or an IPv6 address's /64 (one network's, which hands its
    /// hosts any address inside it, so counting whole addresses would let one client rotate without end).
    static func block(_ address: IPAddress) -> String {
        guard address.ipv4 == nil, let range = AddressRange("\(address)/64") else { return "\(address)" }
        return range.description
    }

    /// Checks of the current password before a change, per account, as strict as sign-in.
    static func passwordChangeKeys(account: UUID) -> [Key] {
        [("account:change:" + account.uuidString.lowercased(), ThrottleRule.account)]
    }

    static func registrationKeys(address: IPAddress?) -> [Key] {
        address.map { [("register:" + block($0), ThrottleRule.registrations)] } ?? []
    }

    /// One attempt, counted against each of its keys.
    struct Counted: Sendable {
        var keys: [(key: String, rule: ThrottleRule, state: ThrottleState)]

        /// Whether every key lets the attempt go ahead.
        var isAdmitted: Bool { keys.allSatisfy { LoginThrottle.admits($0.state, rule: $0.rule) } }

        /// The latest end among the locks now in force, if any.
        func lockedUntil(now: Date) -> Date? {
            keys.compactMap { LoginThrottle.lockedUntil($0.state, now: now) }.max()
        }
    }

    /// Counts one attempt against each key, each count one atomic statement (`LoginThrottle.recordingFailure` as
    /// an upsert), and returns the counts this attempt got. Of N simultaneous attempts each gets its own number, so
    /// at most the rule's maximum are admitted, and the one that reaches it locks the key.
    static func count(_ keys: [Key], now: Date, on database: any Database) async throws -> Counted {
        var counted: [(key: String, rule: ThrottleRule, state: ThrottleState)] = []
        for (key, rule) in keys {
            counted.append((key, rule, try await count(key, rule: rule, now: now, on: database)))
        }
        return Counted(keys: counted)
    }

    private static func count(_ key: String, rule: ThrottleRule, now: Date, on database: any Database) async throws
        -> ThrottleState
    {
        guard let sql = database as? any SQLDatabase else { throw NotSQL() }
        let lockEnd = now.addingTimeInterval(rule.lockout)
        let windowFloor = now.addingTimeInterval(-rule.window)
        // A first attempt locks at once only under a rule of one.
        let firstLock: SQLQueryString = rule.maximumFailures <= 1 ? "\(bind: lockEnd)" : "NULL"
        // Every expression reads the row as it was: locked now, window (or an old lock) over, or counting on.
        let locked: SQLQueryString = "login_attempts.locked_until > \(bind: now)"
        let over: SQLQueryString =
            "login_attempts.locked_until IS NOT NULL OR login_attempts.window_start <= \(bind: windowFloor)"
        let rows = try await sql.raw("""
            INSERT INTO login_attempts (id, key, failures, window_start, locked_until)
            VALUES (\(bind: UUID()), \(bind: key), 1, \(bind: now), \(firstLock))
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE
                    WHEN \(locked) THEN CASE WHEN login_attempts.failures < \(bind: LoginThrottle.ceiling)
                        THEN login_attempts.failures + 1 ELSE login_attempts.failures END
                    WHEN \(over) THEN 1
                    ELSE login_attempts.failures + 1 END,
                window_start = CASE
                    WHEN \(locked) THEN login_attempts.window_start
                    WHEN \(over) THEN \(bind: now)
                    ELSE login_attempts.window_start END,
                locked_until = CASE
                    WHEN \(locked) THEN login_attempts.locked_until
                    WHEN \(over) THEN \(firstLock)
                    WHEN login_attempts.failures + 1 >= \(bind: rule.maximumFailures) THEN \(bind: lockEnd)
                    ELSE NULL END
            RETURNING failures, window_start, locked_until
            """).all()
        guard let row = rows.first else { throw NotSQL() }
        return ThrottleState(
            failures: try row.decode(column: "failures", as: Int.self),
            windowStart: try row.decode(column: "window_start", as: Date.self),
            lockedUntil: try row.decode(column: "locked_until", as: Date?.self))
    }

    /// A successful sign-in: the account's count is cleared, and the address gets this attempt back (one success
    /// must not hide a sweep, nor count as a guess), while the window it was counted in is still running.
    static func signedIn(_ counted: Counted, now: Date, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw NotSQL() }
        for (key, rule, _) in counted.keys {
            if key.hasPrefix("account:") {
                try await sql.raw("DELETE FROM login_attempts WHERE key = \(bind: key)").run()
            } else {
                try await sql.raw("""
                    UPDATE login_attempts SET
                        failures = failures - 1,
                        locked_until = CASE WHEN failures - 1 < \(bind: rule.maximumFailures) THEN NULL ELSE locked_until END
                    WHERE key = \(bind: key) AND failures > 0 AND window_start > \(bind: now.addingTimeInterval(-rule.window))
                    """).run()
            }
        }
    }

    /// Deletes counters whose window and lock ended before `cutoff`: they no longer limit anything.
    static func prune(before cutoff: Date, on database: any Database) async throws {
        try await LoginAttemptModel.query(on: database).filter(\.$windowStart < cutoff)
            .group(.or) { $0.filter(\.$lockedUntil == nil).filter(\.$lockedUntil < cutoff) }
            .delete()
    }

    struct NotSQL: Error {}
}
