import Domain
import NIOCore
import Vapor

extension Request {
    private struct ClientAddressKey: StorageKey {
        typealias Value = IPAddress
    }

    /// The socket's peer, as an address (nil for a Unix socket or a test request without one).
    var socketAddress: IPAddress? {
        remoteAddress?.ipAddress.flatMap { IPAddress($0) }
    }

    /// Whether the socket's peer is one of `MOTCUA_TRUSTED_PROXIES`: only then are forwarding headers believed.
    var isFromTrustedProxy: Bool {
        guard let peer = socketAddress else { return false }
        return application.config.trustedProxies.contains { $0.contains(peer) }
    }

    /// The address this request came from, for throttles and logs: the socket's peer, or, when that peer is a
    /// trusted proxy, the first untrusted hop of its forwarding headers read from the right (`ClientAddress`).
    /// A client's own `X-Forwarded-For` is never believed. Nil only when the socket has no IP address.
    var clientAddress: IPAddress? {
        if let cached = storage[ClientAddressKey.self] { return cached }
        guard let peer = socketAddress else { return nil }
        var address = peer
        if isFromTrustedProxy {
            // Only the header the proxy writes (`MOTCUA_FORWARDED_HEADER`): proxies append to their own header and
            // pass the other through as the client sent it, so reading it would let the client pick its address.
            let hops = switch application.config.forwardedHeader {
            case .xForwardedFor: ClientAddress.hops(xForwardedFor: headers[.xForwardedFor])
            case .forwarded: ClientAddress.hops(forwarded: headers[.forwarded])
            }
            address =
                ClientAddress.resolve(peer: peer, forwarded: hops, trusted: application.config.trustedProxies) ?? peer
        }
        storage[ClientAddressKey.self] = address
        return address
    }

    /// Whether the browser reached us over TLS: directly, through a trusted proxy that says so, or because the site's
    /// public address is https (a proxy terminates TLS in front of us).
    var isSecure: Bool {
        if url.scheme == "https" || application.config.publicURL.hasPrefix("https://") { return true }
        return isFromTrustedProxy && headers.first(name: .xForwardedProto)?.lowercased() == "https"
    }
}
