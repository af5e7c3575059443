import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import Vapor

/// Wires the application: database, migrations, templates, middleware and routes. `config` is read once by the
/// caller (`AppConfig.load`), so tests can pass their own.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config
    app.logger.logLevel = config.logLevel

    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url, let schema):
        var postgres = try SQLPostgresConfiguration(url: url)
        postgres.searchPath = schema.map { [$0] }
        app.databases.use(.postgres(configuration: postgres, sqlLogLevel: .trace), as: .psql)
    }
    Migrations.register(on: app)

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.localization = try Localization(directory: app.directory.resourcesDirectory + "Localization/")
    app.catalogue = CatalogueService(refreshInterval: .seconds(config.catalogueRefreshInterval))
    _ = MetricsRegistry.shared
    app.jobs.register(EmailJob())
    app.jobs.register(CalendarChangedJob())
    app.jobs.register(PasswordResetRequestJob())
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

    // Order matters: the request id goes on every response, errors become pages or JSON, static files are served
    // before anything reads a session or token (a stylesheet needs no database query), then access is decided.
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorMiddleware())
    app.middleware.use(StaticCacheMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(CSRFMiddleware())
    app.middleware.use(SessionMiddleware())
    app.middleware.use(BearerTokenMiddleware())
    app.middleware.use(AccessMiddleware())

    try routes(app)
    registerCommands(app)
}

enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(CreateAgency())
        app.migrations.add(CreateProcedure())
        app.migrations.add(CreateProcedureVersion())
        app.migrations.add(CreateAccount())
        app.migrations.add(CreateSession())
        app.migrations.add(CreateLoginAttempt())
        app.migrations.add(CreateMembership())
        app.migrations.add(CreateAPIToken())
        app.migrations.add(CreateJob())
        app.migrations.add(AddAccountLanguage())
        app.migrations.add(CreateNotification())
        app.migrations.add(CreatePasswordReset())
        app.migrations.add(CreateOIDCLogin())
        app.migrations.add(CreateAuditLog())
        app.migrations.add(CreateCalendarAdjustment())
        app.migrations.add(AddAgencyOfficeHours())
        app.migrations.add(AddProcedurePauseRule())
    }
}
