import Domain
import Fluent
import Foundation

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

struct CreateLoginAttempt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttemptModel.schema)
            .id()
            .field("key", .string, .required)
            .field("failures", .int, .required)
            .field("window_start", .datetime, .required)
            .field("locked_until", .datetime)
            .unique(on: "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttemptModel.schema).delete()
    }
}

/// Counted attempts per key, for sign-in (per account and per network address) and for password reset requests
/// (per address). `LoginThrottle` decides; this stores.
enum AttemptThrottle {
    static func signInKeys(email: String, address: String?) -> [(key: String, rule: ThrottleRule)] {
        var keys = [("account:" + email, ThrottleRule.account)]
        if let address { keys.append(("address:" + address, ThrottleRule.address)) }
        return keys
    }

    static func resetRequestKeys(address: String?) -> [(key: String, rule: ThrottleRule)] {
        address.map { [("reset:" + $0, ThrottleRule.resetRequests)] } ?? []
    }

    /// The latest lock end among the keys, if any is locked now.
    static func lockedUntil(_ keys: [(key: String, rule: ThrottleRule)], now: Date, on database: any Database)
        async throws -> Date?
    {
        let rows = try await LoginAttemptModel.query(on: database).filter(\.$key ~~ keys.map(\.key)).all()
        return rows.compactMap { LoginThrottle.lockedUntil($0.state, now: now) }.max()
    }

    /// Counts one more attempt (a failed sign-in, a reset request) against each key.
    static func record(_ keys: [(key: String, rule: ThrottleRule)], now: Date, on database: any Database)
        async throws
    {
        for (key, rule) in keys {
            let row = try await LoginAttemptModel.query(on: database).filter(\.$key == key).first()
            let next = LoginThrottle.recordingFailure(row?.state, rule: rule, now: now)
            let model = row ?? LoginAttemptModel()
            model.key = key
            model.failures = next.failures
            model.windowStart = next.windowStart
            model.lockedUntil = next.lockedUntil
            try await model.save(on: database)
        }
    }

    /// A successful sign-in clears the account's count (not the address's: one success must not hide a sweep).
    static func recordSuccess(email: String, on database: any Database) async throws {
        try await LoginAttemptModel.query(on: database).filter(\.$key == "account:" + email).delete()
    }
}
