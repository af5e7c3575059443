import AsyncKit
import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Where the App suites run: in-memory SQLite by default; PostgreSQL when `MOTCUA_TEST_POSTGRES_URL` is set
/// (localhost only), each test in a schema of its own that is dropped afterwards.
enum TestDatabase {
    static let postgresURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["MOTCUA_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        let host = URL(string: url)?.host ?? ""
        precondition(
            ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host),
            "MOTCUA_TEST_POSTGRES_URL must point at localhost: tests drop schemas")
        return url
    }()
}

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

/// Runs `test` against a freshly configured and migrated application: an empty database, or a copy of
/// `template` (made once per process). `seed` loads data first.
@discardableResult
func withTestApp<T>(
    configuring: ((inout AppConfig) -> Void)? = nil,
    template: TestTemplate? = nil,
    seed: ((Application) async throws -> Void)? = nil,
    _ test: (Application) async throws -> T
) async throws -> T {
    var schema: String?
    // bcrypt at its minimum cost: the tests check behaviour; Benchmarks/login-cost.sh measures the real cost.
    var config = AppConfig(database: .sqliteInMemory, seed: .none, logLevel: .warning, bcryptCost: 4)
    // The whole suite starts at once on two cores: a request may wait for a connection far longer than a server
    // under real load would, and the bursts the tests send must not be cut off by the production wait.
    config.databaseWait = 300
    var made: TemplateLocation?
    if let template { made = try await TemplateStore.shared.location(of: template, config: config) }
    configuring?(&config)
    var copy: String?
    if let url = TestDatabase.postgresURL {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        schema = String(name)
        config.database = .postgres(url: url, schema: String(name))
    } else if case .sqlite(let path) = made {
        let file = NSTemporaryDirectory() + "motcua_test_\(UUID().uuidString).sqlite"
        try TemplateStore.copySQLite(path, to: file)
        copy = file
        config.database = .sqlite(path: file)
    }
    defer { if let copy { try? TemplateStore.removeSQLite(at: copy) } }
    return try await withApp(configure: { app in
        do {
            try await configure(app, config: config)
            if copy != nil {
                // A throwaway copy: no flushes to disk, like the in-memory database of the other tests.
                try await SQLiteWriters.prepareConnections(
                    of: app, busyTimeout: .seconds(config.databaseWait), durable: false)
            }
            // A test that sets a short pool wait (to see a busy answer) must not fail before it starts: the whole
            // suite opening connections at once on two cores can keep its first one waiting longer than that.
            for attempt in 1...5 {
                do {
                    if let schema, let sql = app.db as? any SQLDatabase {
                        if case .postgres(let template) = made {
                            // From scratch on each attempt: an attempt cut off by a pool wait may have copied part.
                            try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
                            try await sql.raw("CREATE SCHEMA \(ident: schema)").run()
                            try await TemplateStore.copyPostgres(template, into: schema, sql)
                        } else {
                            try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
                        }
                    }
                    try await app.autoMigrate()
                    break
                } catch is ConnectionPoolTimeoutError where attempt < 5 {
                    continue
                }
            }
            try await seed?(app)
        } catch {
            // PostgreSQL's errors describe themselves generically unless asked: say what really happened.
            Issue.record("setting up the test app failed: \(String(reflecting: error))")
            throw error
        }
    }) { app in
        do {
            let result = try await test(app)
            try await dropSchema(schema, app)
            return result
        } catch {
            try? await dropSchema(schema, app)
            throw error
        }
    }
}

private func dropSchema(_ schema: String?, _ app: Application) async throws {
    guard let schema, let sql = app.db as? any SQLDatabase else { return }
    try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
}

/// Seeds the ministries and the sample catalogue (birth registration and its neighbours, one construction
/// procedure with a fee) from the fixtures: real portal records.
func seedSample(_ app: Application) async throws {
    try await AgencySeeder.ensureMinistries(try Seeder(app: app).ministries(), on: app.db)
    _ = try await Seeder(app: app).importer()
        .importFiles([Fixtures.path("bo-tu-phap.jsonl"), Fixtures.path("bo-xay-dung.jsonl")])
    try await app.catalogue.reload(on: app.db)
}

extension TestingHTTPResponse {
    /// The body decoded as JSON into `T`, or a test failure.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }
}

/// Demo agencies and accounts (bcrypt cost 4), and an officer in Đà Nẵng — someone no Hà Nội admin may see.
func seedDemoPeople(_ app: Application) async throws {
    try await Seeder(app: app).seedAgencies()
    try await Seeder(app: app).seedDemoAccounts(cost: 4)
    let danang = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "48.STP").first())
    let officer = AccountModel()
    officer.kind = .officer
    officer.fullName = "Trần Thị Đà Nẵng"
    officer.email = "specialist.danang@example.vn"
    officer.phone = "0905000000"
    officer.language = "vi"
    officer.passwordHash = "unusable"
    try await officer.create(on: app.db)
    try await MembershipModel(accountID: officer.requireID(), agencyID: danang.id, role: .specialist).create(on: app.db)
}

/// A job that died after its attempts with `error`; `payload` "{}" plays one whose private content was blanked.
@discardableResult
func storeDeadJob(_ app: Application, kind: String, payload: String, error: String) async throws -> UUID {
    let job = JobModel()
    job.kind = kind
    job.payload = payload
    job.state = .dead
    job.attempts = 8
    job.maxAttempts = 8
    job.runAt = Date().addingTimeInterval(-60)
    job.lastError = error
    job.finishedAt = Date()
    try await job.create(on: app.db)
    return try job.requireID()
}

extension Application {
    /// Sends a request through the whole responder (middleware, routes) as if it came from `address`:
    /// VaporTesting's in-memory requests have no peer address, which the throttles and proxy rules need.
    func respond(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
        from address: String?
    ) async throws -> (status: HTTPStatus, headers: HTTPHeaders, body: String) {
        var headers = headers
        headers.replaceOrAdd(name: .contentLength, value: "\(body?.readableBytes ?? 0)")
        let request = Request(
            application: self, method: method, url: URI(string: path), headers: headers, collectedBody: body,
            remoteAddress: try address.map { try SocketAddress(ipAddress: $0, port: 40_000) }, logger: logger,
            on: eventLoopGroup.next())
        let response = try await responder.respond(to: request).get()
        let collected = try await response.body.collect(on: request.eventLoop).get()
        return (response.status, response.headers, collected.map { String(buffer: $0) } ?? "")
    }
}
