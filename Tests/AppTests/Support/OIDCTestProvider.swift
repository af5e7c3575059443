import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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

    /// `tokenLifetime` in seconds (ID tokens expire after it). A free port can be taken by another test's server
    /// between choosing it and binding it, so the provider counts as started only when *it* answers discovery with
    /// its own issuer; otherwise it starts again on another port.
    init(tokenLifetime: Int = 3600) async throws {
        for _ in 0..<3 {
            let port = try await SMTPTestServer.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", "-W", "ignore", "-m", "oidc_provider_mock", "-p", "\(port)", "-H", "127.0.0.1", "-n", "true",
                "-e", "\(tokenLifetime)",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let issuer = "http://127.0.0.1:\(port)"
            if try await Self.answers(issuer, while: process) {
                self.port = port
                self.issuer = issuer
                self.process = process
                return
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        throw StartupError(description: "oidc-provider-mock did not start on a free port in three tries")
    }

    /// Whether discovery at `issuer` names that issuer, polling for up to 15 s while `process` runs.
    private static func answers(_ issuer: String, while process: Process) async throws -> Bool {
        guard let url = URL(string: issuer + "/.well-known/openid-configuration") else { return false }
        for _ in 0..<300 {
            guard process.isRunning else { return false }
            if let (data, _) = try? await URLSession.shared.data(from: url),
                let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            {
                return document["issuer"] as? String == issuer
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Kills the server outright: a graceful uvicorn shutdown waits for every keep-alive connection to close.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
