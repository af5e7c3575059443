import NIOCore
import NIOEmbedded
import NIOSSL
import Testing

@testable import App

/// Reply framing, DATA encoding and the channel handler, driven byte by byte without a network.
@Suite struct SMTPProtocolTests {
    // MARK: Reply parser

    @Test func multiLineReplySplitAcrossReads() throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer()
        var replies: [SMTPReply] = []
        for byte in "250-mx.example.vn xin chào\r\n250-AUTH PLAIN LOGIN\n250 STARTTLS\r\n220\r\n".utf8 {
            buffer.writeInteger(byte)
            while let reply = try parser.parse(&buffer) { replies.append(reply) }
        }
        #expect(
            replies == [
                SMTPReply(code: 250, lines: ["mx.example.vn xin chào", "AUTH PLAIN LOGIN", "STARTTLS"]),
                SMTPReply(code: 220, lines: [""]),
            ])
    }

    @Test(arguments: ["hello\r\n", "25\r\n", "250x\r\n", "999 no\r\n", "250-a\r\n251 b\r\n"])
    func malformedReplyIsAProtocolViolation(_ input: String) {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: input)
        #expect(throws: SMTPError.self) {
            while try parser.parse(&buffer) != nil {}
        }
    }

    @Test func endlessLineIsRejectedBeforeItExhaustsMemory() {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "250 " + String(repeating: "x", count: SMTPReplyParser.maxLineLength))
        #expect(throws: SMTPError.protocolViolation("reply line too long")) { try parser.parse(&buffer) }
    }

    @Test func controlCharactersInReplyTextAreNeutralised() throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "550 bad\u{1B}[31m\0user\r\n")
        #expect(try parser.parse(&buffer)?.text == "bad?[31m?user")
    }

    // MARK: DATA transparency

    @Test func dataPayloadNormalisesLineEndingsAndStuffsDots() {
        func payload(_ text: String) -> String { String(buffer: dataPayload(text)) }
        #expect(payload("a\n.b\r\n..c\r.\n") == "a\r\n..b\r\n...c\r\n..\r\n.\r\n")
        #expect(payload("no final newline") == "no final newline\r\n.\r\n")
        #expect(payload("") == ".\r\n")
        #expect(payload(".") == "..\r\n.\r\n")
    }

    // MARK: Channel handler

    @Test func startTLSPutsTLSFirstInThePipeline() throws {
        let (channel, _) = try connectedChannel()
        let reply = try request("STARTTLS", on: channel, tlsUpgrade: makeTLSUpgrade())
        #expect(String(buffer: try #require(try channel.readOutbound(as: ByteBuffer.self))) == "STARTTLS\r\n")

        try channel.writeInbound(ByteBuffer(string: "220 2.0.0 Ready to start TLS\r\n"))

        #expect(try reply.wait().code == 220)
        // TLS must sit between the socket and the reply parser, so that what we parse is decrypted.
        let handlerOrder = channel.pipeline.debugDescription.split(separator: "\n").compactMap { line in
            ["NIOSSLClientHandler", "SMTPClientHandler"].first { line.contains($0) }
        }
        #expect(handlerOrder == ["NIOSSLClientHandler", "SMTPClientHandler"])
        // The next bytes on the wire are a TLS handshake record (content type 22), not SMTP.
        let clientHello = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(clientHello.getInteger(at: clientHello.readerIndex, as: UInt8.self) == 22)
    }

    @Test func plaintextInjectedAfterStartTLSReplyIsRejected() throws {
        let (channel, _) = try connectedChannel()
        let reply = try request("STARTTLS", on: channel, tlsUpgrade: makeTLSUpgrade())

        try channel.writeInbound(ByteBuffer(string: "220 Ready\r\n250 injected before TLS\r\n"))

        #expect(throws: SMTPError.protocolViolation("data received after the STARTTLS reply")) { try reply.wait() }
        #expect(throws: (any Error).self) {
            try channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self)
        }
        #expect(!channel.isActive)
    }

    @Test func silentServerTimesOut() throws {
        let channel = EmbeddedChannel()
        let handler = SMTPClientHandler(eventLoop: channel.eventLoop, commandTimeout: .seconds(30))
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 25)).wait()

        channel.embeddedEventLoop.advanceTime(by: .seconds(31))

        #expect(throws: SMTPError.timedOut(command: "greeting")) { try handler.greeting.wait() }
        #expect(!channel.isActive)
    }

    @Test func unsolicitedReplyPoisonsTheConnection() throws {
        let (channel, _) = try connectedChannel()
        try channel.writeInbound(ByteBuffer(string: "250 nobody asked\r\n"))

        let reply = try request("NOOP", on: channel)
        #expect(throws: SMTPError.protocolViolation("unsolicited reply 250")) { try reply.wait() }
    }

    @Test func closedConnectionFailsTheOutstandingRequest() throws {
        let (channel, _) = try connectedChannel()
        let reply = try request("MAIL FROM:<a@example.vn>", on: channel)

        channel.pipeline.fireChannelInactive()

        #expect(throws: SMTPError.connectionClosed) { try reply.wait() }
    }

    // MARK: Helpers

    /// An embedded channel whose handler has already consumed a 220 greeting.
    private func connectedChannel() throws -> (EmbeddedChannel, SMTPClientHandler) {
        let channel = EmbeddedChannel()
        let handler = SMTPClientHandler(eventLoop: channel.eventLoop, commandTimeout: .seconds(30))
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 25)).wait()
        try channel.writeInbound(ByteBuffer(string: "220 mx.example.vn ESMTP\r\n"))
        #expect(try handler.greeting.wait().code == 220)
        return (channel, handler)
    }

    private func request(
        _ line: String, on channel: EmbeddedChannel, tlsUpgrade: TLSUpgrade? = nil
    ) throws -> EventLoopFuture<SMTPReply> {
        let reply = channel.eventLoop.makePromise(of: SMTPReply.self)
        let request = SMTPRequest(
            label: line, payload: ByteBuffer(string: line + "\r\n"), reply: reply, tlsUpgrade: tlsUpgrade)
        channel.writeAndFlush(request, promise: nil)
        return reply.futureResult
    }

    private func makeTLSUpgrade() throws -> TLSUpgrade {
        TLSUpgrade(
            context: try NIOSSLContext(configuration: .makeClientConfiguration()), serverHostname: "mx.example.vn")
    }
}
