import Foundation
import Testing

@testable import Domain

@Suite struct CatalogueIndexTests {
    static func entry(
        _ code: String, _ name: String, field: String = "Hộ tịch", agency: String = "BTP",
        levels: [ImplementationLevel] = [.commune], channels: [SubmissionChannel] = [.inPerson]
    ) -> CatalogueEntry {
        CatalogueEntry(
            code: code, name: name, field: field, levels: levels, managingAgencyCode: agency,
            managingAgencyName: agency == "BTP" ? "Bộ Tư pháp" : "Bộ Xây dựng",
            channels: channels.map { ChannelSummary(channel: $0, processingTime: .absent, fees: .absent) })
    }

    static let small = CatalogueIndex(entries: [
        entry("1.004884", "Thủ tục đăng ký lại khai sinh"),
        entry("1.003583", "Thủ tục đăng ký khai sinh lưu động"),
        entry("1.001193", "Thủ tục đăng ký khai sinh", channels: [.inPerson, .online, .postal]),
        entry("2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"),
        entry("1.000894", "Thủ tục đăng ký kết hôn", channels: [.online]),
        entry("1.002441", "Cấp Giấy chứng nhận huấn luyện viên chính", field: "Hàng hải", agency: "BXD", levels: [.ministry]),
    ])

    @Test func phraseWithOrWithoutDiacriticsRanksTheExactNameFirst() {
        for text in ["dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "  dang   ky khai sinh "] {
            let page = Self.small.search(CatalogueQuery(text: text))
            #expect(page.items.first?.code == "1.001193", "\(text)")
        }
    }

    @Test func phraseMatchesComeBeforeScatteredWords() {
        let codes = Self.small.search(CatalogueQuery(text: "đăng ký khai sinh")).items.map(\.code)
        // "đăng ký lại khai sinh" has every word but not the phrase: after both phrase matches.
        #expect(codes.prefix(2) == ["1.001193", "1.003583"])
        #expect(codes.contains("1.004884"))
        #expect(codes.firstIndex(of: "1.004884") ?? 0 > codes.firstIndex(of: "1.003583") ?? 0)
    }

    @Test func exactCodeComesFirst() {
        #expect(Self.small.search(CatalogueQuery(text: "1.001193")).items.first?.code == "1.001193")
        #expect(Self.small.search(CatalogueQuery(text: " 1.000894 ")).items.map(\.code) == ["1.000894"])
    }

    @Test func partialWordsAndCodePrefixesStillFind() {
        #expect(Self.small.search(CatalogueQuery(text: "khai")).items.contains { $0.code == "1.001193" })
        #expect(Self.small.search(CatalogueQuery(text: "ket hon xyz")).items.first?.code == "1.000894")
        #expect(Self.small.search(CatalogueQuery(text: "1.0008")).items.map(\.code) == ["1.000894"])
    }

    @Test func fieldAndAgencyWordsMatchToo() {
        #expect(Self.small.search(CatalogueQuery(text: "hang hai")).items.map(\.code) == ["1.002441"])
        #expect(Self.small.search(CatalogueQuery(text: "bo xay dung")).items.first?.code == "1.002441")
    }

    @Test func nothingMatchesNonsense() {
        let page = Self.small.search(CatalogueQuery(text: "qwzx"))
        #expect(page.total == 0)
        #expect(page.items.isEmpty)
    }

    @Test func filtersNarrowTheResults() {
        #expect(Self.small.search(CatalogueQuery(agency: "BXD")).items.map(\.code) == ["1.002441"])
        #expect(Self.small.search(CatalogueQuery(level: .ministry)).total == 1)
        #expect(Self.small.search(CatalogueQuery(channel: .online)).items.map(\.code) == ["1.000894", "1.001193"])
        #expect(Self.small.search(CatalogueQuery(text: "khai sinh", channel: .online)).items.map(\.code) == ["1.001193"])
        #expect(Self.small.search(CatalogueQuery(field: "Hàng hải")).total == 1)
    }

    @Test func browsingWithoutTextListsEverythingByCode() {
        let page = Self.small.search(CatalogueQuery())
        #expect(page.total == 6)
        #expect(page.items.map(\.code) == ["1.000894", "1.001193", "1.002441", "1.003583", "1.004884", "2.000635"])
    }

    @Test func pagesSplitTheResultsAndClampTheirSize() {
        let first = Self.small.search(CatalogueQuery(page: 1, per: 4))
        let second = Self.small.search(CatalogueQuery(page: 2, per: 4))
        #expect(first.items.count == 4)
        #expect(second.items.count == 2)
        #expect(first.pageCount == 2)
        #expect(Set(first.items.map(\.code)).isDisjoint(with: second.items.map(\.code)))
        #expect(Self.small.search(CatalogueQuery(page: 9, per: 4)).items.isEmpty)
        #expect(Self.small.search(CatalogueQuery(per: 1000)).per == CatalogueQuery.maximumPerPage)
    }

    @Test func fieldsAndAgenciesAreCounted() {
        #expect(Self.small.fields.first { $0.name == "Hộ tịch" }?.count == 5)
        #expect(Self.small.agencies.map(\.code) == ["BTP", "BXD"])
    }
}
