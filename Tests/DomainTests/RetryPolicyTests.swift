import Domain
import Testing

@Suite struct RetryPolicyTests {
    @Test func delaysDoubleFromTheBaseUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 20, baseDelay: 30, maxDelay: 600)
        let delays = (1...7).map { policy.next(afterFailedAttempt: $0) }
        #expect(delays == [30, 60, 120, 240, 480, 600, 600].map { .retry(after: $0) })
    }

    @Test func theLastAttemptAndPermanentFailuresGoToTheDeadLetters() {
        let policy = RetryPolicy(maxAttempts: 3)
        #expect(policy.next(afterFailedAttempt: 2) != .deadLetter)
        #expect(policy.next(afterFailedAttempt: 3) == .deadLetter)
        #expect(policy.next(afterFailedAttempt: 1, permanent: true) == .deadLetter)
    }

    @Test func hugeAttemptNumbersDoNotOverflow() {
        let policy = RetryPolicy(maxAttempts: .max, baseDelay: 30, maxDelay: 3600)
        #expect(policy.next(afterFailedAttempt: 10_000) == .retry(after: 3600))
    }
}
