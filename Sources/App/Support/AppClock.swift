import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The one source of "now" for rules and services (DESIGN.md §7: the clock is injected). The running server reads
/// the system's; a test sets a time and moves it, so deadlines, lock-outs and link expiry are tested without
/// waiting.
struct AppClock: Sendable {
    private let read: @Sendable () -> Date

    init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    var now: Date { read() }

    static let system = AppClock { Date() }

    /// A clock standing at `start` until a test moves it.
    static func manual(at start: Date) -> (clock: AppClock, control: ManualClock) {
        let control = ManualClock(start)
        return (AppClock { control.now }, control)
    }
}

/// The hands of a manual clock: a test sets or advances the time every later `now` reads.
final class ManualClock: Sendable {
    private let time: NIOLockedValueBox<Date>

    init(_ start: Date) {
        time = NIOLockedValueBox(start)
    }

    var now: Date { time.withLockedValue { $0 } }

    func set(_ date: Date) {
        time.withLockedValue { $0 = date }
    }

    func advance(by interval: TimeInterval) {
        time.withLockedValue { $0 = $0.addingTimeInterval(interval) }
    }
}

extension Application {
    private struct ClockKey: StorageKey {
        typealias Value = AppClock
    }

    var clock: AppClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// Now, by the application's clock.
    var now: Date { application.clock.now }
}
