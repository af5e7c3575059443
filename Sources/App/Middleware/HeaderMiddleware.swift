import Vapor

/// Puts the request id on every response, so a citizen's report or a load balancer log can be matched to our
/// logs, where the same id is on every line (`request-id`). An incoming `X-Request-Id` (a proxy's) is kept only
/// when it is short and plain (letters, digits, `-`, `_`, `.`, `:`; at most 64): anything else, which would be
/// copied into every log line and echoed back, is replaced by a new one.
struct RequestIDMiddleware: AsyncMiddleware {
    static let maximumLength = 64

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Vapor took the header as it came; replace it where it was used, before anything logs.
        let id = Self.isAcceptable(request.id) ? request.id : UUID().uuidString
        if id != request.id { request.logger[metadataKey: "request-id"] = .string(id) }
        request.requestID = id
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: id)
        return response
    }

    static func isAcceptable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maximumLength
            && id.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
            }
    }
}

extension Request {
    private struct RequestIDKey: StorageKey {
        typealias Value = String
    }

    /// The id of this request as logged and answered (`RequestIDMiddleware`).
    var requestID: String {
        get { storage[RequestIDKey.self] ?? id }
        set { storage[RequestIDKey.self] = newValue }
    }
}

/// Refuses a path that holds a control byte once decoded (`/favicon.svg%00.html`): no file or route has one, and
/// passed on, a NUL cuts the name a file is opened by while its extension still picks the content type. Also
/// refuses addresses longer than any page needs (the text of a query is also capped per parameter).
struct PathGuardMiddleware: AsyncMiddleware {
    static let maximumPathBytes = 2048
    static let maximumQueryBytes = 4096

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        let decoded = path.removingPercentEncoding ?? path
        if decoded.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw UserError(.invalidParameter(name: "path", problem: .controlCharacters))
        }
        // No page or API call needs more: a longer address is refused before anything compares or folds it.
        if path.utf8.count > Self.maximumPathBytes {
            throw UserError(.invalidParameter(name: "path", problem: .tooLong(max: Self.maximumPathBytes)))
        }
        if (request.url.query?.utf8.count ?? 0) > Self.maximumQueryBytes {
            throw UserError(.invalidParameter(name: "query", problem: .tooLong(max: Self.maximumQueryBytes)))
        }
        // A NUL in a query parameter is refused here, named, before a handler sees it: no parameter takes one,
        // PostgreSQL cannot compare with one (it fails the whole statement), and C libraries cut a string at it.
        // Form and JSON fields are judged by their own validation, which names every problem at once.
        if let query = request.url.query, let name = Self.fieldWithNUL(query) {
            throw UserError(.invalidParameter(name: name, problem: .controlCharacters))
        }
        return try await next.respond(to: request)
    }

    /// The name of the first `name=value` pair of a query whose name or value holds a NUL once decoded.
    static func fieldWithNUL(_ encoded: String) -> String? {
        guard encoded.contains("%00") || encoded.utf8.contains(0) else { return nil }
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (parts[1].removingPercentEncoding ?? String(parts[1])) : ""
            if name.utf8.contains(0) || value.utf8.contains(0) {
                let clean = String(name.unicodeScalars.filter { $0.value >= 0x20 }.map(Character.init))
                return clean.isEmpty ? "query" : String(clean.prefix(64))
            }
        }
        return nil
    }
}

/// Security headers on every response. No inline script anywhere, so the policy can forbid it.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ("X-Frame-Options", "DENY"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        // A page or answer for someone signed in (or an integration) is theirs alone: no shared or browser cache
        // keeps it, so the back button on a shared commune computer does not show the last person's data.
        if request.account != nil || request.apiToken != nil || response.headers.setCookie?[Sessions.cookieName] != nil {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        // Only over TLS: HSTS sent over plain HTTP would be ignored, and on a LAN test install it would be wrong.
        if request.isSecure {
            response.headers.replaceOrAdd(name: .strictTransportSecurity, value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}

/// Lets browsers keep the stylesheet and icon for a day: on a slow link every saved request counts. The ETag that
/// `FileMiddleware` sends makes a changed file show up after that.
struct StaticCacheMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let path = request.url.path
        if response.status == .ok, path.hasPrefix("/css/") || path == "/favicon.svg" {
            response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=86400")
        }
        return response
    }
}
