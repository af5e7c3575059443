import Foundation
import NIOCore
import NIOPosix

/// A real SMTP server (aiosmtpd, via Tests/AppTests/Fixtures/smtp_server.py) in a child process, with a fresh
/// self-signed certificate for localhost/127.0.0.1. Call ``stop()`` when done.
final class SMTPTestServer {
    enum Mode: String {
        case plain, starttls, tls
    }

    /// One delivered message as Python's `email` package decoded it.
    struct ReceivedMessage: Decodable {
        let mailFrom: String
        let rcptTos: [String]
        let from: String
        let to: String
        let subject: String
        let messageId: String
        let body: String
        let raw: String
        let tls: Bool
        let authenticated: Bool
    }

    struct StartupError: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    /// PEM of the server's self-signed certificate, for the client's trust roots.
    let certificatePath: String
    private let directory: URL
    private let process: Process

    init(mode: Mode, username: String? = nil, password: String? = nil, excludeMechanisms: [String] = []) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificatePath = directory.appendingPathComponent("cert.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        try Self.run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", keyPath, "-out", certificatePath, "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        port = try await Self.freePort()

        let script = Fixtures.path("smtp_server.py")
        var arguments = [
            "python3", script, "--port", "\(port)", "--outdir", directory.path, "--mode", mode.rawValue,
            "--cert", certificatePath, "--key", keyPath, "--lifetime", "120",
        ]
        if let username, let password { arguments += ["--auth", "\(username):\(password)"] }
        for mechanism in excludeMechanisms { arguments += ["--exclude-mechanism", mechanism] }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let log = directory.appendingPathComponent("server.log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw StartupError(description: "cannot create \(log.path)")
        }
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        try await waitUntilReady()
    }

    /// Messages received so far, in arrival order.
    func messages() throws -> [ReceivedMessage] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("message-") && $0.hasSuffix(".json") }
            .sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
            .map {
                try decoder.decode(ReceivedMessage.self, from: Data(contentsOf: directory.appendingPathComponent($0)))
            }
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The script creates `ready` once aiosmtpd has confirmed it accepts connections.
    private func waitUntilReady() async throws {
        let ready = directory.appendingPathComponent("ready").path
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: ready) { return }
            guard process.isRunning else {
                let log =
                    (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
                throw StartupError(
                    description:
                        "smtp_server.py exited (is aiosmtpd installed? pip install -r Tests/AppTests/Fixtures/requirements.txt):\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw StartupError(description: "smtp_server.py did not become ready within 10 s")
    }

    /// A port that was free a moment ago: bind to port 0, note what the kernel picked, release it.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw StartupError(description: "no local port") }
        return port
    }

    /// Whether the real-server tests can run here: python3 imports aiosmtpd. `.ci/run` installs it and sets
    /// `MOTCUA_REQUIRE_SMTP_SERVER=1`, so in CI a missing package fails the suite instead of skipping it.
    static let isAvailable: Bool =
        ProcessInfo.processInfo.environment["MOTCUA_REQUIRE_SMTP_SERVER"] == "1"
        || (try? run("/usr/bin/env", ["python3", "-c", "import aiosmtpd"])) != nil

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StartupError(
                description: "\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}

/// A scripted SMTP peer for dialogues aiosmtpd won't produce: it answers each command by its verb.
enum ScriptedSMTPServer {
    /// Listens on 127.0.0.1; `greeting` nil means the server accepts connections but never speaks.
    static func start(greeting: String?, replies: [String: String]) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(greeting: greeting, replies: replies))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let greeting: String?
        private let replies: [String: String]
        private var buffer = ByteBuffer()
        private var receivingData = false

        init(greeting: String?, replies: [String: String]) {
            self.greeting = greeting
            self.replies = replies
        }

        func channelActive(context: ChannelHandlerContext) {
            if let greeting { send(greeting, context: context) }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            buffer.writeBuffer(&bytes)
            while let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")),
                let line = buffer.readString(length: end - buffer.readerIndex + 1)?.trimmingCharacters(in: .newlines)
            {
                if receivingData {
                    if line == "." {
                        receivingData = false
                        send(replies["."] ?? "250 2.0.0 Queued", context: context)
                    }
                    continue
                }
                let verb = String(line.prefix { $0 != " " }).uppercased()
                let reply = replies[verb] ?? "500 5.5.2 Unknown command"
                receivingData = verb == "DATA" && reply.hasPrefix("354")
                send(reply, context: context)
            }
        }

        private func send(_ reply: String, context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply + "\r\n")), promise: nil)
        }
    }
}
