import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct PageTests {
    @Test func homeHasASearchFormThatWorksWithoutJavaScript() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/") { response in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains(#"<html lang="vi">"#))
                #expect(html.contains(#"<form class="search" action="/procedures" method="get""#))
                #expect(html.contains(#"<label for="q">"#))
                #expect(html.contains("Tìm thủ tục hành chính"))
                #expect(!html.contains("<script"))
            }
        }
    }

    @Test func homeWeighsUnderSixtyKilobytesWithEverythingItLoads() async throws {
        try await withTestApp(seed: seedSample) { app in
            var total = 0
            var assets: [String] = []
            try await app.testing().test(.GET, "/") { response in
                total += response.body.readableBytes
                let html = response.body.string
                for attribute in ["href=\"", "src=\""] {
                    for part in html.components(separatedBy: attribute).dropFirst() {
                        let url = String(part.prefix { $0 != "\"" })
                        if url.hasSuffix(".css") || url.hasSuffix(".js") || url.hasSuffix(".svg") || url.hasSuffix(".png") {
                            assets.append(url)
                        }
                        let external = ["http://", "https://", "//"].contains { url.hasPrefix($0) }
                        #expect(external == false, "no asset from another host: \(url)")
                    }
                }
            }
            #expect(assets.contains("/css/site.css"))
            for asset in assets {
                try await app.testing().test(.GET, asset) { response in
                    #expect(response.status == .ok, "\(asset)")
                    total += response.body.readableBytes
                }
            }
            #expect(total < 60 * 1024, "home page weighs \(total) bytes")
        }
    }

    @Test func searchResultsLinkToTheProcedurePage() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/procedures?q=dang+ky+khai+sinh") { response in
                #expect(response.status == .ok)
                let html = response.body.string
                let first = html.range(of: "<ol class=\"results\">").map { html[$0.upperBound...] } ?? ""
                #expect(first.contains(#"<a href="/procedures/1.001193">Thủ tục đăng ký khai sinh</a>"#))
                let firstLink = first.firstRange(of: "<a href=\"/procedures/").map { first[$0.upperBound...].prefix(8) }
                #expect(firstLink == "1.001193")
                #expect(html.contains(#"value="dang ky khai sinh""#))
            }
        }
    }

    @Test func procedurePageShowsWhatACitizenNeeds() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/procedures/1.002441") { response in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains("<h1>Cấp Giấy chứng nhận huấn luyện viên chính</h1>"))
                #expect(html.contains("Cách thức thực hiện"))
                #expect(html.contains("2 ngày làm việc"))
                #expect(html.contains("100.000 đ"))
                #expect(html.contains("Thành phần hồ sơ"))
                #expect(html.contains("Căn cứ pháp lý"))
            }
        }
    }

    @Test func aTimeWithoutUnitSaysSoInsteadOfGuessing() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/procedures/1.001193") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("1 (Cổng Dịch vụ công không ghi đơn vị)"))
                #expect(response.body.string.contains("Giấy chứng sinh"))
            }
        }
    }

    @Test func unknownProcedureIsA404Page() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/procedures/0.000000") { response in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType?.subType == "html")
                #expect(response.body.string.contains("0.000000"))
            }
        }
    }

    @Test func badFilterIsA400PageNamingTheParameter() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/procedures?page=0") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("“page”"))
            }
        }
    }

    @Test func userTextIsEscaped() async throws {
        try await withTestApp(seed: seedSample) { app in
            try await app.testing().test(.GET, "/procedures?q=%3Cscript%3Ealert(1)%3C/script%3E") { response in
                #expect(response.status == .ok)
                #expect(!response.body.string.contains("<script>alert(1)</script>"))
                #expect(response.body.string.contains("&lt;script&gt;"))
            }
        }
    }

    @Test func theLanguageSwitchIsRememberedInACookie() async throws {
        try await withTestApp(seed: seedSample) { app in
            var cookie = ""
            try await app.testing().test(.GET, "/language/en?next=/procedures%3Fq%3Dkhai") { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/procedures?q=khai")
                cookie = response.headers.setCookie?["lang"]?.string ?? ""
            }
            #expect(cookie == "en")
            try await app.testing().test(.GET, "/", headers: ["Cookie": "lang=en"]) { response in
                #expect(response.body.string.contains(#"<html lang="en">"#))
                #expect(response.body.string.contains("Find an administrative procedure"))
            }
        }
    }

    @Test func theLanguageSwitchNeverRedirectsToAnotherSite() async throws {
        try await withTestApp { app in
            for next in ["//evil.example", "https://evil.example", "/\\evil.example"] {
                let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                try await app.testing().test(.GET, "/language/en?next=\(encoded)") { response in
                    #expect(response.headers.first(name: .location) == "/", "\(next)")
                }
            }
        }
    }
}
