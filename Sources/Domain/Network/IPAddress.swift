import Foundation

/// An IPv4 or IPv6 address read from text, without the system resolver: the form proxies write in
/// `X-Forwarded-For` and `Forwarded`, and the form operators write in `MOTCUA_TRUSTED_PROXIES`.
///
/// Kept as 128 bits; an IPv4 address is its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `192.0.2.1` and
/// `::ffff:192.0.2.1` (how a dual-stack socket reports an IPv4 peer) are the same address.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    private static let mappedPrefix: UInt64 = 0x0000_FFFF_0000_0000

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Reads `192.0.2.1`, `2001:db8::1`, `::ffff:192.0.2.1`; also the bracketed and port-carrying forms proxies
    /// write (`[2001:db8::1]:4711`, `192.0.2.1:4711`). Nil for anything else, including zone ids (`fe80::1%eth0`),
    /// host names and `unknown`.
    public init?(_ text: some StringProtocol) {
        var text = Substring(text)
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || Self.isPort(rest) else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
            guard let parsed = Self.parseIPv6(text) else { return nil }
            self = parsed
            return
        }
        if let v4 = Self.parseIPv4(text) {
            self.init(high: 0, low: Self.mappedPrefix | UInt64(v4))
            return
        }
        // `a.b.c.d:port`: one colon, after a dotted address.
        if let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...].firstIndex(of: ":") == nil {
            guard Self.isPort(text[colon...]), let v4 = Self.parseIPv4(text[..<colon]) else { return nil }
            self.init(high: 0, low: Self.mappedPrefix | UInt64(v4))
            return
        }
        guard let parsed = Self.parseIPv6(text) else { return nil }
        self = parsed
    }

    /// The IPv4 address, when this is one (or its mapped form).
    public var ipv4: UInt32? {
        guard high == 0, low >> 32 == 0x0000_FFFF else { return nil }
        return UInt32(truncatingIfNeeded: low)
    }

    public var isLoopback: Bool {
        if let v4 = ipv4 { return v4 >> 24 == 127 }
        return high == 0 && low == 1
    }

    /// Dotted for IPv4, otherwise the canonical text of RFC 5952 (lower case, the longest run of two or more zero
    /// groups, the first of equals, written `::`): one text per address, so stable for use as a key.
    public var description: String {
        if let v4 = ipv4 {
            return "\(v4 >> 24).\((v4 >> 16) & 0xFF).\((v4 >> 8) & 0xFF).\(v4 & 0xFF)"
        }
        let groups = (0..<8).map { index -> UInt64 in
            let word = index < 4 ? high : low
            return (word >> UInt64((3 - index % 4) * 16)) & 0xFFFF
        }
        var best = (start: 0, length: 0)
        var run = (start: 0, length: 0)
        for (index, group) in groups.enumerated() {
            run = group == 0 ? (run.length == 0 ? (index, 1) : (run.start, run.length + 1)) : (0, 0)
            if run.length > best.length { best = run }
        }
        let text = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return text.joined(separator: ":") }
        let head = text[..<best.start].joined(separator: ":")
        let tail = text[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }

    // MARK: - Parsing

    private static func isPort(_ text: Substring) -> Bool {
        guard text.first == ":" else { return false }
        let digits = text.dropFirst()
        return (1...5).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            // No leading zeros: `010` means octal to some parsers and decimal to others.
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    private static func parseIPv6(_ text: Substring) -> IPAddress? {
        guard text.contains(":"), !text.contains("%") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (position, item) in items.enumerated() {
                if allowIPv4Tail, position == items.count - 1, item.contains(".") {
                    guard let v4 = parseIPv4(item) else { return nil }
                    result.append(UInt16(truncatingIfNeeded: v4 >> 16))
                    result.append(UInt16(truncatingIfNeeded: v4))
                    continue
                }
                guard (1...4).contains(item.count), item.allSatisfy(\.isHexDigit), let group = UInt16(item, radix: 16)
                else { return nil }
                result.append(group)
            }
            return result
        }
        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowIPv4Tail: true), only.count == 8 else { return nil }
            all = only
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, group) in all.enumerated() {
            if index < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
        }
        return IPAddress(high: high, low: low)
    }
}

/// A block of addresses in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`), or one address.
public struct AddressRange: Hashable, Sendable, CustomStringConvertible {
    public let network: IPAddress
    /// Leading bits that must match, out of 128 (an IPv4 `/n` is `/96+n` of its mapped form).
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let address = IPAddress(first) else { return nil }
        let isV4 = address.ipv4 != nil && !first.contains(":")
        let width = isV4 ? 32 : 128
        var length = width
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let parsed = Int(parts[1]), parsed <= width
            else { return nil }
            length = parsed
        }
        prefixLength = (isV4 ? 96 : 0) + length
        network = Self.masked(address, prefixLength)
    }

    public func contains(_ address: IPAddress) -> Bool {
        Self.masked(address, prefixLength) == network
    }

    public var description: String {
        network.ipv4 != nil && prefixLength >= 96 ? "\(network)/\(prefixLength - 96)" : "\(network)/\(prefixLength)"
    }

    private static func masked(_ address: IPAddress, _ length: Int) -> IPAddress {
        func mask(_ bits: Int) -> UInt64 {
            bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits))
        }
        return IPAddress(high: address.high & mask(length), low: address.low & mask(length - 64))
    }
}

/// Which address a request came from, when proxies stand in front of the server.
///
/// Forwarding headers are believed only when the socket's peer is a trusted proxy, and then read from the right
/// (the hop nearest to us) to the left, skipping trusted proxies: the first address that is not trusted is the
/// client. Anything to its left was written by the client and proves nothing. A value that is not an address
/// (`unknown`, an obfuscated name, garbage) ends the walk at the last trusted hop, since nothing further is known.
public enum ClientAddress {
    public static func resolve(peer: IPAddress?, forwarded hops: [String], trusted: [AddressRange]) -> IPAddress? {
        guard let peer else { return nil }
        func isTrusted(_ address: IPAddress) -> Bool { trusted.contains { $0.contains(address) } }
        guard isTrusted(peer) else { return peer }
        var nearest = peer
        for hop in hops.reversed() {
            guard let address = IPAddress(hop.trimmingCharacters(in: .whitespaces)) else { return nearest }
            guard isTrusted(address) else { return address }
            nearest = address
        }
        return nearest
    }

    /// The hops of `X-Forwarded-For` header lines, in order (several lines join as one list).
    public static func hops(xForwardedFor lines: [String]) -> [String] {
        lines.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The `for=` hops of RFC 7239 `Forwarded` header lines, in order; an element without `for=` counts as an
    /// unknown hop. Quotes are removed (`for="[2001:db8::1]:4711"`).
    public static func hops(forwarded lines: [String]) -> [String] {
        var hops: [String] = []
        for line in lines {
            for element in line.split(separator: ",", omittingEmptySubsequences: false) {
                var hop = "unknown"
                for pair in element.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { continue }
                    var value = parts[1].trimmingCharacters(in: .whitespaces)
                    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                        value = String(value.dropFirst().dropLast())
                    }
                    hop = value
                }
                hops.append(hop)
            }
        }
        return hops
    }
}
