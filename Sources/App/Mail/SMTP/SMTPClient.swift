import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

// MARK: - Configuration

/// Where and how to submit mail.
struct SMTPConfiguration: Sendable {
    enum Security: Sendable, Equatable {
        /// Plain text for the whole session. Only sensible for a relay on the same host or network.
        case none
        /// Plain connect, then `STARTTLS`; sending fails if the server does not offer it (submission, port 587).
        case startTLS
        /// TLS from the first byte (SMTPS, port 465).
        case tls

        var defaultPort: Int {
            switch self {
            case .none: 25
            case .startTLS: 587
            case .tls: 465
            }
        }
    }

    /// Login for `AUTH`. Its descriptions are redacted so logging a configuration never leaks the password.
    struct Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
        var username: String
        var password: String

        init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        var description: String { "Credentials(username: \(username), password: <redacted>)" }
        var debugDescription: String { description }
    }

    var host: String
    var port: Int
    var security: Security
    var credentials: Credentials?
    /// Sent in EHLO/HELO; RFC 5321 wants this host's fully qualified domain name.
    var heloName: String
    var connectTimeout: TimeAmount
    /// Longest wait for any single reply, including the greeting and the reply to the end of DATA.
    var commandTimeout: TimeAmount
    /// Used for `.startTLS` and `.tls`. Tests may trust a self-signed root with
    /// `additionalTrustRoots = [.file(pemPath)]`; `certificateVerification = .none` is for tests only.
    var tls: TLSConfiguration

    /// - Parameter port: defaults to 25, 587 or 465 according to `security`.
    init(
        host: String,
        port: Int? = nil,
        security: Security = .startTLS,
        credentials: Credentials? = nil,
        heloName: String = "localhost",
        connectTimeout: TimeAmount = .seconds(10),
        commandTimeout: TimeAmount = .seconds(60),
        tls: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.host = host
        self.security = security
        self.port = port ?? security.defaultPort
        self.credentials = credentials
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.tls = tls
    }

    /// Catches configurations that cannot work or are unsafe before any connection is made.
    func validate() throws(SMTPError) {
        guard !heloName.isEmpty, heloName.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidConfiguration("heloName must be a domain name or address literal")
        }
        // Like Go's net/smtp: a password goes in clear text to the local host only.
        let isLocal = ["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
        guard credentials == nil || security != .none || isLocal else {
            throw .invalidConfiguration("refusing to send credentials over an unencrypted connection")
        }
    }
}

// MARK: - Errors

/// Why sending failed, classified so a job runner can retry (``isTransient``) or dead-letter.
enum SMTPError: Error, Sendable, Equatable {
    /// The server answered `command` with an unexpected reply. 5xx is permanent; anything else (normally 4xx) is not.
    case rejected(command: String, code: Int, message: String)
    /// Could not connect (refused, unreachable, DNS, connect timeout) or the connection broke.
    case connectionFailed(String)
    /// The server closed the connection before the dialogue finished.
    case connectionClosed
    /// No reply to `command` within ``SMTPConfiguration/commandTimeout``.
    case timedOut(command: String)
    /// The TLS handshake failed, e.g. an untrusted or expired certificate. Transient because
    /// server certificates get fixed; the job should not be lost for it.
    case tlsFailed(String)
    /// `.startTLS` was configured but the server does not advertise STARTTLS.
    case startTLSNotOffered
    /// Credentials are configured but the server offers neither AUTH PLAIN nor AUTH LOGIN.
    case authenticationUnavailable(offered: [String])
    /// The configuration cannot work, e.g. an unreadable TLS trust root or credentials over plain text.
    case invalidConfiguration(String)
    /// The server's bytes are not valid SMTP (malformed or oversized reply, data injected after STARTTLS).
    case protocolViolation(String)

    /// Whether trying the same message later may succeed.
    var isTransient: Bool {
        switch self {
        case .rejected(_, let code, _): !(500...599).contains(code)
        case .connectionFailed, .connectionClosed, .timedOut, .tlsFailed, .protocolViolation: true
        case .startTLSNotOffered, .authenticationUnavailable, .invalidConfiguration: false
        }
    }

