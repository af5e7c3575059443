import NIOConcurrencyHelpers
import Vapor

/// Requests being handled, so that shutting down waits for them before the databases close.
///
/// On SIGTERM the server stops accepting and, after its shutdown timeout, closes the connections, but a handler
/// still running (a registration waiting for bcrypt behind sixty others) goes on, and its next `req.db` found the
/// databases gone: Fluent force-unwraps there, and the whole process trapped instead of exiting cleanly.
/// `InFlightRequests` counts handlers in and out; its lifecycle handler, which runs before Fluent's (handlers
/// shut down in reverse order of registration), waits until none is left.
final class InFlightRequests: AsyncMiddleware, LifecycleHandler, Sendable {
    /// The longest a shutdown waits for handlers; a deployment's own stop timeout should be longer.
    static let longestWait: Duration = .seconds(60)

    private let count = NIOLockedValueBox(0)

    var current: Int { count.withLockedValue { $0 } }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        count.withLockedValue { $0 += 1 }
        defer { count.withLockedValue { $0 -= 1 } }
        return try await next.respond(to: request)
    }

    func shutdownAsync(_ application: Application) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: Self.longestWait)
        guard current > 0 else { return }
        application.logger.notice("waiting for requests in flight before closing the databases", metadata: [
            "requests": "\(current)",
        ])
        while current > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if current > 0 {
            application.logger.error("shutting down with requests still in flight", metadata: ["requests": "\(current)"])
        }
    }
}
