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

/// Reading a record's managing ministry from its decision number, as the portal writes them.
@Suite struct ManagingMinistryTests {
    let bodies = [
        IssuingBody(code: "BTP", name: "Bộ Tư pháp", nameEn: "Ministry of Justice"),
        IssuingBody(code: "BTC", name: "Bộ Tài chính", nameEn: "Ministry of Finance"),
        IssuingBody(code: "BXD", name: "Bộ Xây dựng", nameEn: "Ministry of Construction"),
        IssuingBody(code: "BGTVT", name: "Bộ Giao thông vận tải", nameEn: "Ministry of Transport", partOf: "BXD"),
        IssuingBody(code: "LOOP", name: "Vòng", nameEn: "Loop", partOf: "LOOP"),
        IssuingBody(code: "BKHĐT", name: "Bộ Kế hoạch và Đầu tư", nameEn: "Ministry of Planning and Investment", partOf: "BTC"),
    ]

    @Test func anAmendedDecisionCountsItsCentralIssuerAndSpacesAroundTheDashAreRead() {
        #expect(ManagingMinistry.resolve(decision: "163/QĐ-BTP; 45/QĐ-UBND", agencyTexts: [], bodies: bodies) == .ministry(bodies[0]))
        #expect(ManagingMinistry.resolve(decision: "12/QĐ - BTP", agencyTexts: [], bodies: bodies) == .ministry(bodies[0]))
        #expect(ManagingMinistry.resolve(
            decision: "1681", agencyTexts: ["Sở Kế hoạch, thuộc Bộ Kế hoạch và Đầu tư"], bodies: bodies) == .ministry(bodies[1]))
    }

    @Test(arguments: [
        ("163/QĐ-BTP", "BTP"), ("3713/QD-BTP", "BTP"), ("QĐ2338-BTP", "BTP"), ("QĐ/0001-BTP", "BTP"),
        ("1707/QD-BTC", "BTC"), ("số 12/QĐ-BTC ngày 5/1/2024; sửa đổi bởi 99/QĐ-BGTVT", "BGTVT"),
    ])
    func theIssuerIsTheAbbreviationAfterTheLastDecisionMark(_ decision: String, _ issuer: String) {
        #expect(ManagingMinistry.issuer(ofDecision: decision) == issuer)
    }

    @Test func numbersWithoutAnIssuerHaveNone() {
        #expect(ManagingMinistry.issuer(ofDecision: "1681") == nil)
        #expect(ManagingMinistry.issuer(ofDecision: "") == nil)
        #expect(ManagingMinistry.issuer(ofDecision: "QĐ-") == nil)
        #expect(ManagingMinistry.issuer(ofDecision: "QĐ-B") == nil)
    }

    @Test func aMergedMinistryResolvesToItsSuccessorAndALocalDecisionToTheAgencyNamed() {
        #expect(ManagingMinistry.resolve(decision: "1/QĐ-BGTVT", agencyTexts: [], bodies: bodies) == .ministry(bodies[2]))
        #expect(ManagingMinistry.resolve(
            decision: "12/QĐ-UBND", agencyTexts: ["Ủy ban Chứng khoán Nhà nước - Bộ tài chính"], bodies: bodies)
            == .ministry(bodies[1]))
        #expect(ManagingMinistry.resolve(decision: "12/QĐ-UBND", agencyTexts: ["Sở Tư pháp"], bodies: bodies) == .unstated)
        #expect(ManagingMinistry.resolve(decision: "5/QĐ-NHNN", agencyTexts: [], bodies: bodies) == .unknownBody(code: "NHNN"))
        // A list whose merger loops ends, unresolved.
        #expect(ManagingMinistry.resolve(decision: "5/QĐ-LOOP", agencyTexts: [], bodies: bodies) == .unknownBody(code: "LOOP"))
    }
}

@Suite struct AgencySearchTests {
    let search = AgencySearch([
        AgencyCandidate(code: "01", name: "Thành phố Hà Nội", kindOrder: 2),
        AgencyCandidate(code: "00004", name: "Phường Ba Đình", kindOrder: 4),
        AgencyCandidate(code: "00008", name: "Phường Ngọc Hà", kindOrder: 4),
        AgencyCandidate(code: "10001", name: "Xã Hòa Bình", kindOrder: 3),
        AgencyCandidate(code: "10002", name: "Phường Hòa Bình Đông", kindOrder: 4),
        AgencyCandidate(code: "20001", name: "Xã Thủy Nguyên", kindOrder: 3),
        AgencyCandidate(code: "01.STP", name: "Sở Tư pháp thành phố Hà Nội", kindOrder: 6),
    ])

    @Test(arguments: ["Hòa Bình", "Hoà Bình", "hoa binh", "HOA BINH", "Hoa Bin"])
    func eitherTonePlacementAndNoDiacriticsFindTheUnit(_ typed: String) {
        #expect(search.search(typed, limit: 5).first?.code == "10001")
    }

    @Test func theWholeNameComesBeforeLongerNamesHoldingIt() {
        #expect(search.search("Xã Hòa Bình", limit: 5).map(\.code) == ["10001"])
        #expect(search.search("hoa binh", limit: 5).map(\.code) == ["10001", "10002"])
        #expect(search.search("Thuỷ Nguyên", limit: 5).map(\.code) == ["20001"])
        #expect(search.search("Hà Nội", limit: 5).map(\.code) == ["01", "01.STP"])
    }

    @Test func theCodeAndTheLimitAndAFilterAreHonoured() {
        #expect(search.search("00004", limit: 5).map(\.code) == ["00004"])
        #expect(search.search("phuong", limit: 2).count == 2)
        #expect(search.search("phuong", limit: 5, where: { $0 != "00004" }).map(\.code).contains("00004") == false)
        #expect(search.search("   ", limit: 5).isEmpty)
        #expect(search.search("khong co", limit: 5).isEmpty)
        #expect(search.search("ba", limit: 0).isEmpty)
    }
}

@Suite struct AgencySearchMarksTests {
    let search = AgencySearch([
        AgencyCandidate(code: "16171", name: "Xã Ba Đình", kindOrder: 3),
        AgencyCandidate(code: "21499", name: "Xã Ba Dinh", kindOrder: 3),
        AgencyCandidate(code: "30001", name: "Xã Hoà An", kindOrder: 3),
        AgencyCandidate(code: "30002", name: "Xã Hoa An", kindOrder: 3),
    ])

    @Test func namesWrittenAsTypedComeFirstWhereverTheToneMarkSits() {
        #expect(search.search("ba dinh", limit: 2).map(\.code) == ["21499", "16171"])
        #expect(search.search("Ba Đình", limit: 2).map(\.code) == ["16171", "21499"])
        #expect(search.search("Hòa An", limit: 2).map(\.code) == ["30001", "30002"])
        #expect(search.search("Hoà An", limit: 2).map(\.code) == ["30001", "30002"])
        #expect(search.search("Hoa An", limit: 2).map(\.code) == ["30002", "30001"])
    }
}
