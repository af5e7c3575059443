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

    @Test func tryingAgainDuringALockIsRefusedAndNeitherShortensNorLengthensIt() throws {
        let locked = try #require(failures(5, every: 1))
        #expect(LoginThrottle.admits(locked, rule: .account), "the fifth attempt is judged, and locks")
        let during = LoginThrottle.recordingFailure(locked, rule: .account, now: start.addingTimeInterval(60))
        #expect(during.lockedUntil == locked.lockedUntil)
        #expect(during.failures == 6)
        #expect(!LoginThrottle.admits(during, rule: .account))
    }

    @Test func simultaneousAttemptsEachGetTheirOwnNumberSoOnlyTheMaximumAreJudged() {
        // Counted before judging: fifty attempts at one instant are numbered 1 to 50.
        var state: ThrottleState?
        var admitted = 0
        for _ in 0..<50 {
            let next = LoginThrottle.recordingFailure(state, rule: .account, now: start)
            if LoginThrottle.admits(next, rule: .account) { admitted += 1 }
            state = next
        }
        #expect(admitted == 5)
        #expect(LoginThrottle.lockedUntil(state, now: start) == start.addingTimeInterval(900))
    }

    @Test func aSuccessTakesItsOwnCountBackAndLiftsOnlyTheLockItCaused() throws {
        let four = try #require(failures(4, every: 1, rule: .address))
        #expect(LoginThrottle.refunding(four, rule: .address).failures == 3)
        let locking = try #require(failures(30, every: 1, rule: .address))
        #expect(locking.lockedUntil != nil)
        #expect(LoginThrottle.refunding(locking, rule: .address).lockedUntil == nil)
        // A lock reached by others' failures stays.
        let beyond = LoginThrottle.recordingFailure(locking, rule: .address, now: start.addingTimeInterval(31))
        #expect(LoginThrottle.refunding(beyond, rule: .address).lockedUntil != nil)
    }

    @Test func addressesGetMoreTriesThanAccounts() {
        #expect(LoginThrottle.lockedUntil(failures(5, every: 1, rule: .address), now: start.addingTimeInterval(5)) == nil)
        #expect(LoginThrottle.lockedUntil(failures(30, every: 1, rule: .address), now: start.addingTimeInterval(30)) != nil)
    }
}
