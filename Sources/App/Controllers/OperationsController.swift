import Fluent
import Metrics
import Prometheus
import SQLKit
import Vapor

/// The process-wide metrics registry. swift-metrics can be bootstrapped once per process, and tests build many
/// applications in one process, so the registry is a lazily made singleton.
enum MetricsRegistry {
    static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()
}

enum OperationsController {
    /// The process is up.
    @Sendable static func healthz(req: Request) async throws -> Response {
        Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: "ok\n"))
    }

    /// The database answers.
    @Sendable static func readyz(req: Request) async throws -> Response {
        let started = ContinuousClock.now
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
            try await sql.raw("SELECT 1").run()
            let elapsed = ContinuousClock.now - started
            Metrics.Timer(label: "motcua_database_ping_seconds").recordNanoseconds(Int64(elapsed / .nanoseconds(1)))
            return Response(
                status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: "ready\n"))
        } catch {
            req.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
            return Response(
                status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8"],
                body: .init(string: "database unavailable\n"))
        }
    }

    /// Prometheus text: requests by route and status, latency histograms, the database pool and ping.
    @Sendable static func metrics(req: Request) async throws -> Response {
        let driver = switch req.application.config.database {
        case .sqlite, .sqliteInMemory: "sqlite"
        case .postgres: "postgres"
        }
        // Both drivers keep at most one connection per event loop (Fluent's default pool size).
        let eventLoops = req.application.eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 }
        Gauge(label: "motcua_database_pool_connections_max", dimensions: [("driver", driver)]).record(eventLoops)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16_384)
        MetricsRegistry.shared.emit(into: &buffer)
        return Response(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(data: Data(buffer)))
    }
}

enum OpenAPIController {
    /// The OpenAPI document of the API, served from the repository's `openapi.yaml`.
    @Sendable static func document(req: Request) async throws -> Response {
        let path = req.application.directory.workingDirectory + "openapi.yaml"
        guard let data = FileManager.default.contents(atPath: path) else {
            req.logger.error("openapi.yaml missing", metadata: ["path": "\(path)"])
            throw Abort(.internalServerError)
        }
        return Response(
            status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: .init(data: data))
    }
}

enum LanguageController {
    /// `GET /language/{code}?next=/path`: remembers the language in a cookie and returns to the page.
    @Sendable static func choose(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        guard let language = Language(rawValue: code) else {
            throw UserError(.invalidParameter(name: "code", problem: .notOneOf(Language.allCases.map(\.rawValue))))
        }
        let next = (try? req.query.get(String.self, at: "next")) ?? SiteURL.home.path
        // Only a path on this site: never an open redirect to another host.
        // Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would become "//evil.example".
        let safe = next.hasPrefix("/") && !next.hasPrefix("//") && !next.contains("\\")
            && !next.unicodeScalars.contains { CharacterSet.whitespacesAndNewlines.union(.controlCharacters).contains($0) }
        let target = safe ? next : SiteURL.home.path
        // A signed-in person's choice also decides the language of the emails and notifications they get. That is a
        // stored setting, and this is a GET: it is saved only when the browser says the person clicked the switch on
        // this site or typed the address (Fetch Metadata), never for a link or image on another site. The cookie
        // alone changes this browser's pages either way.
        let fetchedFrom = req.headers.first(name: "Sec-Fetch-Site")
        if let account = req.account, account.language != language.rawValue,
            fetchedFrom == "same-origin" || fetchedFrom == "none"
        {
            account.language = language.rawValue
            try await account.save(on: req.db)
        }
        let response = req.redirect(to: target)
        response.cookies[Language.cookieName] = HTTPCookies.Value(
            string: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", isSecure: false, isHTTPOnly: true,
            sameSite: .lax)
        return response
    }
}
