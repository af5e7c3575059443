import Fluent
import FluentSQLiteDriver
import SQLKit
import Vapor

/// SQLite with writers that wait for each other instead of failing.
///
/// Fluent begins SQLite transactions with a plain `BEGIN`, which takes no lock until the first write. Two such
/// transactions that both read and then write deadlock on the upgrade, and SQLite resolves that by failing one at
/// once with "database is locked", without waiting (its busy handler is not consulted for an upgrade that could
/// deadlock). Under a burst of writes (sixty "forgot password" posts at once) most of them failed that way.
/// Here every transaction begins with `BEGIN IMMEDIATE`, which takes the write lock first, so writers queue on the
/// lock and each one waits up to `busyTimeout` for it. Each connection also replaces sqlite-nio's busy handler,
/// which spins on a thread without ever giving up, with SQLite's own sleeping wait.
enum SQLiteWriters {
    /// `factory`'s configuration, with immediate transactions that wait up to `busyTimeout` for another writer
    /// (the same wait a request has for a connection: `MOTCUA_DATABASE_WAIT_SECONDS`).
    static func configuration(_ factory: DatabaseConfigurationFactory, busyTimeout: Duration) -> DatabaseConfigurationFactory {
        let milliseconds = Int(busyTimeout.components.seconds) * 1000
        return DatabaseConfigurationFactory { Configuration(base: factory.make(), busyTimeoutMilliseconds: milliseconds) }
    }

    /// Sets the journal and the busy timeout on every pooled connection: the pool keeps one connection per event
    /// loop, so asking once on each loop reaches each of them.
    /// `durable: false` (the throwaway "in-memory" database, a temporary file underneath) skips the flushes to
    /// disk that make a commit survive a power cut: nothing there needs to, and under a whole test suite's load
    /// those flushes, not the queries, decide how long sixty queued writers take.
    static func prepareConnections(of app: Application, busyTimeout: Duration, durable: Bool = true) async throws {
        let milliseconds = Int(busyTimeout.components.seconds) * 1000
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let sql = app.databases.database(logger: app.logger, on: eventLoop) as? any SQLDatabase else {
                continue
            }
            // WAL lets readers go on while one writer writes; it is a property of the file, kept once set.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA busy_timeout=\(unsafeRaw: "\(milliseconds)")").run()
            if !durable { try await sql.raw("PRAGMA synchronous=OFF").run() }
        }
    }

    private struct Configuration: DatabaseConfiguration {
        var base: any DatabaseConfiguration
        var busyTimeoutMilliseconds: Int

        var middleware: [any AnyModelMiddleware] {
            get { base.middleware }
            set { base.middleware = newValue }
        }

        func makeDriver(for databases: Databases) -> any DatabaseDriver {
            Driver(base: base.makeDriver(for: databases), busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        }
    }

    private struct Driver: DatabaseDriver {
        var base: any DatabaseDriver
        var busyTimeoutMilliseconds: Int

        func makeDatabase(with context: DatabaseContext) -> any Database {
            ImmediateDatabase.wrap(base.makeDatabase(with: context), inTransaction: false, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        }

        func shutdown() { base.shutdown() }
        func shutdownAsync() async { await base.shutdownAsync() }
    }
}

/// A Fluent SQLite database whose transactions begin immediately; everything else is the driver's own.
private struct ImmediateDatabase: Database, SQLDatabase {
    /// The driver's database: pooled, or bound to one connection inside `withConnection`.
    let base: any Database & SQLDatabase
    let inTransaction: Bool
    let busyTimeoutMilliseconds: Int

    /// Wraps the driver's database; one that is not an SQL database (never, for SQLite) is used as it is.
    static func wrap(_ database: any Database, inTransaction: Bool, busyTimeoutMilliseconds: Int) -> any Database {
        guard let base = database as? any Database & SQLDatabase else { return database }
        return ImmediateDatabase(base: base, inTransaction: inTransaction, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    var context: DatabaseContext { base.context }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        base.execute(query: query, onOutput: onOutput)
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { base.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let inTransaction = self.inTransaction
        let busyTimeout = busyTimeoutMilliseconds
        return base.withConnection { connection in
            closure(Self.wrap(connection, inTransaction: inTransaction, busyTimeoutMilliseconds: busyTimeout))
        }
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        guard !inTransaction else { return closure(self) }
        let eventLoop = base.eventLoop
        let busyTimeout = busyTimeoutMilliseconds
        return base.withConnection { connection in
            guard let connection = connection as? any Database & SQLDatabase else { return connection.transaction(closure) }
            return eventLoop.makeFutureWithTask {
                let transaction = ImmediateDatabase(base: connection, inTransaction: true, busyTimeoutMilliseconds: busyTimeout)
                try await connection.raw("PRAGMA busy_timeout=\(unsafeRaw: "\(busyTimeout)")").run()
                try await connection.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await closure(transaction).get()
                    try await connection.raw("COMMIT").run()
                    return Handover(result)
                } catch {
                    try? await connection.raw("ROLLBACK").run()
                    throw error
                }
            }.map(\.value)
        }
    }

    // SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let eventLoop = base.eventLoop
        return try await withConnection { connection in
            eventLoop.makeFutureWithTask {
                guard let session = connection as? any SQLDatabase else { throw NotSQL() }
                return Handover(try await closure(session))
            }
        }.get().value
    }

    private struct NotSQL: Error {}
}

/// Carries a result that Fluent's future-based signatures do not require to be `Sendable` out of the task that
/// produced it: the value is handed over once, never shared.
private struct Handover<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
