import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// A class so that `deinit` removes the files a test wrote (Swift Testing makes one instance per test).
@Suite final class ImportTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-import-\(UUID())")

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    private func importer(_ app: Application) throws -> ProcedureImporter {
        try Seeder(app: app).importer()
    }

    /// Writes `contents` to a file named `name` in this test's own folder; a second write with the same name
    /// replaces the first.
    private func temporaryFile(_ name: String, _ contents: String) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func importingTwiceChangesNothing() async throws {
        try await withTestApp { app in
            let files = [Fixtures.path("bo-tu-phap.jsonl"), Fixtures.path("bo-xay-dung.jsonl")]
            let first = try await importer(app).importFiles(files)
            #expect(first.imported == 13)
            #expect(first.skipped.isEmpty)
            let second = try await importer(app).importFiles(files)
            #expect(second.imported == 0)
            #expect(second.updated == 0)
            #expect(second.unchanged == 13)
            let observed201 = try await ProcedureVersionModel.query(on: app.db).count()
            #expect(observed201 == 13)
        }
    }

    @Test func aChangedRecordBecomesANewVersionAndTheOldOneIsKept() async throws {
        try await withTestApp { app in
            let original = try String(contentsOfFile: Fixtures.path("bo-xay-dung.jsonl"), encoding: .utf8)
            _ = try await importer(app).importFiles([try temporaryFile("bo-xay-dung.jsonl", original)])
            let changed = original.replacingOccurrences(of: "huấn luyện viên chính", with: "huấn luyện viên cao cấp")
            let report = try await importer(app).importFiles([try temporaryFile("bo-xay-dung.jsonl", changed)])
            #expect(report.updated == 1)
            let model = try #require(try await ProcedureModel.query(on: app.db).filter(\.$code == "1.002441").first())
            #expect(model.currentVersion == 2)
            #expect(model.name.contains("cao cấp"))
            let versions = try await ProcedureVersionModel.query(on: app.db).sort(\.$version).all()
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions.first?.data.contains("huấn luyện viên chính") == true)
        }
    }

    @Test func aCorruptLineIsSkippedWithItsLineNumberAndTheRestImport() async throws {
        try await withTestApp { app in
            let lines = try String(contentsOfFile: Fixtures.path("bo-tu-phap.jsonl"), encoding: .utf8)
                .split(separator: "\n").prefix(3)
            let contents = [String(lines[0]), "{not json", String(lines[1]), #"{"ten_thu_tuc":"no code"}"#, String(lines[2])]
                .joined(separator: "\n")
            let report = try await importer(app).importFiles([try temporaryFile("bo-tu-phap.jsonl", contents)])
            #expect(report.imported == 3)
            #expect(report.skipped.map(\.line) == [2, 4])
            #expect(report.skipped.first?.reason == "not a JSON record")
            #expect(report.skipped.last?.reason == "no procedure code")
        }
    }

    @Test func anUnreadableFileIsReportedAndTheOthersImport() async throws {
        try await withTestApp { app in
            let report = try await importer(app).importFiles(["/nonexistent/bo-tu-phap.jsonl", Fixtures.path("bo-xay-dung.jsonl")])
            #expect(report.imported == 1)
            #expect(report.skipped.count == 1)
            #expect(report.skipped.first?.line == nil)
            #expect(report.skipped.first?.reason == "file cannot be read")
        }
    }

    @Test func aFileNamedAfterNoMinistryUsesTheDecisionNumber() async throws {
        try await withTestApp { app in
            let contents = try String(contentsOfFile: Fixtures.path("bo-xay-dung.jsonl"), encoding: .utf8)
            let report = try await importer(app).importFiles([try temporaryFile("export.jsonl", contents)])
            #expect(report.imported == 1)
            let model = try #require(try await ProcedureModel.query(on: app.db).with(\.$managingAgency).first())
            #expect(model.managingAgency.code == "BXD")
        }
    }

    /// One fixture record re-issued: another code, another decision number, the rest as published.
    private func record(code: String, decision: String, agency: String? = nil) throws -> String {
        let line = try String(contentsOfFile: Fixtures.path("bo-tu-phap.jsonl"), encoding: .utf8)
            .split(separator: "\n").first.map(String.init) ?? ""
        var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        object["ma_thu_tuc"] = code
        object["so_quyet_dinh"] = decision
        if let agency { object["co_quan_thuc_hien"] = agency }
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// The State Bank is not in the seed: its records are imported under it, created with its name, whatever the
    /// file is called (here after the Ministry of Justice).
    @Test func aMinistryTheSeedDoesNotHaveIsCreatedFromTheRecords() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let lines = [
                try record(code: "1.900001", decision: "1288/QĐ-NHNN"),
                try record(code: "1.900002", decision: "1288/QD-NHNN"),
                try record(code: "1.900003", decision: "163/QĐ-BTP"),
            ]
            let report = try await importer(app).importFiles(
                [try temporaryFile("bo-tu-phap.jsonl", lines.joined(separator: "\n"))])
            #expect(report.imported == 3)
            #expect(report.skipped.isEmpty)
            #expect(report.ministriesCreated == ["NHNN"])
            #expect(report.summary.contains("ministries added: NHNN"))
            let bank = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "NHNN").first())
            #expect(bank.name == "Ngân hàng Nhà nước Việt Nam")
            #expect(bank.kind == .ministry)
            let managed = try await ProcedureModel.query(on: app.db).with(\.$managingAgency).sort(\.$code).all()
            #expect(managed.map(\.managingAgency.code) == ["NHNN", "NHNN", "BTP"])
            // Stated otherwise, the same record moves to that ministry.
            let moved = try await importer(app).importFiles([try temporaryFile("y.jsonl", lines[2])], stated: "BTC")
            #expect(moved.updated == 1)
            let third = try #require(try await ProcedureModel.query(on: app.db).filter(\.$code == "1.900003").with(\.$managingAgency).first())
            #expect(third.managingAgency.code == "BTC")
            // A second import finds the ministry it made.
            let again = try await importer(app).importFiles([try temporaryFile("x.jsonl", lines[0])])
            #expect(again.unchanged == 1)
            #expect(again.ministriesCreated.isEmpty)
        }
    }

    @Test func mergedMinistriesAndBodiesInsideOneGoToTheMinistryTheyAreNow() async throws {
        try await withTestApp { app in
            let lines = [
                try record(code: "1.900011", decision: "2048/QĐ-BGTVT"),
                try record(code: "1.900012", decision: "35/QĐ-TCHQ"),
                try record(code: "1.900013", decision: "1681", agency: "Ủy ban Chứng khoán Nhà nước - Bộ tài chính"),
            ]
            let report = try await importer(app).importFiles([try temporaryFile("mixed.jsonl", lines.joined(separator: "\n"))])
            #expect(report.imported == 3)
            let managed = try await ProcedureModel.query(on: app.db).with(\.$managingAgency).sort(\.$code).all()
            #expect(managed.map(\.managingAgency.code) == ["BXD", "BTC", "BTC"])
        }
    }

    @Test func aRecordNamingNoKnownMinistryIsSkippedSayingWhatToDoAndMinistryStatesIt() async throws {
        try await withTestApp { app in
            let lines = [try record(code: "1.900021", decision: "5/QĐ-XYZ"), try record(code: "1.900022", decision: "12/QĐ-UBND")]
            let file = try temporaryFile("unknown.jsonl", lines.joined(separator: "\n"))
            let report = try await importer(app).importFiles([file])
            #expect(report.imported == 0)
            #expect(report.skipped.map(\.code) == ["1.900021", "1.900022"])
            let first = try #require(report.skipped.first?.reason)
            #expect(first.contains("XYZ"))
            #expect(first.contains("--ministry"))
            #expect(report.skipped.last?.reason.contains("12/QĐ-UBND") == true)
            // Stated, every record goes to that ministry (created if the tree lacks it).
            let stated = try await importer(app).importFiles([file], stated: "BTP")
            #expect(stated.imported == 2)
            #expect(stated.ministriesCreated == ["BTP"])
            // A ministry nobody knows cannot be stated.
            await #expect(throws: ProcedureImporter.UnknownMinistry.self) {
                try await self.importer(app).importFiles([file], stated: "NOPE")
            }
        }
    }

    @Test func theSearchIndexSeesAnImportMadeByAnotherProcess() async throws {
        try await withTestApp { app in
            app.catalogue = CatalogueService(refreshInterval: .zero)
            #expect(try await app.catalogue.index(on: app.db).entries.isEmpty)
            // Another process imports: this one's index learns it on the next look.
            _ = try await importer(app).importFiles([Fixtures.path("bo-xay-dung.jsonl")])
            let observed202 = try await app.catalogue.index(on: app.db).entries.map(\.code)
            #expect(observed202 == ["1.002441"])
        }
    }

    @Test func aDatabaseFromBeforeAccountsGetsTheDemoAccountsOnly() async throws {
        try await withTestApp { app in
            try await Seeder(app: app).seedAgencies()
            try await Seeder(app: app).seedDemoIfEmpty()
            let procedures = try await ProcedureModel.query(on: app.db).count()
            let accounts = try await AccountModel.query(on: app.db).count()
            #expect(procedures == 0)
            #expect(accounts == 9)
        }
    }

    @Test func theDemoSeedLoadsTheWholeCatalogueOnceAndOnlyOnce() async throws {
        try await withTestApp { app in
            let seeder = Seeder(app: app)
            try await seeder.seedDemoIfEmpty()
            let observed203 = try await ProcedureModel.query(on: app.db).count()
            #expect(observed203 == 2_378)
            let agencies = try await AgencyModel.query(on: app.db).count()
            #expect(agencies == 5 + 34 + 3_321 + 5)
            try await seeder.seedDemoIfEmpty()
            let observed204 = try await AgencyModel.query(on: app.db).count()
            #expect(observed204 == agencies)
            let observed205 = try await ProcedureVersionModel.query(on: app.db).count()
            #expect(observed205 == 2_378)
            let observed206 = try await AccountModel.query(on: app.db).count()
            #expect(observed206 == 9)
            let observed207 = try await MembershipModel.query(on: app.db).count()
            #expect(observed207 == 8)
        }
    }
}
