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
        try await withTestApp(template: .demoPeople) { app in
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
        try await withTestApp(template: .demoPeople) { app in
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
        try await withTestApp(template: .demoPeople) { app in
            let communes = try await AgencyModel.query(on: app.db)
                .filter(\.$kind ~~ [.commune, .ward, .specialZone]).count()
            #expect(communes == 3_321)
        }
    }

    @Test func unknownParentIsA404() async throws {
        try await withTestApp(template: .demoPeople) { app in
            try await app.testing().test(.GET, "/api/v1/agencies?parent=NOPE") { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("agency_not_found"))
            }
        }
    }
}

/// `GET /api/v1/agencies?q=` over the real 2025 units, and the units page's search.
@Suite struct AgencySearchAPITests {
    @Test func aUnitIsFoundHoweverItsNameIsTyped() async throws {
        try await withTestApp(template: .demoPeople) { app in
            for typed in ["Phường Ba Đình", "phuong ba dinh", "Phường Ba Đì", "PHƯỜNG BA ĐÌNH"] {
                try await app.testing().test(.GET, "/api/v1/agencies?q=\(typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") { response in
                    #expect(response.status == .ok)
                    let list = try response.json(AgencyListDTO.self)
                    #expect(list.items.first?.code == "00004", "\(typed)")
                    #expect(list.items.first?.parent == "01")
                }
            }
            // Two units are "Ba Đình" and one is "Ba Dinh": each is first for whoever types it that way.
            try await app.testing().test(.GET, "/api/v1/agencies?q=Ba%20Dinh") { response in
                let first = try response.json(AgencyListDTO.self).items.first?.code
                #expect(first == "21499")
            }
            try await app.testing().test(.GET, "/api/v1/agencies?q=Ba%20%C4%90%C3%ACnh") { response in
                let codes = try response.json(AgencyListDTO.self).items.prefix(3).map(\.code)
                #expect(codes.first != "21499" && codes.contains("00004") && codes.contains("16171"))
            }
            // Within a province: its communes only.
            try await app.testing().test(.GET, "/api/v1/agencies?q=phuong&parent=48&limit=5") { response in
                #expect(response.status == .ok)
                let list = try response.json(AgencyListDTO.self)
                #expect(list.parent?.code == "48")
                #expect(list.items.count == 5)
                #expect(list.items.allSatisfy { $0.parent == "48" })
            }
            // A wrong limit is refused with or without a search to use it with.
            try await app.testing().test(.GET, "/api/v1/agencies?limit=-58800") { response in
                #expect(response.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/agencies?q=x&limit=51") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("limit"))
            }
            try await app.testing().test(.GET, "/api/v1/agencies?q=\(String(repeating: "a", count: 101))") { response in
                #expect(response.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/agencies?q=x&parent=nope") { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func theUnitsPageFindsAUnitByName() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let page = try await admin.get("/admin/units?q=phuong%20ba%20dinh")
            #expect(page.status == .ok)
            #expect(page.body.contains(#"href="/admin/units?parent=00004">Phường Ba Đình</a>"#))
            let none = try await admin.get("/admin/units?q=khong%20co%20don%20vi%20nao")
            #expect(none.body.contains("Không có đơn vị nào có tên như vậy."))
        }
    }
}