    /// Classifies errors surfacing from NIO, keeping our own as they are.
    init(_ error: any Error) {
        switch error {
        case let error as SMTPError: self = error
        case is NIOSSLError, is NIOSSLExtraError: self = .tlsFailed(String(describing: error))
        default: self = .connectionFailed(String(describing: error))
        }
    }
}

// MARK: - Client

/// Submits mail over one fresh SMTP connection per message.
struct SMTPClient: Sendable {
    let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    init(
        configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger = Logger(label: "SMTP")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Delivers `message` to every recipient or throws an ``SMTPError``. All recipients must be accepted
    /// before any data is sent, so a throw means nothing was delivered, with one exception inherent to
    /// SMTP (RFC 5321 §6.1): if the connection fails while awaiting the reply to the end of the data,
    /// the server may have taken the message and a retry may deliver it twice.
    func send(_ message: MailMessage) async throws(SMTPError) {
        try configuration.validate()
        let tlsUpgrade = try makeTLSUpgrade()
        let connection = try await connect(implicitTLS: configuration.security == .tls ? tlsUpgrade : nil)
        let session = SMTPSession(connection: connection, configuration: configuration, logger: logger)
        do {
            try await session.run(message, tlsUpgrade: tlsUpgrade)
        } catch {
            let error = SMTPError(error)
            if case .rejected = error { await session.quit() }
            connection.channel.close(promise: nil)
            throw error
        }
    }

    private func makeTLSUpgrade() throws(SMTPError) -> TLSUpgrade? {
        guard configuration.security != .none else { return nil }
        do {
            let context = try NIOSSLContext(configuration: configuration.tls)
            // SNI must not carry an IP address; NIOSSL then verifies the certificate against the peer's IP.
            let isIPAddress = (try? SocketAddress(ipAddress: configuration.host, port: 0)) != nil
            return TLSUpgrade(context: context, serverHostname: isIPAddress ? nil : configuration.host)
        } catch {
            throw SMTPError.invalidConfiguration("TLS configuration: \(error)")
        }
    }

    /// Connects; the handler is in place before the first byte arrives, so it catches the greeting.
    private func connect(implicitTLS: TLSUpgrade?) async throws(SMTPError) -> SMTPConnection {
        guard let bootstrap = ClientBootstrap(validatingGroup: eventLoopGroup) else {
            throw .invalidConfiguration("the EventLoopGroup does not support NIOPosix sockets")
        }
        let commandTimeout = configuration.commandTimeout
        do {
            // Happy Eyeballs may try several channels; this returns what the winner's initializer made.
            let bootstrap = bootstrap.connectTimeout(configuration.connectTimeout)
            return try await bootstrap.connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let implicitTLS { try pipeline.addHandler(implicitTLS.makeHandler()) }
                    let handler = SMTPClientHandler(eventLoop: channel.eventLoop, commandTimeout: commandTimeout)
                    try pipeline.addHandler(handler)
                    return SMTPConnection(
                        channel: channel, greeting: handler.greeting, closeReason: handler.closeReason)
                }
            }
        } catch {
            throw SMTPError(error)
        }
    }
}

// MARK: - Dialogue

/// A connected channel plus its handler's futures, which are Sendable and so can leave the event loop.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let greeting: EventLoopFuture<SMTPReply>
    let closeReason: EventLoopFuture<SMTPError>
}

/// The RFC 5321 command sequence over one connection; no pipelining, one command at a time.
private struct SMTPSession {
    let connection: SMTPConnection
    let configuration: SMTPConfiguration
    let logger: Logger

    private var channel: any Channel { connection.channel }

    func run(_ message: MailMessage, tlsUpgrade: TLSUpgrade?) async throws {
        try check(try await connection.greeting.get(), label: "greeting", expecting: 220...220)
        var extensions = try await hello()
        if configuration.security == .startTLS, let tlsUpgrade {
            guard extensions.supports("STARTTLS") else { throw SMTPError.startTLSNotOffered }
            try await command("STARTTLS", label: "STARTTLS", expecting: 220...220, tlsUpgrade: tlsUpgrade)
            extensions = try await hello()  // RFC 3207 §4.2: forget everything learned before TLS.
        }
        if let credentials = configuration.credentials {
            try await authenticate(credentials, mechanisms: extensions.authMechanisms)
        }
        try await command("MAIL FROM:<\(message.from.address)>", label: "MAIL FROM", expecting: 200...299)
        for recipient in message.to {
            try await command("RCPT TO:<\(recipient.address)>", label: "RCPT TO", expecting: 200...299)
        }
        try await command("DATA", label: "DATA", expecting: 354...354)
        try await exchange(dataPayload(message.rendered), label: "end of data", expecting: 200...299)
        logger.info("SMTP message accepted", metadata: ["message-id": "\(message.messageID)"])
        // The message is accepted: from here on nothing may throw, or a retry would send a duplicate.
        await quit()
        channel.close(promise: nil)
    }

