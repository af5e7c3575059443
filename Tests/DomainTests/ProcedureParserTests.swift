import Foundation
import Testing

@testable import Domain

/// The parser on real National Public Service Portal records: the fixtures at the end of this file are field strings
/// copied exactly from the portal's records (`../shared/data/procedures`); the last test parses the whole data set.
@Suite("Portal procedure parser")
struct ProcedureParserTests {
    // MARK: - Identity and classification

    @Test func birthRegistrationKeepsIdentityAndClassification() throws {
        let procedure = try ProcedureParser.parse(PortalFixtures.birthRegistration, managingAgencyCode: "BTP").procedure

        #expect(procedure.code == "1.001193")
        #expect(procedure.name == "Thủ tục đăng ký khai sinh")
        #expect(procedure.decisionNumber == "163/QĐ-BTP")
        #expect(
            procedure.sourceURL == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7")
        #expect(procedure.field == "Hộ tịch")
        #expect(procedure.levels == [.commune])
        #expect(procedure.kind == "TTHC được giao luật quy định chi tiết")
        #expect(procedure.applicantTypes == ["Công dân Việt Nam", "Người Việt Nam định cư ở nước ngoài"])
        #expect(procedure.managingAgencyCode == "BTP")
        // "" and "Không có thông tin" are both "nothing published".
        #expect(procedure.competentAuthority == nil)
        #expect(procedure.implementingAgency == nil)
        #expect(procedure.requirements == nil)
    }

