import Foundation

/// When a failed job runs again, and when it stops trying. Exponential backoff: the n-th retry waits
/// `base · 2^(n-1)`, capped, so a mail server that is down for an hour is tried a handful of times, not thousands.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; after the last failure the job is dead-lettered for a person to see.
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 8, baseDelay: TimeInterval = 30, maxDelay: TimeInterval = 6 * 3600) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(self.baseDelay, maxDelay)
    }

    public enum Next: Sendable, Equatable {
        /// Try again after this many seconds.
        case retry(after: TimeInterval)
        /// Give up: the job goes to the dead-letter state.
        case deadLetter
    }

    /// What to do after attempt number `attempt` (1 for the first) failed; a permanent failure is never retried.
    public func next(afterFailedAttempt attempt: Int, permanent: Bool = false) -> Next {
        guard !permanent, attempt < maxAttempts else { return .deadLetter }
        // 2^(attempt-1) without overflow: past 2^40 the cap has long been reached.
        let exponent = min(max(attempt, 1) - 1, 40)
        let delay = baseDelay * Double(1 << exponent)
        return .retry(after: min(delay, maxDelay))
    }
}
