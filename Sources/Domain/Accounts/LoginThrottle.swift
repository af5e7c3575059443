import Foundation

/// Failed sign-ins counted for one key (an account's email, or a network address) within a window.
public struct ThrottleState: Sendable, Equatable {
    public var failures: Int
    public var windowStart: Date
    public var lockedUntil: Date?

    public init(failures: Int, windowStart: Date, lockedUntil: Date? = nil) {
        self.failures = failures
        self.windowStart = windowStart
        self.lockedUntil = lockedUntil
    }
}

/// How many failures a key may have in a window before it is locked, and for how long.
public struct ThrottleRule: Sendable, Equatable {
    public var maximumFailures: Int
    public var window: TimeInterval
    public var lockout: TimeInterval

    /// Guessing one person's password: five tries in a quarter of an hour.
    public static let account = ThrottleRule(maximumFailures: 5, window: 15 * 60, lockout: 15 * 60)
    /// One address trying many accounts; looser, since a commune office or a mobile carrier shares addresses.
    public static let address = ThrottleRule(maximumFailures: 30, window: 15 * 60, lockout: 15 * 60)
    /// "Forgot your password" requests from one address, each counted whatever it asked about: enough for a
    /// commune office helping its residents, not for filling the outbox.
    public static let resetRequests = ThrottleRule(maximumFailures: 20, window: 3600, lockout: 3600)
}

public enum LoginThrottle {
    /// When the key is locked at `now`, the moment the lock ends.
    public static func lockedUntil(_ state: ThrottleState?, now: Date) -> Date? {
        guard let until = state?.lockedUntil, until > now else { return nil }
        return until
    }

    /// The state after one more failure at `now`: a new window when the old one is over, locked once the rule's
    /// maximum is reached.
    public static func recordingFailure(_ state: ThrottleState?, rule: ThrottleRule, now: Date) -> ThrottleState {
        // A failure while locked changes nothing: the lock must not be shortened by trying again.
        if let state, lockedUntil(state, now: now) != nil { return state }
        var next: ThrottleState
        if let state, state.lockedUntil == nil, now.timeIntervalSince(state.windowStart) < rule.window {
            next = state
            next.failures += 1
        } else {
            next = ThrottleState(failures: 1, windowStart: now)
        }
        if next.failures >= rule.maximumFailures {
            next.lockedUntil = now.addingTimeInterval(rule.lockout)
        }
        return next
    }
}
