import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Migrations keep their recorded names, so databases made by an earlier release still migrate (issue 10, item 5).
@Suite struct MigrationTests {
    /// What the release of 2026-12-02 recorded, in order. Add new migrations after these; never rename one.
    static let released = [
        "CreateAgency", "CreateProcedure", "CreateProcedureVersion", "CreateAccount", "CreateSession", "CreateLoginAttempt",
        "CreateMembership", "CreateAPIToken", "CreateJob", "AddAccountLanguage", "CreateNotification",
        "CreatePasswordReset", "CreateOIDCLogin", "CreateAuditLog", "CreateCalendarAdjustment", "AddAgencyOfficeHours",
        "AddProcedurePauseRule", "CreateAuditScope", "CreateAuditCheckpoint", "CreateAuditLook",
    ].map { "App." + $0 }

    /// Added since that release: an upgraded database runs these and only these.
    static let sinceRelease = ["UpdateAccountAddSSOSubjectKey", "CreateProcedureForm"].map { "App." + $0 }

    @Test func theReleasedMigrationsAreStillThereUnderTheirNamesAndInTheirOrder() async throws {
        try await withTestApp { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY created_at, name").all()
            let names = try rows.map { try $0.decode(column: "name", as: String.self) }
            // Recorded in the order they ran: the released ones first, as released.
            #expect(names == Self.released + Self.sinceRelease)
        }
    }

    /// A database the previous release made (its SQL dump, `Fixtures/release-2026-12-02.sql`) is migrated by this
    /// one without redoing anything, and what it held is still there.
    @Test(.enabled(if: TestDatabase.postgresURL == nil, "the dump is of a SQLite database"))
    func aDatabaseMadeByThePreviousReleaseMigratesAndKeepsItsData() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-upgrade-\(UUID()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let dump = try String(contentsOfFile: Fixtures.path("release-2026-12-02.sql"), encoding: .utf8)
        var config = AppConfig(database: .sqlite(path: path), seed: .none, logLevel: .warning, bcryptCost: 4)
        config.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-upgrade-data").path
        try await withApp(configure: { app in try await configure(app, config: config) }) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            var statement = ""
            for line in dump.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix("--") {
                statement += line + "\n"
                guard line.hasSuffix(";") else { continue }
                let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
                statement = ""
                if text == "BEGIN TRANSACTION;" || text == "COMMIT;" { continue }
                try await sql.raw(SQLQueryString(text)).run()
            }
            try await app.autoMigrate()
            let recorded = try await sql.raw("SELECT name FROM _fluent_migrations").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(Set(recorded) == Set(Self.released + Self.sinceRelease))
            #expect(recorded.count == Self.released.count + Self.sinceRelease.count)
            let lan = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "lan@example.vn").first())
            #expect(lan.fullName == "Nguyễn Thị Lan")
            #expect(lan.language == "vi")
            let hanoi = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "01").first())
            #expect(hanoi.name == "Thành phố Hà Nội")
            // And it works as a database of this release: an audited change goes into its chain.
            let context = ChangeContext(database: app.db, actor: .console(user: "test"), now: Date(), app: app, logger: app.logger)
            let created = try await Administration(context).createToken(.init(name: "HR", agency: "01", write: nil))
            #expect(created.summary.agency?.code == "01")
            #expect(try await AuditLog.verifyInFull(on: app.db, now: Date()) == .intact(entries: 1))
        }
    }
}
