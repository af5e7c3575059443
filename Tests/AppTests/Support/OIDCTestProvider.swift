import Foundation
import NIOCore
import NIOPosix
import Testing
import VaporTesting

@testable import App

/// A real OpenID Connect provider (oidc-provider-mock, PyPI) in a child process on a free port: discovery, JWKS,
/// the authorization and token endpoints, RS256 ID tokens. Its signing key is new on every start.
final class OIDCTestProvider {
    let port: Int
    let issuer: String
    private let process: Process

    /// Whether these tests can run here: python3 imports oidc_provider_mock. `.ci/run` installs it and sets
    /// `MOTCUA_REQUIRE_OIDC_PROVIDER=1`, so in CI a missing package fails instead of skipping.
    static let isAvailable: Bool = {
        if ProcessInfo.processInfo.environment["MOTCUA_REQUIRE_OIDC_PROVIDER"] == "1" { return true }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import oidc_provider_mock"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }()

    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    /// `tokenLifetime` in seconds (ID tokens expire after it).
    init(tokenLifetime: Int = 3600) async throws {
        port = try await SMTPTestServer.freePort()
        issuer = "http://127.0.0.1:\(port)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-W", "ignore", "-m", "oidc_provider_mock", "-p", "\(port)", "-H", "127.0.0.1", "-n", "true",
            "-e", "\(tokenLifetime)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if let socket = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            {
                try? await socket.close()
                return
            }
            guard process.isRunning else { throw StartupError(description: "oidc-provider-mock exited at start") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw StartupError(description: "oidc-provider-mock did not listen within 10 s")
    }

    /// Kills the server outright: a graceful uvicorn shutdown waits for every keep-alive connection to close.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
