import App
import Foundation
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        let config: AppConfig
        do {
            config = try AppConfig.load(from: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(2)
        }
        var environment = try Environment.detect()
        // Reads LOG_LEVEL (validated above) or a `--log` flag; every line carries the request id as metadata.
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        // Errors end the process with one logged line and an exit code, not a backtrace: they are for the person
        // who started it (a database that is down, a command typed wrongly).
        do {
            try await configure(app, config: config)
            if Self.isServing(environment.arguments) {
                try await prepareDatabase(app)
                enableInProcessWorker(app)
            }
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            exit(1)
        }
        do {
            try await app.execute()  // logs its own errors
        } catch {
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }

    /// `motcua` and `motcua serve ...` serve; every other command (`migrate`, `seed`, ...) does its own work.
    private static func isServing(_ arguments: [String]) -> Bool {
        guard let command = arguments.dropFirst().first else { return true }
        return command == "serve" || command.hasPrefix("-")
    }
}
