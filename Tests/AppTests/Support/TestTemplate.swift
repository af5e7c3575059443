import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// A migrated database seeded once per test process and copied for each test that asks for it, so the 3,365
/// units of the agency tree are inserted once instead of once per test.
///
/// On SQLite the template is a file that each test copies; on PostgreSQL it is a schema whose tables each test's
/// schema copies (rows, indexes, defaults, then the foreign keys). The copy runs before the test's app is
/// configured, so the app starts on the seeded database as it would in production.
enum TestTemplate: Sendable {
    /// The demo agencies and accounts and an officer in Đà Nẵng: `seedDemoPeople`.
    case demoPeople

    fileprivate var seed: @Sendable (Application) async throws -> Void {
        switch self {
        case .demoPeople: seedDemoPeople
        }
    }

    fileprivate var name: String {
        switch self {
        case .demoPeople: "demo"
        }
    }
}

/// Where a made template lives.
enum TemplateLocation: Sendable {
    case sqlite(path: String)
    case postgres(schema: String)
}

/// Makes each template once, for the whole process, whichever test asks first.
actor TemplateStore {
    static let shared = TemplateStore()

    private var made: [String: Task<TemplateLocation, any Error>] = [:]

    func location(of template: TestTemplate, config: AppConfig) async throws -> TemplateLocation {
        if let task = made[template.name] { return try await task.value }
        let task = Task { try await Self.make(template, config: config) }
        made[template.name] = task
        return try await task.value
    }

    /// Named after this process, so that templates of processes that have ended can be told apart and removed.
    private static let owner = "\(ProcessInfo.processInfo.processIdentifier)"
    private static let prefix = "motcua_template_"

    private static func make(_ template: TestTemplate, config base: AppConfig) async throws -> TemplateLocation {
        var config = base
        let location: TemplateLocation
        if let url = TestDatabase.postgresURL {
            let schema = prefix + template.name + "_" + owner
            location = .postgres(schema: schema)
            config.database = .postgres(url: url, schema: schema)
        } else {
            removeEndedSQLiteTemplates()
            let path = NSTemporaryDirectory() + prefix + template.name + "_" + owner + ".sqlite"
            try? removeSQLite(at: path)
            location = .sqlite(path: path)
            config.database = .sqlite(path: path)
        }
        try await withApp(configure: { app in
            try await configure(app, config: config)
            if case .postgres(let schema) = location, let sql = app.db as? any SQLDatabase {
                try await dropEndedPostgresTemplates(sql)
                try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
                try await sql.raw("CREATE SCHEMA \(ident: schema)").run()
            }
            try await app.autoMigrate()
            try await template.seed(app)
        }) { app in
            // Everything into the main file, so that a copy of that one file is the whole database.
            if case .sqlite = location, let sql = app.db as? any SQLDatabase {
                try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
            }
        }
        return location
    }

    /// Copies the template into the test's database before its app starts: a file copy on SQLite, a schema copy on
    /// PostgreSQL (through `sql`, connected with the test's schema first on its search path).
    static func copySQLite(_ path: String, to copy: String) throws {
        try FileManager.default.copyItem(atPath: path, toPath: copy)
    }

    static func copyPostgres(_ template: String, into schema: String, _ sql: any SQLDatabase) async throws {
        struct Table: Decodable { var tablename: String }
        struct ForeignKey: Decodable { var table: String, name: String, definition: String }
        let tables = try await sql.raw("SELECT tablename FROM pg_tables WHERE schemaname = \(bind: template)")
            .all(decoding: Table.self)
        for table in tables {
            try await sql.raw(
                "CREATE TABLE \(ident: schema).\(ident: table.tablename) (LIKE \(ident: template).\(ident: table.tablename) INCLUDING ALL)"
            ).run()
            try await sql.raw(
                "INSERT INTO \(ident: schema).\(ident: table.tablename) SELECT * FROM \(ident: template).\(ident: table.tablename)"
            ).run()
        }
        // `LIKE` leaves foreign keys out; they are added once every row is in. Their definitions name the template's
        // tables with its schema (it is not on the search path), which becomes the test's schema.
        let keys = try await sql.raw("""
            SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype = 'f' AND n.nspname = \(bind: template)
            """).all(decoding: ForeignKey.self)
        for key in keys {
            let definition = key.definition.replacingOccurrences(of: "\(template).", with: "\(schema).")
            try await sql.raw(
                "ALTER TABLE \(ident: schema).\(ident: key.table) ADD CONSTRAINT \(ident: key.name) \(unsafeRaw: definition)"
            ).run()
        }
    }

    static func removeSQLite(at path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// A template is left behind when its process ends (tests have no global teardown); the next process removes
    /// the ones whose process is gone.
    private static func isEnded(_ name: String) -> Bool {
        guard let pid = name.split(separator: "_").last.flatMap({ Int32($0.prefix { $0.isNumber }) }) else { return false }
        return pid != ProcessInfo.processInfo.processIdentifier && kill(pid, 0) != 0 && errno == ESRCH
    }

    private static func removeEndedSQLiteTemplates() {
        let directory = NSTemporaryDirectory()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".sqlite") && isEnded(name) {
            try? removeSQLite(at: directory + name)
        }
    }

    private static func dropEndedPostgresTemplates(_ sql: any SQLDatabase) async throws {
        struct Schema: Decodable { var nspname: String }
        let schemas = try await sql.raw("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'motcua\\_template\\_%'")
            .all(decoding: Schema.self)
        for schema in schemas where isEnded(schema.nspname) {
            try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema.nspname) CASCADE").run()
        }
    }
}
