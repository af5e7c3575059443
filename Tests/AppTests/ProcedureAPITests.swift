import Foundation
import Testing
import VaporTesting

@testable import App
import Domain

@Suite struct ProcedureAPITests {
    struct Page: Decodable {
        struct Item: Decodable {
            var code: String
            var name: String
            var field: String
            var levels: [String]
            var channels: [String]
            var processingTime: Time?
            var processingTimeText: String?
            var fees: [Fee]?
            var agency: Agency
        }

        struct Time: Decodable {
            var value: Double
            var unit: String
        }

        struct Fee: Decodable {
            var amount: Int?
            var free: Bool
        }

        struct Agency: Decodable {
            var code: String
            var name: String
        }

        var items: [Item]
        var page: Int
        var per: Int
        var total: Int
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var code: String
            var message: String
            var parameter: String?
            var messages: [String: String]
        }

        var error: Detail
    }

    @Test func searchWithoutDiacriticsFindsBirthRegistrationFirst() async throws {
        try await withTestApp(seed: seedSample) { app in
            for query in ["dang%20ky%20khai%20sinh", "%C4%90%C4%83ng%20k%C3%BD%20khai%20sinh", "khai+sinh", "1.001193"] {
                try await app.testing().test(.GET, "/api/v1/procedures?q=\(query)") { response in
                    #expect(response.status == .ok)
                    let page = try response.json(Page.self)
                    #expect(page.items.first?.code == "1.001193", "\(query)")
                    #expect(page.items.first?.name == "Thủ tục đăng ký khai sinh")
                    #expect(page.items.first?.agency.code == "BTP")
                    #expect(page.items.first?.channels.contains("online") == true)
                }
            }
        }
    }

    /// The list is written from pre-encoded items; it must say exactly what encoding the DTOs says.
    @Test func theFastListEncodingMatchesTheDTOs() async throws {
        try await withTestApp(seed: seedSample) { app in
            for query in ["q=khai%20sinh&per=5&page=2", "agency=BXD", "q=zzzz"] {
                try await app.testing().test(.GET, "/api/v1/procedures?\(query)") { response in
                    #expect(response.headers.contentType == .json)
                    let served = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                    let index = try await app.catalogue.index(on: app.db)
                    let components = URLComponents(string: "/?" + query)?.queryItems ?? []
                    func value(_ name: String) -> String? { components.first { $0.name == name }?.value }
                    let page = index.search(CatalogueQuery(
                        text: value("q") ?? "", agency: value("agency"), page: Int(value("page") ?? "1") ?? 1,
                        per: Int(value("per") ?? "20") ?? 20))
                    let expected = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ProcedurePageDTO(
                        items: page.items.map(ProcedureSummaryDTO.init), page: page.page, per: page.per,
                        total: page.total)))
                    #expect((served as? NSDictionary) == (expected as? NSDictionary), "\(query)")
                }
            }
        }
    }

    @Test func resultsArePagedWithTheTotal() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/api/v1/procedures?q=khai%20sinh&per=3&page=2") { response in
                let page = try response.json(Page.self)
                #expect(page.page == 2)
                #expect(page.per == 3)
                #expect(page.items.count == 3)
                #expect(page.total >= 10)
            }
            try await app.testing().test(.GET, "/api/v1/procedures") { response in
                let page = try response.json(Page.self)
                #expect(page.total == 13)
                #expect(page.per == 20)
            }
        }
    }

    @Test func filtersApply() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/api/v1/procedures?agency=BXD") { response in
                let page = try response.json(Page.self)
                #expect(page.items.map(\.code) == ["1.002441"])
                #expect(page.items.first?.fees?.first?.amount == 100_000)
                #expect(page.items.first?.processingTime?.unit == "workingDays")
                #expect(page.items.first?.processingTime?.value == 2)
            }
            try await app.testing().test(.GET, "/api/v1/procedures?level=ministry&field=H%C3%A0ng%20h%E1%BA%A3i%20v%C3%A0%20%C4%91%C6%B0%E1%BB%9Dng%20th%E1%BB%A7y%20n%E1%BB%99i%20%C4%91%E1%BB%8Ba") { response in
                let page = try response.json(Page.self)
                #expect(page.items.map(\.code) == ["1.002441"])
            }
        }
    }

    @Test func oneProcedureHasItsWholeRecord() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/api/v1/procedures/1.001193") { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(body?["code"] as? String == "1.001193")
                #expect(body?["field"] as? String == "Hộ tịch")
                #expect(body?["version"] as? Int == 1)
                #expect((body?["channels"] as? [Any])?.count == 3)
                #expect(body?["documents"] != nil || body?["documentsText"] != nil)
                #expect(body?["steps"] as? String != nil)
            }
        }
    }

    @Test func unknownCodeIsA404InBothLanguages() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/api/v1/procedures/9.999999") { response in
                #expect(response.status == .notFound)
                let error = try response.json(ErrorBody.self).error
                #expect(error.code == "procedure_not_found")
                #expect(error.message.contains("9.999999"))
                #expect(error.messages["vi"]?.contains("Không tìm thấy thủ tục") == true)
                #expect(error.messages["en"]?.contains("No procedure") == true)
            }
        }
    }

    @Test func badParametersAreRefusedNamingTheParameter() async throws {
        let cases: [(query: String, parameter: String)] = [
            ("per=101", "per"), ("per=0", "per"), ("page=abc", "page"), ("page=-1", "page"),
            ("level=national", "level"), ("channel=fax", "channel"), ("agency=XYZ", "agency"),
            ("q=" + String(repeating: "a", count: 201), "q"), ("page=99999999999999999999", "page"),
            ("field=nothing", "field"),
            // One character of 901 bytes (a and 450 combining acute accents), and a query longer than any page needs.
            ("q=a" + String(repeating: "%CC%81", count: 450), "q"), ("q=khai&other=" + String(repeating: "x", count: 5000), "query"),
        ]
        try await withTestApp(seed: seedSample) { app in
            for testCase in cases {
                try await app.testing().test(.GET, "/api/v1/procedures?\(testCase.query)") { response in
                    #expect(response.status == .badRequest, "\(testCase.query)")
                    let error = try response.json(ErrorBody.self).error
                    #expect(error.code == "invalid_parameter")
                    #expect(error.parameter == testCase.parameter, "\(testCase.query)")
                    #expect(error.messages["en"]?.contains(testCase.parameter) == true)
                    #expect(error.messages["vi"]?.contains(testCase.parameter) == true)
                }
            }
        }
    }

    @Test func oddInputNeverBreaksTheServer() async throws {
        try await withTestApp(seed: seedSample) { app in
            for query in ["q=%00%FF", "q=%E0%A4%A", "q=''%3B--", "q=%F0%9F%98%80", "q=.....", "page=&per=", "q=%2B%2B%2B"] {
                try await app.testing().test(.GET, "/api/v1/procedures?\(query)") { response in
                    #expect(response.status == .ok || response.status == .badRequest, "\(query)")
                }
            }
        }
    }
}