    @Test func applicantTypesSplitOnlyBetweenTypes() throws {
        let pesticide = try ProcedureParser.parse(
            PortalFixtures.pesticideCertificateReissue, managingAgencyCode: "BNNMT")
        let waterway = try ProcedureParser.parse(PortalFixtures.waterwayOpening, managingAgencyCode: "BXD")

        #expect(
            pesticide.procedure.applicantTypes == [
                "Công dân Việt Nam", "Doanh nghiệp", "Người nước ngoài", "Tổ chức nước ngoài", "Hợp tác xã",
                "Tổ chức (không bao gồm doanh nghiệp, HTX)", "Người Việt Nam định cư ở nước ngoài",
                "Doanh nghiệp Việt Nam", "Doanh nghiệp có vốn đầu tư nước ngoài",
            ])
        #expect(waterway.procedure.applicantTypes == ["Cán bộ, công chức, viên chức"])
        #expect(waterway.procedure.levels == [.ministry])
        #expect(waterway.procedure.implementingAgency == "Bộ Xây dựng, Cục Hàng hải và Đường thủy Việt Nam")
    }

    @Test func everyPortalLevelIsKnown() throws {
        var record = PortalFixtures.waterwayOpening
        record.implementationLevels = "Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác"

        let parsed = try ProcedureParser.parse(record, managingAgencyCode: "BXD")

        #expect(parsed.procedure.levels == [.ministry, .province, .commune, .other])
        #expect(parsed.issues.isEmpty)
    }

    // MARK: - Channels, processing times and fees

    @Test func bareNumberTimeStaysUnparsedWithItsOriginal() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.birthRegistration, managingAgencyCode: "BTP")

        let free = Parsed<[Fee]>.parsed([Fee(amount: nil, freeOfCharge: true)])
        #expect(
            parsed.procedure.channels == .parsed([
                ChannelOffer(channel: .online, processingTime: .unparsed(original: "1"), fees: free),
                ChannelOffer(channel: .postal, processingTime: .unparsed(original: "1"), fees: free),
                ChannelOffer(channel: .inPerson, processingTime: .unparsed(original: "1"), fees: free),
            ]))
        #expect(parsed.issues == [ParseIssue(field: "channels.processingTime", reason: "number without a unit")])
    }

    @Test func workingDaysAndAmountInDongWithNote() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.notaryCardReissue, managingAgencyCode: "BTP")

        let offer = { (channel: SubmissionChannel) in
            ChannelOffer(
                channel: channel, processingTime: .parsed(ProcessingTime(value: 5, unit: .workingDays)),
                fees: .parsed([Fee(amount: 100_000, freeOfCharge: false, note: "/hồ sơ")]))
        }
        #expect(parsed.procedure.channels == .parsed([offer(.online), offer(.postal), offer(.inPerson)]))
        #expect(parsed.issues.isEmpty)
    }

    @Test func monthsAndAmountWithThousandsSeparators() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.pesticideCertificateReissue, managingAgencyCode: "BNNMT")

        let offers = try #require(parsed.procedure.channels.value)
        #expect(offers.map(\.channel) == [.online, .postal, .inPerson])
        for offer in offers {
            #expect(offer.processingTime == .parsed(ProcessingTime(value: 4, unit: .months)))
            #expect(offer.fees == .parsed([Fee(amount: 1_500_000, freeOfCharge: false, note: "đồng/lần")]))
        }
    }

    @Test func hoursAndFreeOfCharge() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.dutyFreeSaleToSeafarers, managingAgencyCode: "BTC")

        #expect(
            parsed.procedure.channels == .parsed([
                ChannelOffer(
                    channel: .online, processingTime: .parsed(ProcessingTime(value: 1, unit: .hours)),
                    fees: .parsed([Fee(amount: nil, freeOfCharge: true)]))
            ]))
        #expect(parsed.issues.isEmpty)
    }

    @Test func bareTimeGluedToAnAmountThatSplitsOneWay() throws {
        // "Trực tuyến1100 VNĐ(…)": only 1 + 100 gives a time and an amount without a leading zero.
        let parsed = try ProcedureParser.parse(PortalFixtures.businessRegistrationGluedFee, managingAgencyCode: "BTC")

        let offers = try #require(parsed.procedure.channels.value)
        #expect(offers.count == 3)
        for offer in offers {
            #expect(offer.processingTime == .unparsed(original: "1"))
            #expect(
                offer.fees == .parsed([
                    Fee(
                        amount: 100, freeOfCharge: false,
                        note: "Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần "
                            + "(Thông tư số 47/2019/TT-BTC)")
                ]))
        }
        #expect(
            parsed.issues == [
                ParseIssue(field: "channels.processingTime", reason: "number without a unit"),
                ParseIssue(
                    field: "channels.fees",
                    reason: "amount under 1,000 đồng kept as published; the note may give the real tariff"),
            ])
    }

    @Test func bareTimeGluedToAnAmountThatSplitsTwoWaysIsNotGuessed() throws {
        // "Dịch vụ bưu chính125 VNĐ" is 1 + 25 or 12 + 5.
        let parsed = try ProcedureParser.parse(
            PortalFixtures.businessRegistrationAmbiguousFee, managingAgencyCode: "BTC")

        let offers = try #require(parsed.procedure.channels.value)
        #expect(offers.map(\.channel) == [.online, .postal, .inPerson])
        #expect(offers[0].processingTime == .unparsed(original: "1"))
        #expect(
            offers[0].fees == .parsed([
                Fee(
                    amount: nil, freeOfCharge: true,
                    note: "Miễn lệ phí đăng ký doanh nghiệp đối với trường hợp đăng ký qua mạng điện tử, đăng ký thành "
                        + "lập trên cơ sở chuyển đổi từ hộ kinh doanh (Thông tư số 47/2019/TT-BTC).")
            ]))
        for offer in offers.dropFirst() {
            #expect(offer.processingTime == .unparsed(original: "125"))
            #expect(offer.fees == .unparsed(original: "125 VNĐ"))
        }
        #expect(
            parsed.issues == [
                ParseIssue(field: "channels.processingTime", reason: "number without a unit"),
                ParseIssue(
                    field: "channels.processingTime", reason: "time and fee digits run together and cannot be split"),
                ParseIssue(field: "channels.fees", reason: "time and fee digits run together and cannot be split"),
            ])
    }

    @Test func rowsWithoutNumericTimeKeepTheirChannelAndOriginalTime() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.taxRefundNotice, managingAgencyCode: "BTC")

        let offers = try #require(parsed.procedure.channels.value)
        #expect(offers.map(\.channel) == [.online, .postal, .inPerson])
        for offer in offers {
            #expect(offer.processingTime == .unparsed(original: "Không phải trả kết quả cho người nộp thuế"))
            #expect(offer.fees == .parsed([Fee(amount: nil, freeOfCharge: true)]))
        }
        // "Trực tiếp tại …" inside a description does not start a row.
        #expect(offers[2].description?.hasPrefix("Nộp hồ sơ trực tiếp tại Trung tâm phục vụ hành chính công") == true)
        #expect(
            parsed.issues == [
                ParseIssue(field: "channels.processingTime", reason: "not a number of days, months or hours")
            ])
    }

    @Test func feeInUSDKeptInTheNote() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.laoBorderPermit, managingAgencyCode: "BCA")

        #expect(
            parsed.procedure.channels == .parsed([
                ChannelOffer(
                    channel: .inPerson, processingTime: .parsed(ProcessingTime(value: 1, unit: .workingDays)),
                    fees: .parsed([Fee(amount: nil, freeOfCharge: false, note: "10 USD (10 USD/người.)")]))
            ]))
        #expect(parsed.issues == [ParseIssue(field: "channels.fees", reason: "amount in USD kept in the note")])
    }

    // MARK: - "Không có thông tin"

    @Test func noInformationBecomesAbsent() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.urbanDevelopmentPlan, managingAgencyCode: "BXD")
        let procedure = parsed.procedure

        #expect(procedure.kind == nil)
        #expect(procedure.competentAuthority == nil)
        #expect(procedure.implementingAgency == nil)
        #expect(procedure.receivingAddress == nil)
        #expect(procedure.documents == .absent)
        #expect(procedure.legalBasis == .absent)
        let offers = try #require(procedure.channels.value)
        #expect(offers.map(\.channel) == [.inPerson, .online, .postal])
        #expect(offers.allSatisfy { $0.fees == .absent && $0.description == nil })
        #expect(offers.allSatisfy { $0.processingTime == .parsed(ProcessingTime(value: 42, unit: .days)) })
        #expect(
            procedure.results == .parsed([
                ResultDocument(name: "Quyết định phê duyệt kế hoạch phát triển đô thị", code: "KQ.G17.000621")
            ]))
        #expect(parsed.issues.isEmpty)
    }

    @Test func channelRowWithNothingButPlaceholders() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.noInformationChannel, managingAgencyCode: "BCA")

        #expect(
            parsed.procedure.channels
                == .parsed([ChannelOffer(channel: .inPerson, processingTime: .absent, fees: .absent)]))
        #expect(parsed.issues.isEmpty)
    }

    // MARK: - Documents

    @Test func birthRegistrationDocumentsByGroup() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.birthRegistration, managingAgencyCode: "BTP")

        let groups = try #require(parsed.procedure.documents.value)
        #expect(groups.map(\.title) == ["Giấy tờ phải nộp", "Giấy tờ phải xuất trình", "Lưu ý", nil])
        #expect(groups.map(\.documents.count) == [5, 6, 19, 3])
        #expect(
            groups[0].documents[0]
                == RequiredDocument(
                    name: "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm "
                        + "quyền lập.",
                    originals: 1, copies: 0))
        #expect(groups[0].documents[2].originals == 0)
        #expect(
            groups[3].documents[1]
                == RequiredDocument(
                    name: "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức "
                        + "trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính)",
                    originals: 1, copies: 0))
    }

    @Test func documentTextIsNFCWithoutInvisibleMarks() throws {
        // This record mixes decomposed letters ("dư\u{303} liê\u{323}u") and a left-to-right mark ("k\u{200E}ý").
        let parsed = try ProcedureParser.parse(PortalFixtures.birthRegistration, managingAgencyCode: "BTP")

        let names = try #require(parsed.procedure.documents.value).flatMap { $0.documents.map(\.name) }
        #expect(names.allSatisfy(isNFC))
        #expect(names.allSatisfy { !$0.unicodeScalars.contains("\u{200E}") })
        // Swift's == ignores normalisation, so compare scalars.
        let expected =
            "Trường hợp các thông tin cá nhân trong các giấy tờ này đã có trong Cơ sở dữ liệu quốc gia về dân cư, "
            + "Cơ sở dữ liệu hộ tịch điện tử, được hệ thống điền tự động thì không phải tải lên (theo hình thức trực "
            + "tuyến)"
        let expectedScalars = Array(expected.precomposedStringWithCanonicalMapping.unicodeScalars)
        #expect(names.contains { Array($0.unicodeScalars) == expectedScalars })
    }

    @Test func templateGluedToTheNameIsSplitOff() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.notaryCardReissue, managingAgencyCode: "BTP")

        #expect(
            parsed.procedure.documents == .parsed([
                DocumentGroup(
                    title: nil,
                    documents: [
                        RequiredDocument(
                            name: "Đơn đề nghị cấp lại thẻ công chứng viên theo Mẫu TP-CC-08 ban hành kèm theo "
                                + "Thông tư số 05/2025/TT-BTP",
                            template: "Mẫu TP-CC-08.docx", originals: 1, copies: 0),
                        RequiredDocument(
                            name: "Thẻ công chứng viên đang sử dụng (trong trường hợp Thẻ bị hỏng)", originals: 1,
                            copies: 0),
                        // "02 ảnh" with a leading zero is prose, not a quantity cell.
                        RequiredDocument(
                            name: "02 ảnh chân dung cỡ 2cm x 3cm (ảnh chụp không quá 06 tháng trước ngày nộp hồ sơ)",
                            originals: 1, copies: 0),
                    ])
            ]))
    }

    @Test func groupsWithHeadingsTemplatesAndCopies() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.fireFighterInjuryAllowance, managingAgencyCode: "BCA")

        let groups = try #require(parsed.procedure.documents.value)
        #expect(
            groups.map(\.title) == [
                "Đối với trường hợp đề nghị hỗ trợ chi trả chi phí khám bệnh, chữa bệnh",
                "Đối với trường hợp đề nghị trợ cấp theo mức suy giảm khả năng lao động",
            ])
        #expect(groups.flatMap { $0.documents.map(\.template) } == ["PC21.docx", "PC22.docx"])
        #expect(groups.flatMap { $0.documents.map { [$0.originals, $0.copies] } } == [[1, 1], [1, 1]])
        #expect(groups[0].documents[0].name.hasSuffix("mà không được yêu cầu người đề nghị cung cấp hồ sơ giấy"))
        #expect(parsed.issues.isEmpty)
    }

    // MARK: - Results

    @Test func resultWithPortalCode() throws {
        let birth = try ProcedureParser.parse(PortalFixtures.birthRegistration, managingAgencyCode: "BTP")
        let notary = try ProcedureParser.parse(PortalFixtures.notaryCardReissue, managingAgencyCode: "BTP")

        #expect(birth.procedure.results == .parsed([ResultDocument(name: "Giấy khai sinh", code: "KQ.G15.000031")]))
        #expect(
            notary.procedure.results == .parsed([ResultDocument(name: "Thẻ công chứng viên", code: "KQ.G15.000178")]))
    }

    // MARK: - Legal basis

    @Test func birthRegistrationLegalBasis() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.birthRegistration, managingAgencyCode: "BTP")

        let documents = try #require(parsed.procedure.legalBasis.value)
        #expect(
            documents.map(\.number) == [
                "85/2019/TT-BTC", "104/2022/NĐ-CP", "123/2015/NĐ-CP", "08/2025/TT-BTP", "18/2026/NĐ-CP",
                "87/2020/NĐ-CP", "04/2024/TT-BTP", "03/2023/TT-BTP", "106/2021/TT-BTC", "04/2020/TT-BTP",
                "07/2025/NĐ-CP", "120/2025/NĐ-CP", "66.7/2025/NQ-CP", "60/2014/QH13", "01/2022/TT-BTP",
            ])
        #expect(
            documents[2]
                == LegalDocument(
                    number: "123/2015/NĐ-CP",
                    title: "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và "
                        + "biện pháp thi hành Luật Hộ tịch",
                    issuedOn: "2015-11-15", issuer: "Chính phủ"))
        // The number column repeats a number that ends its title: "Luật 60/2014/QH13" + "60/2014/QH13".
        #expect(
            documents[13] == LegalDocument(number: "60/2014/QH13", title: "Luật 60/2014/QH13", issuer: "Quốc hội"))
        // A date after another document's number is not this document's date.
        #expect(documents[14].issuedOn == nil)
        #expect(parsed.issues.allSatisfy { $0.field != "legalBasis" })
    }

    @Test func legalBasisWithGluedYearsCapitalsAndDatesInWords() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.hazardousWasteTransport, managingAgencyCode: "BNNMT")

        let documents = try #require(parsed.procedure.legalBasis.value)
        #expect(
            documents.map(\.number) == [
                "72/2020/QH14", "05/2025/NĐ-CP", "02/2022/TT-BTNMT", "48/2026/NĐ-CP", "08/2022/NĐ-CP",
                "09/2026/TT-BNNMT", "146/2025/QH15",
            ])
        // "…năm 2020" + "72/2020/QH14": the year stays in the title and gives the date.
        #expect(
            documents[0]
                == LegalDocument(
                    number: "72/2020/QH14", title: "Luật Bảo vệ môi trường số 72/2020/QH14 ngày 17 tháng 11 năm 2020",
                    issuedOn: "2020-11-17", issuer: "Quốc hội"))
        #expect(documents[1].title.hasPrefix("SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA NGHỊ ĐỊNH SỐ 08/2022/NĐ-CP"))
        #expect(documents.map(\.issuedOn) == ["2020-11-17", nil, nil, "2026-01-29", nil, "2026-01-29", "2025-12-11"])
        #expect(documents[2].issuer == "Bộ Tài nguyên và Môi trường")
        #expect(parsed.issues.isEmpty)
    }

    @Test func legalBasisWithYearGluedToTheNumber() throws {
        let parsed = try ProcedureParser.parse(PortalFixtures.notaryCardReissue, managingAgencyCode: "BTP")

        let documents = try #require(parsed.procedure.legalBasis.value)
        #expect(documents.map(\.number) == ["257/2016/TT-BTC", "05/2025/TT-BTP", "46/2024/QH15"])
        #expect(documents.map(\.issuer) == ["Bộ Tài chính", "Bộ Tư pháp", "Quốc hội"])
        #expect(documents[2].title == "Luật Công chứng năm 2024")
    }

    // MARK: - Records that cannot be parsed

    @Test func recordWithoutCodeThrows() {
        var record = PortalFixtures.dutyFreeSaleToSeafarers
        record.code = " "

        #expect(throws: RecordError.missingCode) {
            try ProcedureParser.parse(record, managingAgencyCode: "BTC")
        }
    }

    @Test func recordWithoutNameThrows() {
        var record = PortalFixtures.dutyFreeSaleToSeafarers
        record.name = PortalText.noInformation

        #expect(throws: RecordError.missingName) {
            try ProcedureParser.parse(record, managingAgencyCode: "BTC")
        }
    }

    // MARK: - Decoding

    @Test func decodingToleratesMissingAndNullKeys() throws {
        let line = #"""
            {"ma_thu_tuc": "1.009063", "ten_thu_tuc": null, "linh_vuc": "Hải quan", "cach_thuc_thuc_hien": \#
            "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1 GiờMiễn phí", "raw_text": "Thủ tục bán hàng miễn thuế"}
            """#

        let record = try JSONDecoder().decode(PortalProcedureRecord.self, from: Data(line.utf8))

        #expect(record.code == "1.009063")
        #expect(record.name == "")
        #expect(record.field == "Hải quan")
        #expect(record.documents == "")
        #expect(record.channels == "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1 GiờMiễn phí")
    }

    @Test func recordRoundTripsThroughJSONWithPortalKeys() throws {
        let data = try JSONEncoder().encode(PortalFixtures.dutyFreeSaleToSeafarers)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])

        #expect(object["ma_thu_tuc"] == "1.009063")
        #expect(object["cach_thuc_thuc_hien"] == PortalFixtures.dutyFreeSaleToSeafarers.channels)
        let decoded = try JSONDecoder().decode(PortalProcedureRecord.self, from: data)
        #expect(decoded == PortalFixtures.dutyFreeSaleToSeafarers)
    }

    // MARK: - The whole portal data set

    @Test(.enabled(if: PortalDataSet.directory != nil))
    func everyPortalRecordParses() throws {
        let directory = try #require(PortalDataSet.directory)
        var coverage = Coverage()

        for file in try PortalDataSet.files(in: directory) {
            let agency = file.deletingPathExtension().lastPathComponent
            for line in try Data(contentsOf: file).split(separator: UInt8(ascii: "\n")) {
                let record = try JSONDecoder().decode(PortalProcedureRecord.self, from: line)
                let procedure = try ProcedureParser.parse(record, managingAgencyCode: agency).procedure
                coverage.count(procedure)
                switch procedure.channels {
                case .parsed(let offers): #expect(!offers.isEmpty, "\(record.code)")
                case .unparsed(let original): #expect(!original.isEmpty, "\(record.code)")
                case .absent: #expect(PortalText.clean(record.channels) == nil, "\(record.code)")
                }
            }
        }

        // Floors a little under the shares measured on the 2,378 records (channels 100%, times 84.7%, fees 99.4%,
        // documents 98.9%, results 99.9%, legal basis 99.7%), so a regression in any parser shows.
        #expect(coverage.records == 2_378)
        #expect(coverage.share(\.channels) >= 0.99)
        #expect(coverage.share(\.processingTimes) >= 0.83)
        #expect(coverage.share(\.fees) >= 0.99)
        #expect(coverage.share(\.documents) >= 0.98)
        #expect(coverage.share(\.results) >= 0.995)
        #expect(coverage.share(\.legalBasis) >= 0.99)
    }
}

// MARK: - Helpers

private func isNFC(_ text: String) -> Bool {
    text.unicodeScalars.elementsEqual(text.precomposedStringWithCanonicalMapping.unicodeScalars)
}

extension Parsed {
    fileprivate var isUnparsed: Bool {
        if case .unparsed = self { return true }
        return false
    }
}

/// How many records had each table fully parsed (structure recovered, nothing kept as original text).
private struct Coverage {
    var records = 0
    var channels = 0
    var processingTimes = 0
    var fees = 0
    var documents = 0
    var results = 0
    var legalBasis = 0

    mutating func count(_ procedure: Procedure) {
        records += 1
        if let offers = procedure.channels.value {
            channels += 1
            if !offers.contains(where: { $0.processingTime.isUnparsed }) { processingTimes += 1 }
            if !offers.contains(where: { $0.fees.isUnparsed }) { fees += 1 }
        }
        if !procedure.documents.isUnparsed { documents += 1 }
        if !procedure.results.isUnparsed { results += 1 }
        if !procedure.legalBasis.isUnparsed { legalBasis += 1 }
    }

    func share(_ counter: KeyPath<Coverage, Int>) -> Double {
        records == 0 ? 0 : Double(self[keyPath: counter]) / Double(records)
    }
}

/// The portal data set: the copy the demo seed ships (`Resources/Seed/procedures`, the portal's records less
/// their `raw_text`), or the directory `MOTCUA_PROCEDURES_DIR` names, e.g. `../shared/data/procedures`.
private enum PortalDataSet {
    static let directory: URL? = {
        let fromEnvironment = ProcessInfo.processInfo.environment["MOTCUA_PROCEDURES_DIR"].map {
            URL(fileURLWithPath: $0)
        }
        let seed = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // DomainTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // the package
            .appendingPathComponent("Resources/Seed/procedures")
        return [fromEnvironment, seed].compactMap { $0 }.first {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }()

    static func files(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "jsonl" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

// MARK: - Fixtures

// Generated from ../shared/data/procedures (National Public Service Portal records); field strings are
// copied exactly, so these tests do not need the data set at run time.
enum PortalFixtures {
    /// 1.001193 Thủ tục đăng ký khai sinh (bo-tu-phap): bare "1" times, three document groups, 15 legal documents.
    static let birthRegistration = PortalProcedureRecord(
        code: #"1.001193"#,
        detailURL: #"""
        https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7
        """#,
        name: #"Thủ tục đăng ký khai sinh"#,
        decisionNumber: #"163/QĐ-BTP"#,
        implementationLevels: #"Cấp xã"#,
        kind: #"TTHC được giao luật quy định chi tiết"#,
        field: #"Hộ tịch"#,
        applicantTypes: #"Công dân Việt Nam, Người Việt Nam định cư ở nước ngoài"#,
        relatedProcedures: #"Không có thông tin"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn \#
        phí
        """#,
        documents: #"""
        * Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Trường hợp trẻ em bị bỏ rơi thì phải \#
        có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.1 bản chính- Văn bản ủy quyền \#
        (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng \#
        ký khai sinh. Trường hợp người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, \#
        em ruột của người ủy quyền thì văn bản ủy quyền không phải chứng thực.1 bản chínhTrường hợp \#
        người yêu cầu đã nộp bản điện tử Giấy chứng sinh hoặc cơ quan đăng ký hộ tịch đã khai thác được \#
        dữ liệu điện tử có ký số của Giấy chứng sinh thì không phải nộp bản giấy.0 bản chính- Trường \#
        hợp khai sinh cho trẻ em sinh ra do mang thai hộ phải có văn bản xác nhận của cơ sở y tế đã \#
        thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ.1 bản chính- Giấy chứng sinh; trường \#
        hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu \#
        không có người làm chứng thì phải có giấy cam đoan về việc sinh.1 bản chính* Giấy tờ phải xuất \#
        trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngTrường hợp không khai thác được thông tin hoặc thông \#
        tin khai thác được không đầy đủ, không chính xác thì cơ quan đăng ký hộ tịch yêu cầu người đi \#
        đăng ký hộ tịch xuất trình bản chính giấy tờ để chứng minh, đồng thời đề nghị người đi đăng \#
        ký hộ tịch cập nhật, điều chỉnh thông tin trong các cơ sở dữ liệu theo quy định của pháp luật.0 \#
        bản chính- Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký \#
        hộ tịch không thể khai thác được thông tin về nơi cư trú của công dân theo các phương thức quy \#
        định tại khoản 2 Điều 14 Nghị định số 104/2022/NĐ-CP ngày 21/12/2022 của Chính phủ. Trường hợp \#
        các thông tin về giấy tờ chứng minh nơi cư trú đã được khai thác từ Cơ sở dữ liệu quốc gia về \#
        dân cư bằng các phương thức này thì người có yêu cầu không phải xuất trình (theo hình thức trực \#
        tiếp) hoặc tải lên (theo hình thức trực tuyến).1 bản chínhTrường hợp các thông tin cá nhân trong \#
        các giấy tờ này đã có trong Cơ sơ\#u{309} dư\#u{303} liê\#u{323}u quô\#u{301}c gia vê\#u{300} \#
        dân cư, Cơ sơ\#u{309} dư\#u{303} liê\#u{323}u hô\#u{323} ti\#u{323}ch điê\#u{323}n tư\#u{309}, \#
        được hệ thống điền tự động thì không phải tải lên (theo hình thức trực tuyến)0 bản chínhTrươ\#u{300}ng \#
        hơ\#u{323}p giâ\#u{301}y tơ\#u{300} tu\#u{300}y thân sư\#u{309} du\#u{323}ng la\#u{300}: Hô\#u{323} \#
        chiê\#u{301}u, The\#u{309} căn cươ\#u{301}c, Căn cươ\#u{301}c công dân, Giâ\#u{301}y chư\#u{301}ng \#
        nhâ\#u{323}n căn cươ\#u{301}c thi\#u{300} ngươ\#u{300}i co\#u{301} yêu câ\#u{300}u đăng ky\#u{301} \#
        hô\#u{323} ti\#u{323}ch chi\#u{309} câ\#u{300}n cung câ\#u{301}p thông tin sô\#u{301} đi\#u{323}nh \#
        danh ca\#u{301} nhân hoă\#u{323}c thông tin vê\#u{300} giâ\#u{301}y tơ\#u{300} (sô\#u{301}, \#
        nga\#u{300}y/tha\#u{301}ng/năm câ\#u{301}p), cơ quan đăng ký hộ tịch có trách nhiệm tra cứu \#
        thông tin thông qua kết nối với Cơ sở dữ liệu hộ tịch điện tử, Cơ sở dữ liệu quốc gia về dân \#
        cư hoặc cơ sở dữ liệu khác có liên quan để đối chiếu, khai thác dữ liệu.0 bản chính- Trường \#
        hợp gửi hồ sơ qua hệ thống bưu chính thì phải gửi kèm theo bản sao có chứng thực các giấy tờ \#
        phải xuất trình nêu trên.0 bản chính- Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện \#
        tử/Giấy chứng nhận căn cước hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan \#
        có thẩm quyền cấp, còn giá trị sử dụng (sau đây go\#u{323}i tă\#u{301}t la\#u{300} giâ\#u{301}y \#
        tơ\#u{300} tu\#u{300}y thân) để chứng minh về nhân thân khi la\#u{300}m thu\#u{309} tu\#u{323}c \#
        trư\#u{323}c tiê\#u{301}p ta\#u{323}i cơ quan đăng ky\#u{301} hô\#u{323} ti\#u{323}ch.1 bản \#
        chính* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Cá nhân có quyền lựa chọn thực hiện thủ tục \#
        hành chính về hộ tịch tại cơ quan đăng ký hộ tịch nơi cư trú; nơi cư trú của cá nhân được xác \#
        định theo quy định của pháp luật về cư trú. Trường hợp cá nhân lựa chọn thực hiện thủ tục hành \#
        chính về hộ tịch không phải tại Ủy ban nhân dân cấp xã nơi thường trú hoặc nơi tạm trú thì Ủy \#
        ban nhân dân cấp xã nơi tiếp nhận yêu cầu có trách nhiệm hỗ trợ người dân nộp hồ sơ đăng ký \#
        hộ tịch trực tuyến đến đúng cơ quan có thẩm quyền theo quy định.0 bản chínhCơ quan đăng ký hộ \#
        tịch từ chối giải quyết hoặc đề nghị cơ quan có thẩm quyền hủy bỏ kết quả đăng ký hộ tịch, nếu \#
        có cơ sở xác định nội dung cam đoan không đúng sự thật.0 bản chính- Đối với việc xác định họ, \#
        dân tộc, quê quán, đặt tên cho trẻ:0 bản chính+ Trường hợp cha, mẹ không thỏa thuận được về \#
        họ, dân tộc, quê quán của con khi đăng ký khai sinh thì họ, dân tộc, quê quán của con được xác \#
        định theo tập quán nhưng phải bảo đảm theo họ, dân tộc, quê quán của cha hoặc mẹ.0 bản chính+ \#
        Người tiếp nhận có trách nhiệm tiếp nhận đúng, đủ hồ sơ đăng ký hộ tịch theo quy định của pháp \#
        luật hộ tịch, không được yêu cầu người đăng ký hộ tịch nộp thêm giấy tờ mà pháp luật hộ tịch \#
        không quy định phải nộp .0 bản chính+ Trường hợp giấy tờ, tài liệu phải gửi kèm trong hồ sơ \#
        đăng ký khai sinh trực tuyến đã có bản sao điện tử hoặc đã có bản điện tử giấy tờ hộ tịch thì \#
        người yêu cầu được sử dụng bản điện tử này.0 bản chính- Trường hợp cho phép người yêu cầu đăng \#
        ký hộ tịch lập văn bản cam đoan về nội dung yêu cầu đăng ký hộ tịch thì cơ quan đăng ký hộ tịch \#
        phải giải thích rõ cho người lập văn bản cam đoan về trách nhiệm, hệ quả pháp lý của việc cam \#
        đoan không đúng sự thật.0 bản chính- Trường hợp người đi đăng ký khai sinh cho trẻ em là ông, \#
        bà, người thân thích khác thì không phải có văn bản ủy quyền của cha, mẹ trẻ em, nhưng phải \#
        thống nhất với cha, mẹ trẻ em về các nội dung khai sinh.0 bản chính- Đối với giấy tờ gửi kèm \#
        theo nếu người yêu cầu nộp hồ sơ theo hình thức trực tuyến:0 bản chínhNgười tiếp nhận hồ sơ \#
        thực hiện khai thác thông tin trong Cơ sở dữ liệu quốc gia về dân cư theo quy định pháp luật \#
        nếu người yêu cầu đăng ký hộ tịch đã cung cấp họ, chữ đệm, tên; ngày, tháng, năm sinh; số định \#
        danh cá nhân/căn cước công dân/thẻ căn cước/chứng minh nhân dân. Trường hợp các thông tin cần \#
        khai thác không có trong Cơ sở dữ liệu quốc gia về dân cư thì đề nghị người yêu cầu kê khai \#
        đầy đủ .0 bản chính- Trường hợp người yêu cầu đăng k\#u{200E}ý hộ tịch lựa chọn nhận kết quả \#
        tại Trung tâm Phục vụ hành chính công thì người yêu cầu đăng ký hộ tịch phải xuất trình giấy \#
        tờ tuỳ thân, nộp các giấy tờ là thành phần hồ sơ theo quy định; Trường hợp người yêu cầu đăng \#
        ký hộ tịch không lựa chọn nhận kết quả tại Trung tâm Phục vụ hành chính công thì người yêu cầu \#
        đăng ký hộ tịch nộp các giấy tờ là thành phần hồ sơ theo quy định trước khi nhận kết quả.0 bản \#
        chính- Đối với giấy tờ nộp, xuất trình nếu người yêu cầu nộp hồ sơ theo hình thức trực tiếp:0 \#
        bản chính+ Việc xác định họ, dân tộc, đặt tên cho trẻ em phải phù hợp với pháp luật và yêu cầu \#
        giữ gìn bản sắc dân tộc, tập quán, truyền thống văn hóa tốt đẹp của Việt Nam; không đặt tên \#
        quá dài, khó sử dụng.0 bản chính- Trường hợp người yêu cầu đăng ký hộ tịch không cung cấp được \#
        giấy tờ theo quy định hoặc giấy tờ nộp, xuất trình bị tẩy xóa, sửa chữa, làm giả thì cơ quan \#
        đăng ký hộ tịch có thẩm quyền hủy bỏ kết quả đăng ký hộ tịch.0 bản chính+ Bản chụp các giấy \#
        tờ gửi kèm theo hồ sơ đăng ký khai sinh trực tuyến phải bảo đảm rõ nét, đầy đủ, toàn vẹn về \#
        nội dung, là bản chụp bằng máy ảnh, điện thoại hoặc được chụp, được quét bằng thiết bị điện \#
        tử, từ giấy tờ được cấp hợp lệ, còn giá trị sử dụng.0 bản chính+ Người yêu cầu đăng ký hộ tịch \#
        có thể nộp bản sao được chứng thực từ bản chính hoặc bản sao được cấp từ sổ gốc (sau đây gọi \#
        là bản sao) hoặc bản chụp kèm theo bản chính, bản điện tử các giấy tờ này, bao gồm cả giấy tờ \#
        được tích hợp, hiển thị trên Ứng dụng định danh điện tử (VneID).0 bản chínhĐối với giấy tờ xuất \#
        trình khi đăng ký hộ tịch, người tiếp nhận có trách nhiệm kiểm tra, đối chiếu, ghi lại thông \#
        tin hoặc chụp lại, ký xác nhận để lưu trong hồ sơ và trả lại cho người xuất trình, không được \#
        yêu cầu nộp bản sao hoặc bản chụp giấy tờ đó.0 bản chính- Giấy tờ do cơ quan có thẩm quyền của \#
        nước ngoài cấp, công chứng hoặc xác nhận để sử dụng cho việc đăng ký hộ tịch tại Việt Nam phải \#
        được hợp pháp hóa lãnh sự theo quy định của pháp luật, trừ trường hợp được miễn theo điều ước \#
        quốc tế mà Việt Nam là thành viên.0 bản chínhTrường hợp người yêu cầu nộp bản chụp kèm theo \#
        bản chính giấy tờ thì người tiếp nhận có trách nhiệm kiểm tra, đối chiếu bản chụp với bản chính \#
        và ký xác nhận, không được yêu cầu nộp bản sao giấy tờ đó.0 bản chính--Tên giấy tờMẫu đơn, tờ \#
        khaiSố lượng- Người có yêu cầu đăng ký khai sinh thực hiện việc nộp/xuất trình (theo hình thức \#
        trực tiếp) hoặc tải lên (theo hình thức trực tuyến) các giấy tờ sau:0 bản chính- Tờ khai đăng \#
        ký khai sinh theo mẫu  (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc \#
        gửi hồ sơ qua hệ thống bưu chính);1 bản chính- Mẫu hộ tịch điện tử tương tác đăng ký khai sinh \#
        (do người yêu cầu cung cấp thông tin theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu \#
        cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến)1 bản chính
        """#,
        legalBasis: #"""
        Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định \#
        của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương85/2019/TT-BTCNghị định sửa đổi, \#
        bổ sung một số điều của các Nghị định liên quan đến việc nộp xuất trình sổ hộ khẩu, sổ tạm trú \#
        giấy khi thực hiện thủ tục hành chính, cung cấp dịch vụ công104/2022/NĐ-CPNghị định số 123/2015/NĐ-CP \#
        ngày 15/11/2015 của  Chính phủ quy định chi tiết một số điều và biện pháp thi  hành Luật Hộ \#
        tịch123/2015/NĐ-CPThông tư số 08/2025/TT-BTP ngày 12/6/2025 của Bộ trưởng Bộ Tư pháp quy định \#
        về phân định thẩm quyền của chính quyền địa phương 02 cấp và phân cấp trong lĩnh vực quản lý \#
        nhà nước của Bộ Tư pháp08/2025/TT-BTPNghị định sửa đổi, bổ sung một số nghị định để cắt giảm, \#
        đơn giản hóa thủ tục hành chính, điều kiện kinh doanh  thuộc phạm vi quản lý của Bộ Tư pháp18/2026/NĐ-CP\#
         Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử, đăng ký hộ tịch trực tuyến87/2020/NĐ-CPSửa \#
        đổi, bổ sung một số điều của Thông tư số 02/2020/TT-BTP ngày 08/4/2020 của Bộ trưởng Bộ Tư pháp \#
        ban hành, hướng dẫn sử dụng, quản lý mẫu sổ quốc tịch và mẫu giấy tờ về quốc tịch và Thông tư \#
        số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số \#
        điều của Luật Hộ tịch và Nghị định  số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định \#
        chi tiết  một số điều và biện pháp thi hành Luật Hộ tịch04/2024/TT-BTPThông tư số 03/2023/TT-BTP \#
        ngày 02/8/2023 của Bộ trưởng Bộ Tư phápThông tư số 03/2023/TT-BTPThông tư sửa đổi, bổ sung một \#
        số điều của Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và \#
        lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương.106/2021/\#
        TT-BTCHướng dẫn Luật hộ tịch và Nghị định 123/2015/NĐ-CP hướng dẫn Luật hộ tịch do Bộ trưởng \#
        Bộ Tư pháp ban hành04/2020/TT-BTPNghị định sửa đổi, bổ sung một số điều của các Nghị định trong \#
        lĩnh vực hộ tịch, quốc tịch, chứng thực.07/2025/NĐ-CPNghị định số 120/2025/NĐ-CP ngày 11/6/2025 \#
        của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh \#
        vực quản lý nhà nước của Bộ Tư pháp.120/2025/NĐ-CPNghị quyết số 66.7/2025/NQ-CP của Chính phủ: \#
        Quy định cắt giảm, đơn giản hóa thủ tục hành chính dựa trên dữ liệu66.7/2025/NQ-CPLuật 60/2014/QH1360/20\#
        14/QH13Thông tư quy định chi tiết một số điều và biện pháp thi hành Nghị định số 87/2020/NĐ-CP \#
        ngày 28 tháng 7 năm 2020 của Chính phủ quy định về Cơ sở dữ liệu hộ tịch điện tử, đăng ký hộ \#
        tịch trực tuyến01/2022/TT-BTP
        """#,
        implementingAgency: #"Không có thông tin"#,
        requirements: #"Không có thông tin"#,
        results: #"""
        Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan \#
        thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ \#
        thống chỉ hiển thị những cơ quan đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ
        """#
    )
    /// 1.013830: "5 Ngày làm việc" and "100,000 Việt Nam Đồng(/hồ sơ)"; a template glued to its name.
    static let notaryCardReissue = PortalProcedureRecord(
        code: #"1.013830"#,
        detailURL: #"""
        https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-7e7f-773f-8719-237782e84ee0
        """#,
        name: #"Cấp lại Thẻ công chứng viên"#,
        decisionNumber: #"1859/QĐ-BTP"#,
        implementationLevels: #"Cấp tỉnh"#,
        kind: #"TTHC được giao luật quy định chi tiết"#,
        field: #"Công chứng"#,
        applicantTypes: #"Công dân Việt Nam"#,
        relatedProcedures: #"Không có thông tin"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việc100,000 Việt Nam Đồng(/hồ sơ)Dịch \#
        vụ bưu chính5 Ngày làm việc100,000 Việt Nam Đồng(/hồ sơ)Trực tiếp5 Ngày làm việc100,000 Việt \#
        Nam Đồng(/hồ sơ)
        """#,
        documents: #"""
        --Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị cấp lại thẻ công chứng viên theo Mẫu TP-CC-08 \#
        ban hành kèm theo Thông tư số 05/2025/TT-BTPMẫu TP-CC-08.docx1 bản chínhThẻ công chứng viên \#
        đang sử dụng (trong trường hợp Thẻ bị hỏng)1 bản chính02 ảnh chân dung cỡ 2cm x 3cm (ảnh chụp \#
        không quá 06 tháng trước ngày nộp hồ sơ)1 bản chính
        """#,
        legalBasis: #"""
        Tên văn bản pháp lýMã văn bảnThông tư quy định mức thu, chế độ thu, nộp, quản lý, sử dụng phí \#
        công chứng; phí chứng thực bản sao từ bản chính, chứng thực chữ ký trong giấy tờ, văn bản; phí \#
        thẩm định tiêu chuẩn, điều kiện hành nghề công chứng; phí thẩm định điều kiện hoạt động Văn \#
        phòng công chứng; lệ phí cấp thẻ công chứng viên257/2016/TT-BTCThông tư 05/2025/TT-BTP hướng \#
        dẫn Luật Công chứng do Bộ trưởng Bộ Tư pháp ban hành05/2025/TT-BTPLuật Công chứng năm 202446/2024/QH15
        """#,
        implementingAgency: #"Không có thông tin"#,
        requirements: #"""
        Thẻ công chứng viên được cấp lại trong trường hợp thẻ đã được cấp bị mất, bị hỏng hoặc tổ chức \#
        hành nghề công chứng thay đổi tên.
        """#,
        results: #"""
        Thẻ công chứng viênMã: KQ.G15.000178Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ \#
        quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã \#
        --Hệ thống chỉ hiển thị những cơ quan đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ
        """#
    )
    /// 2.001429: "4 Tháng" and "1,500,000 VNĐ(đồng/lần)"; nine applicant types.
    static let pesticideCertificateReissue = PortalProcedureRecord(
        code: #"2.001429"#,
        detailURL: #"""
        https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfa-a60f-7304-b314-73a74a3cac88
        """#,
        name: #"""
        Cấp lại Giấy chứng nhận đăng ký thuốc bảo vệ thực vật trường hợp đổi tên thương phẩm, thông \#
        tin liên quan đến tổ chức, cá nhân đăng ký
        """#,
        decisionNumber: #"278/QĐ-BNNMT"#,
        implementationLevels: #"Cấp bộ"#,
        kind: #"TTHC không được luật giao cho địa phương quy định"#,
        field: #"Trồng trọt và Bảo vệ thực vật"#,
        applicantTypes: #"""
        Công dân Việt Nam, Doanh nghiệp, Người nước ngoài, Tổ chức nước ngoài, Hợp tác xã, Tổ chức (không \#
        bao gồm doanh nghiệp, HTX), Người Việt Nam định cư ở nước ngoài, Doanh nghiệp Việt Nam, Doanh \#
        nghiệp có vốn đầu tư nước ngoài
        """#,
        relatedProcedures: #"Không có thông tin"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến4 Tháng1,500,000 VNĐ(đồng/lần)Dịch vụ bưu chính4 \#
        Tháng1,500,000 VNĐ(đồng/lần)Trực tiếp4 Tháng1,500,000 VNĐ(đồng/lần)
        """#,
        documents: #"""
        --Tên giấy tờMẫu đơn, tờ khaiSố lượngBản chính Giấy chứng nhận đăng ký thuốc bảo vệ thực vật \#
        đã được cấp.1 bản chínhBản sao chứng thực hoặc bản sao chụp (mang theo bản chính để đối chiếu) \#
        văn bản của cơ quan Nhà nước có thẩm quyền về sở hữu trí tuệ hoặc của tòa án về việc vi phạm \#
        nhãn hiệu hàng hóa (trường hợp đổi tên thương phẩm).1 bản chínhĐơn đề nghị đổi tên thương phẩm, \#
        thông tin liên quan đến tổ chức, cá nhân đăng ký (theo mẫu quy định tại Phụ lục II ban hành \#
        kèm theo Thông tư số 21/2015/TT-BNNPTNT).PhlcII.docx1 bản chínhTrường hợp chuyển nhượng tên \#
        thương phẩm: Bản chính hoặc bản sao chứng thực hợp đồng hoặc thỏa thuận chuyển nhượng thuốc \#
        bảo vệ thực vật; Bản chính giấy ủy quyền đăng ký của nhà sản xuất cho tổ chức, cá nhân nhận \#
        chuyển nhượng (trường hợp ủy quyền đứng tên đăng ký).1 bản chính
        """#,
        legalBasis: #"""
        Tên văn bản pháp lýMã văn bảnquy định về Quản lý thuốc bảo vệ thực vật\#n21/2015/TT-BNNPTNTquy \#
        định chi tiết một số điều của Luật Bảo vệ và kiểm dịch thực vật, Luật Trồng trọt và sửa đổi, \#
        bổ sung một số điều của các thông tư trong lĩnh vực trồng trọt và bảo vệ thực vậtsố 07/2026/TT-BNNMTThôn\#
        g tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí trong hoạt động kiểm dịch và \#
        bảo vệ thực vật thuộc lĩnh vực nông nghiệp33/2021/TT-BTCLuật Bảo vệ và kiểm dịch thực vật 41/2013/QH13Lu\#
        ật sửa đổi, bổ sung một số điều của 15 luật trong lĩnh vực nông nghiệp và môi trườngLuật số \#
        146/2025/QH15
        """#,
        implementingAgency: #"Cục Trồng trọt và Bảo vệ thực vật - Bộ NN và MT"#,
        requirements: #"Không có thông tin"#,
        results: #"""
        Giấy chứng nhận đăng ký thuốc bảo vệ thực vậtMã: KQ.G10.000062Từ khóaKhông có thông tinMô tảKhông \#
        có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Bộ ngành --Đơn vị-- Chọn Cơ \#
        sở --Nộp hồ sơ
        """#
    )
    /// 1.009063: "1 Giờ", no legal basis.
    static let dutyFreeSaleToSeafarers = PortalProcedureRecord(
        code: #"1.009063"#,
        detailURL: #"""
        https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfc-7433-72e7-93c9-346d84f10e3b
        """#,
        name: #"""
        Thủ tục bán hàng miễn thuế cho đối tượng mua là thuyền viên làm việc trên tàu biển cha\#u{323}y \#
        tuyê\#u{301}n quô\#u{301}c tê\#u{301}
        """#,
        decisionNumber: #"2065/QĐ-BTC"#,
        implementationLevels: #"Cấp xã"#,
        kind: #"TTHC được giao luật quy định chi tiết"#,
        field: #"Hải quan"#,
        applicantTypes: #"Doanh nghiệp"#,
        relatedProcedures: #"Không có thông tin"#,
        channels: #"Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1 GiờMiễn phí"#,
        documents: #"""
        --Tên giấy tờMẫu đơn, tờ khaiSố lượngThông tin về khách hàng và hàng hóa khách mua1 bản chính
        """#,
        legalBasis: #"Không có thông tin"#,
        implementingAgency: #"Chi cục Hải quan khu vực"#,
        requirements: #"Không có thông tin"#,
        results: #"""
        Phản hồi từ hệ thống xử lý dữ liệu điện tửMã: KQ.G12.000417Từ khóaKhông có thông tinMô tảKhông \#
        có thông tin
        """#
    )
    /// 1.007689: no numeric time ("Không phải trả kết quả cho người nộp thuế").
    static let taxRefundNotice = PortalProcedureRecord(
        code: #"1.007689"#,
        name: #"""
        Khai thuế đối với cá nhân cho thuê bất động sản trực tiếp khai thuế với cơ quan thuế
        """#,
        field: #"Thuế"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn \#
        phíBằng phương thức điện tử qua Cổng dịch vụ công Quốc gia hoặc Ứng dụng định danh quốc gia \#
        theo quy định về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành \#
        chính.Dịch vụ bưu chínhKhông phải trả kết quả cho người nộp thuếMiễn phíGửi hồ sơ qua dịch vụ \#
        bưu chính công ích theo quy định của Thủ tướng Chính phủ, qua thuê dịch vụ của doanh nghiệp, \#
        cá nhân hoặc qua ủy quyền theo quy định của pháp luật đến Trung tâm Phục vụ hành chính công \#
        cấp tỉnh, xã đối với trường hợp người nộp thuế thuộc đối tượng có hoàn cảnh đặc biệt, bao gồm \#
        người cao tuổi, người khuyết tật, người thuộc diện bảo trợ xã hội, người cư trú tại địa bàn \#
        có điều kiện kinh tế - xã hội đặc biệt khó khăn hoặc thuộc trường hợp bất khả kháng khác, không \#
        thể thực hiện giao dịch điện tử.Trực tiếpKhông phải trả kết quả cho người nộp thuếMiễn phíNộp \#
        hồ sơ trực tiếp tại Trung tâm phục vụ hành chính công cấp tỉnh, xã; hoặc gửi hồ sơ qua dịch \#
        vụ bưu chính công ích theo quy định của Thủ tướng Chính phủ, qua thuê dịch vụ của doanh nghiệp, \#
        cá nhân hoặc qua ủy quyền theo quy định của pháp luật đến Trung tâm Phục vụ hành chính công \#
        cấp tỉnh, xã đối với trường hợp người nộp thuế thuộc đối tượng có hoàn cảnh đặc biệt, bao gồm \#
        người cao tuổi, người khuyết tật, người thuộc diện bảo trợ xã hội, người cư trú tại địa bàn \#
        có điều kiện kinh tế - xã hội đặc biệt khó khăn hoặc thuộc trường hợp bất khả kháng khác, không \#
        thể thực hiện giao dịch điện tử.
        """#
    )
    /// 2.002069: a bare time glued to a fee that splits two ways ("125 VNĐ").
    static let businessRegistrationAmbiguousFee = PortalProcedureRecord(
        code: #"2.002069"#,
        name: #"""
        Đăng ký hoạt động chi nhánh, văn phòng đại diện, thông báo lập địa điểm kinh doanh; thông báo \#
        lập chi nhánh, văn phòng đại diện ở nước ngoài
        """#,
        field: #"Thành lập và hoạt động của doanh nghiệp"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phí(Miễn lệ phí đăng ký doanh nghiệp đối \#
        với trường hợp đăng ký qua mạng điện tử, đăng ký thành lập trên cơ sở chuyển đổi từ hộ kinh \#
        doanh (Thông tư số 47/2019/TT-BTC).)Dịch vụ bưu chính125 VNĐTrực tiếp125 VNĐ
        """#
    )
    /// 2.002085: a bare time glued to a fee that splits one way only ("1100 VNĐ").
    static let businessRegistrationGluedFee = PortalProcedureRecord(
        code: #"2.002085"#,
        name: #"""
        Đăng ký doanh nghiệp đối với các công ty được thành lập trên cơ sở chia công ty, tách công ty, \#
        hợp nhất công ty
        """#,
        field: #"Thành lập và hoạt động của doanh nghiệp"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1100 VNĐ(Phí công bố nội dung đăng ký doanh \#
        nghiệp: 100.000 đồng/lần (Thông tư số 47/2019/TT-BTC))Dịch vụ bưu chính1100 VNĐ(Phí công bố \#
        nội dung đăng ký doanh nghiệp: 100.000 đồng/lần (Thông tư số 47/2019/TT-BTC))Trực tiếp1100 VNĐ(Phí \#
        công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần (Thông tư số 47/2019/TT-BTC))
        """#
    )
    /// 1.001226: a fee in USD.
    static let laoBorderPermit = PortalProcedureRecord(
        code: #"1.001226"#,
        name: #"""
        Cấp giấy phép đến các tỉnh, thành phố của Việt Nam cho công dân Lào nhập cảnh bằng Giấy thông \#
        hành biên giới tại Công an cấp tỉnh
        """#,
        field: #"Quản lý xuất nhập cảnh"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1 Ngày làm việc10 USD(10 USD/người.)
        """#
    )
    /// 6.006574: "Không có thông tin" or empty in most fields.
    static let urbanDevelopmentPlan = PortalProcedureRecord(
        code: #"6.006574"#,
        detailURL: #"""
        https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d9465-64b6-772d-a10a-542bf21ea9b4
        """#,
        name: #"Phê duyệt kế hoạch phát triển đô thị"#,
        decisionNumber: #"308/QĐ-BXD"#,
        implementationLevels: #"Cấp tỉnh"#,
        field: #"Phát triển đô thị"#,
        applicantTypes: #"Tổ chức (không bao gồm doanh nghiệp, HTX)"#,
        relatedProcedures: #"Không có thông tin"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp42 NgàyKhông có thông tinTrực tuyến42 NgàyKhông \#
        có thông tinDịch vụ bưu chính42 NgàyKhông có thông tin
        """#,
        documents: #"--"#,
        legalBasis: #"Không có thông tin"#,
        implementingAgency: #"Không có thông tin"#,
        requirements: #"""
        Kế hoạch phát triển đô thị phải phù hợp với quy hoạch đô thị và nông thôn được lập cho địa phương, \#
        phù hợp với chương trình phát triển đô thị, các kế hoạch chuyên ngành khác có liên quan đến \#
        phát triển đô thị trên địa bàn và khả năng huy\#nđộng nguồn lực thực tế tại địa phương.
        """#,
        results: #"""
        Quyết định phê duyệt kế hoạch phát triển đô thịMã: KQ.G17.000621Từ khóaKhông có thông tinMô \#
        tảKhông có thông tin
        """#
    )
    /// 1.001303: a channel row whose time and fee are both "Không có thông tin".
    static let noInformationChannel = PortalProcedureRecord(
        code: #"1.001303"#,
        name: #"""
        Tuyển chọn công dân thực hiên nghĩa vụ tham gia Công an nhân dân (thực hiện tại cấp tỉnh)
        """#,
        field: #"Tổ chức, cán bộ"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tinKhông có thông tin
        """#
    )
    /// 1.010737: legal basis with a year glued to a number, a title in capitals and dates in words.
    static let hazardousWasteTransport = PortalProcedureRecord(
        code: #"1.010737"#,
        name: #"""
        Chấp thuận đăng ký vận chuyển xuyên biên giới chất thải nguy hại theo Công ước Basel về kiểm \#
        soát vận chuyển xuyên biên giới chất thải nguy hại và việc tiêu hủy chúng (thay thế - cấp Bộ) \#
        (1.010737)
        """#,
        field: #"Môi trường"#,
        legalBasis: #"""
        Tên văn bản pháp lýMã văn bảnLuật Bảo vệ môi trường số 72/2020/QH14 ngày 17 tháng 11 năm 202072/2020/QH1\#
        4SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA NGHỊ ĐỊNH SỐ 08/2022/NĐ-CP NGÀY 10 THÁNG 01 NĂM 2022 CỦA CHÍNH \#
        PHỦ QUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU CỦA LUẬT BẢO VỆ MÔI TRƯỜNG05/2025/NĐ-CPThông tư số 02/2022/TT-BTNMT02/\#
        2022/TT-BTNMTNghị định số 48/2026/NĐ-CP ngày 29 tháng 01 năm 2026 của Chính phủ sửa đổi, bổ \#
        sung một số điều của 08/2022/NĐ-CP ngày 10 tháng 01 năm 2022 của Chính phủ quy định chi tiết \#
        một số điều của Luật Bảo vệ môi trường sửa đổi, bổ sung bởi Nghị định số 05/2025/NĐ-CP ngày \#
        06 tháng 01 năm 202548/2026/NĐ-CPNghị định số 08/2022/NĐ-CP08/2022/NĐ-CPThông tư số 09/2026/TT-BNNMT \#
        ngày 29 tháng 01 năm 2026 của Bộ trưởng Bộ Nông nghiệp và Môi trường Sửa đổi, bổ sung một số \#
        điều của Thông tư số 02/2022/TT-BTNMT ngày 10 tháng 01 năm 2022 của Bộ trưởng Bộ Tài nguyên \#
        và Môi trường quy định chi tiết thi hành một số điều của Luật Bảo vệ môi trường được sửa đổi, \#
        bổ sung bởi Thông tư số 07/2025/TT-BTNMT ngày 28 tháng 02 năm 2025 và Thông tư số 07/2025/TT-BNNMT \#
        ngày 16 tháng 6 năm 2025.09/2026/TT-BNNMTLuật số 146/2025/QH15 ngày 11/12/2025 của Quốc hội \#
        sửa đổi, bổ sung một số điều của 15 luật trong lĩnh vực nông nghiệp và môi trường146/2025/QH15
        """#
    )
    /// 3.000509: two document groups with headings and templates, originals and copies.
    static let fireFighterInjuryAllowance = PortalProcedureRecord(
        code: #"3.000509"#,
        name: #"""
        Chế độ, chính sách đối với người được huy động, người tham gia phòng cháy, chữa cháy, cứu nạn, \#
        cứu hộ chưa tham gia bảo hiểm y tế, bảo hiểm xã hội mà bị tai nạn, bị thương
        """#,
        field: #"Phòng cháy, chữa cháy"#,
        documents: #"""
        Đối với trường hợp đề nghị hỗ trợ chi trả chi phí khám bệnh, chữa bệnhTên giấy tờMẫu đơn, tờ \#
        khaiSố lượngĐơn đề nghị thanh toán chi phí khám bệnh, chữa bệnh của người được hỗ trợ chế độ \#
        bị tai nạn, bị thương hoặc người đại diện hợp pháp (Mẫu số PC21 kèm theo Nghị định số 105/2025/NĐ-CP \#
        ngày 15/5/2025 của Chính Phủ); hóa đơn thu tiền; giấy ra viện.Thông tin về thành phần hồ sơ \#
        khi đã được kết nối, chia sẻ, cập nhật trên cơ sở dữ liệu quốc gia hoặc cơ sở dữ liệu chuyên \#
        ngành thì cơ quan có thẩm quyền giải quyết phải khai thác trực tuyến để giải quyết mà không \#
        được yêu cầu người đề nghị cung cấp hồ sơ giấy;PC21.docx1 bản chính,1 bản saoĐối với trường \#
        hợp đề nghị trợ cấp theo mức suy giảm khả năng lao độngTên giấy tờMẫu đơn, tờ khaiSố lượngĐơn \#
        đề nghị trợ cấp tai nạn (Mẫu số PC22 kèm theo Nghị định số 105/2025/NĐ-CP ngày 15/5/2025 của \#
        Chính Phủ); giấy ra viện hoặc trích sao hồ sơ bệnh án sau khi điều trị tai nạn đối với trường \#
        hợp điều trị nội trú hoặc giấy chứng nhận thương tích do cơ sở y tế nơi đã cấp cứu, điều trị \#
        cấp; biên bản giám định mức suy giảm khả năng lao động của Hội đồng giám định y khoa cấp tỉnh \#
        và tương đương trở lên.PC22.docx1 bản chính,1 bản sao
        """#
    )
    /// 5.003803: "Cán bộ, công chức, viên chức" as one applicant type.
    static let waterwayOpening = PortalProcedureRecord(
        code: #"5.003803"#,
        detailURL: #"""
        https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019db9c7-bc77-755a-bdfa-6ab886883514
        """#,
        name: #"Công bố mở luồng đường thủy nội địa quốc gia"#,
        decisionNumber: #"497/QĐ-BXD"#,
        implementationLevels: #"Cấp bộ"#,
        field: #"Hàng hải và đường thủy nội địa"#,
        applicantTypes: #"Cán bộ, công chức, viên chức"#,
        relatedProcedures: #"Không có thông tin"#,
        channels: #"""
        Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 NgàyKhông có thông tinTrực tuyến5 NgàyKhông \#
        có thông tinDịch vụ bưu chính5 NgàyKhông có thông tin
        """#,
        documents: #"--"#,
        legalBasis: #"""
        Tên văn bản pháp lýMã văn bảnQuy định về quản lý hoạt động đường thủy nội địa08/2021/NĐ-CPNghị \#
        định 33/2013/NĐ-CP33/2013/NĐ-CP
        """#,
        implementingAgency: #"Bộ Xây dựng, Cục Hàng hải và Đường thủy Việt Nam"#,
        requirements: #"Không có thông tin"#,
        results: #"""
        Quyết định công bố mở luồngMã: KQ.G04.000388Từ khóaKhông có thông tinMô tảKhông có thông tin
        """#
    )
}
