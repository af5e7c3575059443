import NIOConcurrencyHelpers
import Vapor

/// Runs a job worker beside the web server, started when the application boots and stopped, after its current
/// job, when it shuts down.
final class InProcessWorker: LifecycleHandler, Sendable {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func didBootAsync(_ application: Application) async throws {
        let worker = JobWorker(application: application)
        task.withLockedValue { $0 = Task { await worker.run() } }
    }

    func shutdownAsync(_ application: Application) async {
        guard let running = task.withLockedValue({ $0 }) else { return }
        running.cancel()
        await running.value
    }
}

/// Lets `motcua serve` run the worker in-process (unless `MOTCUA_WORKER=off`).
public func enableInProcessWorker(_ app: Application) {
    guard app.config.runsWorker else { return }
    app.lifecycle.use(InProcessWorker())
}

/// `motcua worker`: runs only the job worker, until interrupted. Start as many as the load needs, on any hosts
/// that reach the database; set `MOTCUA_WORKER=off` on the web servers then.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Runs the job worker (emails and other queued work) until interrupted." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let worker = JobWorker(application: app)
        let running = Task { await worker.run() }
        // Stop on Ctrl-C or SIGTERM, after the job in hand.
        let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { running.cancel() }
            source.resume()
            return source
        }
        await running.value
        signals.forEach { $0.cancel() }
    }
}
