import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import NIOPosix
import Vapor

/// Wires the application: database, migrations, templates, middleware and routes. `config` is read once by the
/// caller (`AppConfig.load`), so tests can pass their own.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config
    app.logger.logLevel = config.logLevel
    // Database queries (SQLite runs them on these threads) and file reads get threads of their own, one more than
    // SQLite has connections plus one for files, so a connection holding the write lock always finds a thread
    // while another waits for that lock; bcrypt has its own (`passwordHashing`).
    app.threadPool = NIOThreadPool(numberOfThreads: System.coreCount + 2)
    app.startPasswordHashing()
    try app.loadPasswordPolicy()
    try app.loadAdministrativeUnits()

    // Under a burst, a request waits up to this long for a pooled connection before it is told to try again (503).
    let poolWait = TimeAmount.seconds(Int64(config.databaseWait))
    // On SQLite a writer waits as long for the write lock: the same burst, seen from inside the database.
    let lockWait = Duration.seconds(config.databaseWait)
    switch config.database {
    case .sqlite(let path):
        app.databases.use(
            SQLiteWriters.configuration(
                .sqlite(.file(path), connectionPoolTimeout: poolWait, sqlLogLevel: .trace), busyTimeout: lockWait),
            as: .sqlite)
        try await SQLiteWriters.prepareConnections(of: app, busyTimeout: lockWait)
    case .sqliteInMemory:
        app.databases.use(
            SQLiteWriters.configuration(
                .sqlite(.memory, connectionPoolTimeout: poolWait, sqlLogLevel: .trace), busyTimeout: lockWait),
            as: .sqlite)
        try await SQLiteWriters.prepareConnections(of: app, busyTimeout: lockWait, durable: false)
    case .postgres(let url, let schema):
        var postgres = try SQLPostgresConfiguration(url: url)
        postgres.searchPath = schema.map { [$0] }
        // PostgreSQL runs queries side by side: a few connections per event loop keep one slow transaction from
        // holding up every request on its loop.
        app.databases.use(
            .postgres(
                configuration: postgres, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: poolWait,
                sqlLogLevel: .trace),
            as: .psql)
    }
    Migrations.register(on: app)

    app.views.use(.leaf)
    app.leaf.tags["t"] = LocalizedTag()
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.localization = try Localization(directory: app.directory.resourcesDirectory + "Localization/")
    app.catalogue = CatalogueService(refreshInterval: .seconds(config.catalogueRefreshInterval))
    _ = MetricsRegistry.shared
    app.jobs.register(EmailJob())
    app.jobs.register(CalendarChangedJob())
    app.jobs.register(PasswordResetRequestJob())
    app.jobs.register(AuditVerifyJob())
    if let smtp = try SMTPMailTransport(config, eventLoopGroup: app.eventLoopGroup, logger: app.logger) {
        app.mailTransport = smtp
    }
    app.agencyTree = AgencyTreeCache()
    app.calendars = CalendarService()
    app.oidcProvider = config.oidc.map(OIDCProvider.init(config:))
    // Outgoing HTTP (the identity provider): many servers close an idle keep-alive connection after 5 s (uvicorn,
    // Apache). Reusing one at the moment the server closes it fails the request ("I/O on closed channel"), more
    // often the busier this host is; closing our side first avoids the race.
    app.http.client.configuration.connectionPool.idleTimeout = .seconds(3)

    // Slow mobile links: compress when the client asks (pages shrink about four times).
    app.http.server.configuration.responseCompression = .enabled(initialByteBufferCapacity: 1024)
    // A connection that says nothing for this long is closed, so idle or stalled clients cannot hold sockets.
    app.http.server.configuration.idleTimeout = .seconds(Int64(config.idleTimeout))

    // Order matters: the request id goes on every response, errors become pages or JSON, paths with control bytes
    // are refused, static files are served
    // before anything reads a session or token (a stylesheet needs no database query), then access is decided.
    app.middleware = Middlewares()
    // Outermost, and registered as a lifecycle handler after the databases, so that shutting down waits for every
    // handler still running before they close.
    let inFlight = InFlightRequests()
    app.middleware.use(inFlight)
    app.lifecycle.use(inFlight)
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorMiddleware())
    app.middleware.use(PathGuardMiddleware())
    app.middleware.use(StaticCacheMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    // Sessions, anti-forgery tokens, API tokens and access are per kind of route: see `routes`.

    try routes(app)
    registerCommands(app)
}