    /// Best-effort polite goodbye; the server may already be gone.
    func quit() async {
        do {
            try await command("QUIT", label: "QUIT", expecting: 200...299)
        } catch {
            logger.debug("SMTP QUIT failed", metadata: ["error": "\(error)"])
        }
    }

    /// EHLO, falling back to HELO (and no extensions) for servers that reject EHLO with 5xx.
    private func hello() async throws -> ServerExtensions {
        do {
            let reply = try await command("EHLO \(configuration.heloName)", label: "EHLO", expecting: 200...299)
            return ServerExtensions(ehloReply: reply)
        } catch SMTPError.rejected(_, let code, _) where (500...599).contains(code) {
            try await command("HELO \(configuration.heloName)", label: "HELO", expecting: 200...299)
            return ServerExtensions()
        }
    }

    /// AUTH PLAIN (one round trip) when offered, else AUTH LOGIN.
    private func authenticate(_ credentials: SMTPConfiguration.Credentials, mechanisms: Set<String>) async throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            let token = base64("\0\(credentials.username)\0\(credentials.password)")
            try await command("AUTH PLAIN \(token)", label: "AUTH PLAIN", expecting: 235...235)
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", label: "AUTH LOGIN", expecting: 334...334)
            try await command(base64(credentials.username), label: "AUTH LOGIN username", expecting: 334...334)
            try await command(base64(credentials.password), label: "AUTH LOGIN password", expecting: 235...235)
        } else {
            throw SMTPError.authenticationUnavailable(offered: mechanisms.sorted())
        }
    }

    /// Sends one command line. `label` is what gets logged and reported, so it must not contain secrets.
    @discardableResult
    private func command(
        _ line: String,
        label: String,
        expecting expected: ClosedRange<Int>,
        tlsUpgrade: TLSUpgrade? = nil
    ) async throws -> SMTPReply {
        var payload = channel.allocator.buffer(capacity: line.utf8.count + 2)
        payload.writeString(line)
        payload.writeStaticString("\r\n")
        return try await exchange(payload, label: label, expecting: expected, tlsUpgrade: tlsUpgrade)
    }

    @discardableResult
    private func exchange(
        _ payload: ByteBuffer,
        label: String,
        expecting expected: ClosedRange<Int>,
        tlsUpgrade: TLSUpgrade? = nil
    ) async throws -> SMTPReply {
        let reply = channel.eventLoop.makePromise(of: SMTPReply.self)
        let request = SMTPRequest(label: label, payload: payload, reply: reply, tlsUpgrade: tlsUpgrade)
        // When the write fails (say the TLS handshake just failed and closed the channel), report why
        // the connection went away rather than the less telling write error.
        let closeReason = connection.closeReason
        channel.writeAndFlush(request).whenFailure { _ in closeReason.whenSuccess { reply.fail($0) } }
        let result = try await reply.futureResult.get()
        try check(result, label: label, expecting: expected)
        return result
    }

    private func check(_ reply: SMTPReply, label: String, expecting expected: ClosedRange<Int>) throws {
        logger.debug("SMTP reply", metadata: ["command": "\(label)", "code": "\(reply.code)"])
        guard expected.contains(reply.code) else {
            throw SMTPError.rejected(command: label, code: reply.code, message: reply.text)
        }
    }
}

/// The EHLO keywords (RFC 5321 §4.1.1.1), upper-cased, with their parameters.
private struct ServerExtensions {
    private var keywords: [String: [String]] = [:]

    init() {}

    /// The first line is the greeting; each further line is `KEYWORD [params]`.
    init(ehloReply reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            if let keyword = words.first { keywords[keyword] = Array(words.dropFirst()) }
        }
    }

    func supports(_ keyword: String) -> Bool { keywords[keyword] != nil }
    var authMechanisms: Set<String> { Set(keywords["AUTH"] ?? []) }
}

