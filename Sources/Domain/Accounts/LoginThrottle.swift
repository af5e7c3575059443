import Foundation

/// Attempts counted for one key (an account's email, a network address) within a window.
public struct ThrottleState: Sendable, Equatable {
    /// Attempts in the window, counted before each is judged; a successful sign-in takes its own back.
    public var failures: Int
    public var windowStart: Date
    public var lockedUntil: Date?

    public init(failures: Int, windowStart: Date, lockedUntil: Date? = nil) {
        self.failures = failures
        self.windowStart = windowStart
        self.lockedUntil = lockedUntil
    }
}

/// How many attempts a key may have in a window before it is locked, and for how long.
public struct ThrottleRule: Sendable, Equatable {
    public var maximumFailures: Int
    public var window: TimeInterval
    public var lockout: TimeInterval

    public init(maximumFailures: Int, window: TimeInterval, lockout: TimeInterval) {
        self.maximumFailures = maximumFailures
        self.window = window
        self.lockout = lockout
    }

    /// Guessing one person's password: five tries in a quarter of an hour.
    public static let account = ThrottleRule(maximumFailures: 5, window: 15 * 60, lockout: 15 * 60)
    /// One address trying many accounts; looser, since a commune office or a mobile carrier shares addresses.
    public static let address = ThrottleRule(maximumFailures: 30, window: 15 * 60, lockout: 15 * 60)
    /// "Forgot your password" requests from one address, each counted whatever it asked about: enough for a
    /// commune office helping its residents, not for filling the outbox.
    public static let resetRequests = ThrottleRule(maximumFailures: 20, window: 3600, lockout: 3600)
    /// Complete registrations sent from one address (each tells whether its ID or email is taken), as many as
    /// sign-ins from an address, which tell as much.
    public static let registrations = ThrottleRule(maximumFailures: 30, window: 15 * 60, lockout: 15 * 60)
}

/// The throttle's rules. An attempt is counted *before* it is judged, in the same step that reads the count, so
/// that simultaneous attempts cannot all read "four so far" and all go ahead: each gets its own number, and only
/// those numbered within the rule's maximum are judged at all.
public enum LoginThrottle {
    /// The count never grows past this, whatever an attacker sends during a lock.
    public static let ceiling = 1_000_000

    /// When the key is locked at `now`, the moment the lock ends.
    public static func lockedUntil(_ state: ThrottleState?, now: Date) -> Date? {
        guard let until = state?.lockedUntil, until > now else { return nil }
        return until
    }

    /// The state after one more attempt at `now`: a new window when the old one (or a lock) is over; locked once the
    /// rule's maximum is reached. During a lock the attempt is counted (it is refused) and the lock is unchanged:
    /// trying again neither shortens nor lengthens it.
    public static func recordingFailure(_ state: ThrottleState?, rule: ThrottleRule, now: Date) -> ThrottleState {
        if let state, lockedUntil(state, now: now) != nil {
            var next = state
            next.failures = min(state.failures, ceiling - 1) + 1
            return next
        }
        var next: ThrottleState
        if let state, state.lockedUntil == nil, now.timeIntervalSince(state.windowStart) < rule.window {
            next = state
            next.failures = min(state.failures, ceiling - 1) + 1
        } else {
            next = ThrottleState(failures: 1, windowStart: now)
        }
        if next.failures >= rule.maximumFailures {
            next.lockedUntil = now.addingTimeInterval(rule.lockout)
        }
        return next
    }

    /// Whether the attempt whose counting produced `state` may go ahead: its number is within the maximum. The
    /// attempt that reaches the maximum is judged (and locks the key); every later one is refused unjudged.
    public static func admits(_ state: ThrottleState, rule: ThrottleRule) -> Bool {
        state.failures <= rule.maximumFailures
    }

    /// The state after an admitted attempt succeeded and takes its count back: one fewer, and no lock if the count
    /// is then below the maximum (the lock was its own doing).
    public static func refunding(_ state: ThrottleState, rule: ThrottleRule) -> ThrottleState {
        var next = state
        next.failures = max(1, state.failures) - 1
        if next.failures < rule.maximumFailures { next.lockedUntil = nil }
        return next
    }
}
