import Foundation
import Testing

@testable import Domain

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func failures(_ count: Int, every seconds: TimeInterval, rule: ThrottleRule = .account) -> ThrottleState? {
        var state: ThrottleState?
        for attempt in 0..<count {
            state = LoginThrottle.recordingFailure(state, rule: rule, now: start.addingTimeInterval(Double(attempt) * seconds))
        }
        return state
    }

    @Test func theFifthFailureInAQuarterHourLocksForAQuarterHour() {
        let four = failures(4, every: 60)
        #expect(LoginThrottle.lockedUntil(four, now: start.addingTimeInterval(240)) == nil)
        let five = failures(5, every: 60)
        let fifthAt = start.addingTimeInterval(240)
        #expect(LoginThrottle.lockedUntil(five, now: fifthAt) == fifthAt.addingTimeInterval(900))
        #expect(LoginThrottle.lockedUntil(five, now: fifthAt.addingTimeInterval(899)) != nil)
        #expect(LoginThrottle.lockedUntil(five, now: fifthAt.addingTimeInterval(900)) == nil)
    }

    @Test func failuresSpreadBeyondTheWindowNeverLock() {
        let slow = failures(20, every: 16 * 60)
        #expect(slow?.failures == 1)
        #expect(slow?.lockedUntil == nil)
    }

    @Test func afterALockEndsCountingStartsAgain() {
        let locked = failures(5, every: 1)
        let later = start.addingTimeInterval(2_000)
        let next = LoginThrottle.recordingFailure(locked, rule: .account, now: later)
        #expect(next == ThrottleState(failures: 1, windowStart: later))
    }

    @Test func tryingAgainDuringALockDoesNotShortenIt() {
        let locked = failures(5, every: 1)
        let during = LoginThrottle.recordingFailure(locked, rule: .account, now: start.addingTimeInterval(60))
        #expect(during == locked)
    }

    @Test func addressesGetMoreTriesThanAccounts() {
        #expect(LoginThrottle.lockedUntil(failures(5, every: 1, rule: .address), now: start.addingTimeInterval(5)) == nil)
        #expect(LoginThrottle.lockedUntil(failures(30, every: 1, rule: .address), now: start.addingTimeInterval(30)) != nil)
    }
}