/// Applies RFC 5321 DATA transparency: every line break becomes CRLF, lines starting with "." get an
/// extra ".", and the payload ends with the `CRLF.CRLF` terminator.
func dataPayload(_ text: String) -> ByteBuffer {
    var output = ByteBuffer()
    output.reserveCapacity(text.utf8.count + text.utf8.count / 64 + 5)
    var atLineStart = true
    var previousWasCR = false
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\n") where previousWasCR:
            break  // Second half of a CRLF already written.
        case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
            output.writeStaticString("\r\n")
            atLineStart = true
        default:
            if atLineStart, byte == UInt8(ascii: ".") { output.writeInteger(UInt8(ascii: ".")) }
            output.writeInteger(byte)
            atLineStart = false
        }
        previousWasCR = byte == UInt8(ascii: "\r")
    }
    if !atLineStart { output.writeStaticString("\r\n") }
    output.writeStaticString(".\r\n")
    return output
}

// MARK: - Replies

/// One complete, possibly multi-line, server reply.
struct SMTPReply: Sendable, Equatable {
    let code: Int
    /// The text of each line, without code and separator.
    let lines: [String]

    var text: String { lines.joined(separator: "\n") }
}

/// Frames untrusted bytes into replies (RFC 5321 §4.2), with limits so a hostile server can't exhaust memory.
struct SMTPReplyParser {
    /// RFC 5321 allows 512 octets per reply line; extensions in the wild go longer, so allow generously.
    static let maxLineLength = 4096
    static let maxLinesPerReply = 256

    private var code: Int?
    private var lines: [String] = []

    /// Consumes as much of `buffer` as needed for one reply; returns nil if it needs more bytes.
    mutating func parse(_ buffer: inout ByteBuffer) throws(SMTPError) -> SMTPReply? {
        while let line = try Self.readLine(&buffer) {
            if let reply = try consume(line) { return reply }
        }
        return nil
    }

    private static func readLine(_ buffer: inout ByteBuffer) throws(SMTPError) -> [UInt8]? {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maxLineLength { throw .protocolViolation("reply line too long") }
            return nil
        }
        let length = newline - buffer.readerIndex + 1
        guard length <= maxLineLength, var line = buffer.readBytes(length: length) else {
            throw .protocolViolation("reply line too long")
        }
        line.removeLast()
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line
    }

    /// `ddd-text` continues a reply, `ddd text` or bare `ddd` ends it; all lines must share the code.
    private mutating func consume(_ line: [UInt8]) throws(SMTPError) -> SMTPReply? {
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let lineCode = Int(String(decoding: digits, as: UTF8.self)), (100...599).contains(lineCode)
        else { throw .protocolViolation("malformed reply line") }
        guard code == nil || code == lineCode else { throw .protocolViolation("reply code changed mid-reply") }
        guard lines.count < Self.maxLinesPerReply else { throw .protocolViolation("reply has too many lines") }

        let separator = line.count > 3 ? line[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw .protocolViolation("malformed reply line")
        }
        // The text ends up in errors and logs: keep it printable.
        let text = String(decoding: line.dropFirst(4), as: UTF8.self).unicodeScalars
            .map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
        code = lineCode
        lines.append(text)
        guard separator == UInt8(ascii: " ") else { return nil }

        defer { (code, lines) = (nil, []) }
        return SMTPReply(code: lineCode, lines: lines)
    }
}

// MARK: - Channel handler

/// Everything needed to put TLS on the connection; the handler itself is built on the event loop.
struct TLSUpgrade: Sendable {
    let context: NIOSSLContext
    let serverHostname: String?

    func makeHandler() throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
    }
}

/// One command (or DATA payload) and the promise for the reply it gets.
struct SMTPRequest: Sendable {
    let label: String
    let payload: ByteBuffer
    let reply: EventLoopPromise<SMTPReply>
    /// Set for STARTTLS: TLS goes into the pipeline as soon as the 220 reply is read.
    let tlsUpgrade: TLSUpgrade?
}

