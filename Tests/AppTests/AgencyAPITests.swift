import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct AgencyAPITests {
    struct List: Decodable {
        struct Agency: Decodable {
            var code: String
            var name: String
            var kind: String
            var parent: String?
        }

        var items: [Agency]
    }

    @Test func theTreeStartsWithMinistriesAndTheThirtyFourProvinces() async throws {
        try await withTestApp(seed: { try await Seeder(app: $0).seedAgencies() }) { app in
            try await app.testing().test(.GET, "/api/v1/agencies") { response in
                #expect(response.status == .ok)
                let items = try response.json(List.self).items
                #expect(items.filter { $0.kind == "ministry" }.map(\.code) == ["BCA", "BNNMT", "BTC", "BTP", "BXD"])
                #expect(items.filter { $0.kind == "province" || $0.kind == "municipality" }.count == 34)
                #expect(items.contains { $0.code == "01" && $0.name == "Thành phố Hà Nội" })
            }
        }
    }

    @Test func aProvinceListsItsCommunesWardsAndDepartments() async throws {
        try await withTestApp(seed: { try await Seeder(app: $0).seedAgencies() }) { app in
            try await app.testing().test(.GET, "/api/v1/agencies?parent=01") { response in
                #expect(response.status == .ok)
                let items = try response.json(List.self).items
                #expect(items.contains { $0.code == "00004" && $0.name == "Phường Ba Đình" && $0.kind == "ward" })
                #expect(items.contains { $0.code == "01.STP" && $0.kind == "department" })
                #expect(items.allSatisfy { $0.parent == "01" })
                #expect(items.count == 126 + 3)
            }
            try await app.testing().test(.GET, "/api/v1/agencies?parent=00004") { response in
                let items = try response.json(List.self).items
                #expect(items.isEmpty)
            }
        }
    }

    @Test func allCommunesOfTheOfficialListAreSeeded() async throws {
        try await withTestApp(seed: { try await Seeder(app: $0).seedAgencies() }) { app in
            let communes = try await AgencyModel.query(on: app.db)
                .filter(\.$kind ~~ [.commune, .ward, .specialZone]).count()
            #expect(communes == 3_321)
        }
    }

    @Test func unknownParentIsA404() async throws {
        try await withTestApp(seed: { try await Seeder(app: $0).seedAgencies() }) { app in
            try await app.testing().test(.GET, "/api/v1/agencies?parent=NOPE") { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("agency_not_found"))
            }
        }
    }
}
