import Vapor

/// Puts the request id on every response, so a citizen's report or a load balancer log can be matched to our
/// logs, where Vapor puts the same id on every line (`request-id`). Vapor takes the id from an incoming
/// `X-Request-Id` or makes one.
struct RequestIDMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: request.id)
        return response
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