/// Turns bytes into replies and pairs each reply with the single outstanding request.
///
/// It frames lines itself rather than sitting behind a `ByteToMessageHandler`, so that at STARTTLS it
/// can see every byte still buffered: anything after the 220 was sent in plain text and would be
/// mistaken for a TLS-protected reply (the CVE-2011-0411 injection), so it is a protocol violation.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        let label: String
        let promise: EventLoopPromise<SMTPReply>
        let tlsUpgrade: TLSUpgrade?
        let timeout: Scheduled<Void>
    }

    private let greetingPromise: EventLoopPromise<SMTPReply>
    private let closeReasonPromise: EventLoopPromise<SMTPError>
    private let commandTimeout: TimeAmount
    private var inbound = ByteBuffer()
    private var parser = SMTPReplyParser()
    private var pending: Pending?
    /// Once set, the connection is unusable and every later request fails with it.
    private var failure: SMTPError?

    init(eventLoop: any EventLoop, commandTimeout: TimeAmount) {
        self.greetingPromise = eventLoop.makePromise()
        self.closeReasonPromise = eventLoop.makePromise()
        self.commandTimeout = commandTimeout
    }

    /// The server speaks first; its greeting is the reply to an implicit request.
    var greeting: EventLoopFuture<SMTPReply> { greetingPromise.futureResult }

    /// Succeeds with the first failure, the one that made the connection unusable. Completes at the
    /// latest when the handler leaves the pipeline, which every closed channel does.
    var closeReason: EventLoopFuture<SMTPError> { closeReasonPromise.futureResult }

    func handlerAdded(context: ChannelHandlerContext) {
        expectReply(label: "greeting", promise: greetingPromise, tlsUpgrade: nil, context: context)
    }

    /// Also reached when a connect attempt fails, so no promise is ever left uncompleted.
    func handlerRemoved(context: ChannelHandlerContext) {
        recordFailure(.connectionClosed)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionClosed, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(SMTPError(error), context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        inbound.writeBuffer(&bytes)
        do {
            while failure == nil, let reply = try parser.parse(&inbound) {
                deliver(reply, context: context)
            }
        } catch {
            fail(error, context: context)
        }
        inbound.discardReadBytes()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        let error = failure ?? (pending == nil ? nil : .protocolViolation("a command is already awaiting its reply"))
        if let error {
            request.reply.fail(error)
            promise?.fail(error)
            return
        }
        expectReply(label: request.label, promise: request.reply, tlsUpgrade: request.tlsUpgrade, context: context)
        context.write(wrapOutboundOut(request.payload), promise: promise)
    }

    private func expectReply(
        label: String,
        promise: EventLoopPromise<SMTPReply>,
        tlsUpgrade: TLSUpgrade?,
        context: ChannelHandlerContext
    ) {
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(in: commandTimeout) {
            self.fail(.timedOut(command: label), context: context)
        }
        pending = Pending(label: label, promise: promise, tlsUpgrade: tlsUpgrade, timeout: timeout)
    }

    private func deliver(_ reply: SMTPReply, context: ChannelHandlerContext) {
        guard let pending else {
            return fail(.protocolViolation("unsolicited reply \(reply.code)"), context: context)
        }
        if let tlsUpgrade = pending.tlsUpgrade, reply.code == 220 {
            guard inbound.readableBytes == 0 else {
                return fail(.protocolViolation("data received after the STARTTLS reply"), context: context)
            }
            do {
                // First in the pipeline, so every byte read from now on is decrypted before we parse it.
                try context.pipeline.syncOperations.addHandler(tlsUpgrade.makeHandler(), position: .first)
            } catch {
                return fail(SMTPError(error), context: context)
            }
        }
        self.pending = nil
        pending.timeout.cancel()
        pending.promise.succeed(reply)
    }

    /// Fails the outstanding request and closes the connection.
    private func fail(_ error: SMTPError, context: ChannelHandlerContext) {
        recordFailure(error)
        context.close(promise: nil)
    }

    /// Keeps the first failure, since later ones (such as the close it causes) are mere consequences,
    /// and fails the outstanding request with it.
    private func recordFailure(_ error: SMTPError) {
        let reason = failure ?? error
        if failure == nil {
            failure = reason
            closeReasonPromise.succeed(reason)
        }
        if let pending {
            self.pending = nil
            pending.timeout.cancel()
            pending.promise.fail(reason)
        }
    }
}
