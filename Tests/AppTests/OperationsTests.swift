import Domain
import Testing
import VaporTesting

@testable import App

@Suite struct OperationsTests {
    @Test func healthAndReadinessAnswerWithARequestID() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/healthz") { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "ok\n")
                #expect(response.headers.first(name: "X-Request-Id")?.isEmpty == false)
            }
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func aRequestIDSentByTheCallerComesBack() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/healthz", headers: ["X-Request-Id": "abc-123"]) { response in
                #expect(response.headers.first(name: "X-Request-Id") == "abc-123")
            }
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        try await withTestApp { app in
            app.config.metricsToken = "scraper-token-0123456789"
            try await app.testing().test(.GET, "/healthz") { _ in }
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer scraper-token-0123456789"]) { response in
                #expect(response.status == .ok)
                let text = response.body.string
                #expect(text.contains(#"http_requests_total{method="GET",path="/healthz",status="200"}"#))
                #expect(text.contains("http_request_duration_seconds_bucket"))
                #expect(text.contains("motcua_database_pool_connections_max"))
            }
        }
    }

    @Test func metricsAreForThisHostOrTheScrapersTokenOnly() async throws {
        try await withTestApp { app in
            // A real socket: the peer is 127.0.0.1.
            try await app.testing(method: .running(port: 0)).test(.GET, "/metrics") { response in
                #expect(response.status == .ok)
            }
            try await app.testing(method: .running(port: 0)).test(.GET, "/metrics", headers: ["X-Forwarded-For": "203.0.113.9"]) { response in
                #expect(response.status == .unauthorized)
            }
            app.config.metricsToken = "scraper-token-0123456789"
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer wrong-token"]) { response in
                #expect(response.status == .unauthorized)
                #expect(!response.body.string.contains("http_requests_total"))
            }
            try await app.testing().test(.GET, "/metrics") { response in
                #expect(response.status == .unauthorized)
            }
            // With a token configured, being on this host is not enough (a proxy here makes everyone local).
            try await app.testing(method: .running(port: 0)).test(.GET, "/metrics") { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func theLanguageSwitchReturnsOnlyToAPathOnThisSite() async throws {
        try await withTestApp { app in
            for next in ["//evil.example/", "/%09/evil.example", "/%0A/evil.example", "https://evil.example/", "/\\evil.example"] {
                try await app.testing().test(.GET, "/language/en?next=\(next)") { response in
                    #expect(response.headers.first(name: .location) == "/", "\(next)")
                }
            }
            try await app.testing().test(.GET, "/language/en?next=/procedures%3Fq%3Dkhai") { response in
                #expect(response.headers.first(name: .location) == "/procedures?q=khai")
            }
        }
    }

    @Test func theOpenAPIDocumentIsServed() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/api/v1/openapi.yaml") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("openapi: 3."))
                #expect(response.body.string.contains("/api/v1/procedures/{code}"))
            }
        }
    }

    @Test func securityHeadersAreOnEveryResponse() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/no-such-page") { response in
                #expect(response.status == .notFound)
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: .strictTransportSecurity) == nil)
            }
            // A client's own X-Forwarded-Proto proves nothing: HSTS needs TLS, or a trusted proxy saying so.
            try await app.testing().test(.GET, "/healthz", headers: ["X-Forwarded-Proto": "https"]) { response in
                #expect(response.headers.first(name: .strictTransportSecurity) == nil)
            }
            app.config.trustedProxies = [try #require(AddressRange("10.0.0.0/8"))]
            let proxied = try await app.respond(.GET, "/healthz", headers: ["X-Forwarded-Proto": "https"], from: "10.1.2.3")
            #expect(proxied.headers.first(name: .strictTransportSecurity)?.hasPrefix("max-age=") == true)
            let direct = try await app.respond(.GET, "/healthz", headers: ["X-Forwarded-Proto": "https"], from: "203.0.113.9")
            #expect(direct.headers.first(name: .strictTransportSecurity) == nil)
        }
    }
}

@Suite struct TransferTests {
    @Test func theStylesheetIsCachedByBrowsers() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/css/site.css") { response in
                #expect(response.status == .ok)
                #expect(response.headers.first(name: .cacheControl) == "public, max-age=86400")
            }
            try await app.testing().test(.GET, "/healthz") { response in
                #expect(response.headers.first(name: .cacheControl) == nil)
            }
        }
    }

    @Test func pagesAreCompressedForClientsThatAsk() async throws {
        try await withTestApp(seed: seedSample) { app in
            let port = Int.random(in: 20_000...40_000)
            try await app.testing(method: .running(hostname: "127.0.0.1", port: port))
                .test(.GET, "/procedures?q=khai+sinh", headers: ["Accept-Encoding": "gzip"]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: .contentEncoding) == "gzip")
                }
        }
    }
}

@Suite struct OpenAPIDocumentTests {
    /// A new API route without its description in openapi.yaml fails here.
    @Test func everyAPIAndOperationsRouteIsDescribed() async throws {
        try await withTestApp { app in
            let document = try String(
                contentsOfFile: app.directory.workingDirectory + "openapi.yaml", encoding: .utf8)
            // "GET /api/v1/officers" for every operation: a path line, then its method lines.
            var described: Set<String> = []
            var path = ""
            for line in document.split(separator: "\n") {
                if line.hasPrefix("  /"), line.hasSuffix(":") {
                    path = String(line.dropFirst(2).dropLast())
                } else if let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                    described.insert(method.uppercased() + " " + path)
                }
            }
            let routes = app.routes.all.map { route in
                route.method.rawValue + " /" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
            }.filter { $0.contains(" /api/") || ["GET /healthz", "GET /readyz", "GET /metrics"].contains($0) }
            #expect(routes.count >= 7)
            for route in routes {
                #expect(described.contains(route), "\(route) is not in openapi.yaml")
            }
        }
    }
}
