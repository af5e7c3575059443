import Foundation
import Testing

@testable import Domain

/// The e-form rules: definitions are checked, filled forms are read into stored values with every problem at its
/// path, and the hand-made forms of `Resources/Forms` pass both.
@Suite struct FormRulesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The 2025 units, as the app reads them from the seed.
    static let units: AdministrativeUnits = {
        struct Unit: Decodable {
            var Code: String
            var FullName: String
            var Wards: [Unit]?
        }
        let url = repository.appendingPathComponent("Resources/Seed/admin-units-2026.json")
        let provinces = (try? JSONDecoder().decode([Unit].self, from: Data(contentsOf: url))) ?? []
        return AdministrativeUnits(
            provinces: provinces.map { .init(code: $0.Code, name: $0.FullName) },
            communes: provinces.flatMap { province in
                (province.Wards ?? []).map { .init(code: $0.Code, name: $0.FullName, provinceCode: province.Code) }
            })
    }()

    static func form(_ code: String) throws -> FormDefinition {
        let url = repository.appendingPathComponent("Resources/Forms/\(code).json")
        return try JSONDecoder().decode(FormDefinition.self, from: Data(contentsOf: url))
    }

    let context = FormContext(today: CivilDate(year: 2026, month: 12, day: 3)!, units: FormRulesTests.units)

    /// A birth registration as the web page posts it.
    var birth: [(name: String, value: String)] {
        [
            ("requester.fullName", "Nguyễn Thị Lan"), ("requester.personalID", "001 185 012 345"),
            ("requester.address.province", "01"), ("requester.address.commune", "00004"),
            ("requester.address.street", "12 phố Đội Cấn"), ("requester.relationship", "mother"),
            ("requester.phone", "+84 912 345 678"), ("requester.email", "Lan.Nguyen@Example.vn"),
            // decomposed, as some phone keyboards send it
            ("child.fullName", "Tra\u{0302}\u{0300}n Minh An"), ("child.birthDate.day", "5"),
            ("child.birthDate.month", "11"), ("child.birthDate.year", "2026"), ("child.sex", "male"),
            ("child.ethnicity", "Kinh"), ("child.nationality", "Việt Nam"),
            ("child.birthPlace", "Bệnh viện Phụ sản Hà Nội"), ("child.hometown", "Nam Định"),
            ("mother.fullName", "Nguyễn Thị Lan"), ("mother.birthYear", "1985"), ("mother.ethnicity", "Kinh"),
            ("mother.nationality", "Việt Nam"), ("mother.address.province", "01"),
            ("mother.address.commune", "00004"), ("mother.address.street", "12 phố Đội Cấn"),
            ("father.known", "no"), ("father.fullName", "typed before choosing no"),
            ("copies.wanted", "yes"), ("copies.count", "2"),
        ]
    }

    // MARK: - definitions

    @Test(arguments: ["1.001193", "1.000894", "1.004222", "1.001612"])
    func theHandMadeFormsAreSound(code: String) throws {
        let form = try Self.form(code)
        #expect(form.problems == [])
        #expect(form.sections.count >= 3)
        // every label has its English
        func labelled(_ fields: [FormField]) -> Bool {
            fields.allSatisfy { $0.label.en != nil && labelled($0.fields ?? []) }
        }
        #expect(form.sections.allSatisfy { $0.title.en != nil && labelled($0.fields) })
    }

    @Test func theStandardFormIsSound() {
        let procedure = Procedure(code: "1.000001", name: "Cấp bản sao trích lục", field: "Hộ tịch", levels: [.commune], managingAgencyCode: "BTP")
        let form = FormDefinition.standard(for: procedure)
        #expect(form.problems == [])
        #expect(form.title.vi == "Đơn đề nghị: Cấp bản sao trích lục")
        #expect(form.sections.map(\.key) == ["applicant", "request"])
    }

    @Test func aBrokenDefinitionIsRefusedWithEveryReasonAtItsPath() {
        let label = LocalizedText("Nhãn", "Label")
        let form = FormDefinition(title: label, sections: [
            FormSection(key: "main", title: label, fields: [
                FormField(key: "name", type: .text, label: label),
                FormField(key: "name", type: .text, label: label),
                FormField(key: "Bad-key", type: .text, label: label),
                FormField(key: "kind", type: .choice, label: label),
                FormField(key: "born", type: .date, label: label, options: [ChoiceOption(value: "x", label: label)]),
                FormField(key: "early", type: .text, label: label, showWhen: FieldCondition(field: "later")),
                FormField(key: "later", type: .yesNo, label: label),
                FormField(key: "odd", type: .text, label: label, showWhen: FieldCondition(field: "later", equals: ["maybe"])),
                FormField(key: "count", type: .number, label: label, minimum: 5, maximum: 1),
                FormField(key: "who", type: .date, label: label, prefill: .fullName),
                FormField(key: "people", type: .group, label: label, fields: [
                    FormField(key: "inner", type: .group, label: label, fields: [FormField(key: "x", type: .text, label: label)]),
                ]),
                FormField(key: "blank", type: .text, label: LocalizedText(vi: " ", en: "Blank")),
            ]),
            FormSection(key: "empty", title: label, fields: []),
        ])
        #expect(form.problems == [
            DefinitionProblem("main.name", .duplicateKey("name")),
            DefinitionProblem("main.Bad-key", .invalidKey("Bad-key")),
            DefinitionProblem("main.kind", .missingOptions),
            DefinitionProblem("main.born", .propertyNotForType(property: "options", type: .date)),
            DefinitionProblem("main.early.showWhen", .unknownConditionField("later")),
            DefinitionProblem("main.odd.showWhen", .conditionValueImpossible("maybe")),
            DefinitionProblem("main.count", .invalidLimit(property: "minimum")),
            DefinitionProblem("main.who", .prefillMismatch(.fullName)),
            DefinitionProblem("main.people.inner", .nestedGroup),
            DefinitionProblem("main.blank.label", .emptyLabel),
            DefinitionProblem("empty", .noFields),
        ])
    }

    @Test func aDefinitionCanBeNoBiggerThanTheLimits() {
        let label = LocalizedText("Nhãn", "Label")
        let many = (0..<(FormLimits.mostFields + 5)).map { FormField(key: "f\($0)", type: .text, label: label) }
        let form = FormDefinition(title: label, sections: [FormSection(key: "main", title: label, fields: many)])
        #expect(form.problems == [DefinitionProblem("sections", .tooManyFields(max: FormLimits.mostFields))])
        let huge = FormField(key: "note", type: .text, label: label, maxLength: 1_000_000)
        let group = FormField(key: "people", type: .group, label: label, fields: [huge], minItems: 3, maxItems: 2)
        #expect(FormDefinition(title: label, sections: [FormSection(key: "main", title: label, fields: [group])]).problems == [
            DefinitionProblem("main.people", .invalidLimit(property: "maxItems")),
            DefinitionProblem("main.people.note", .invalidLimit(property: "maxLength")),
        ])
    }

    // MARK: - reading a filled form

    @Test func aFilledBirthRegistrationIsStoredInCanonicalForm() throws {
        let value = try FormRules.validate(FormValue(flat: birth), against: Self.form("1.001193"), in: context)
        #expect(value.value(at: "requester.personalID") == .text("001185012345"))
        #expect(value.value(at: "requester.phone") == .text("0912345678"))
        #expect(value.value(at: "requester.email") == .text("lan.nguyen@example.vn"))
        #expect(value.value(at: "child.birthDate") == .text("2026-11-05"))
        #expect(value.value(at: "child.fullName") == .text("Trần Minh An"))
        #expect(value.value(at: "child.fullName")?.text?.unicodeScalars.count == 12)  // NFC: "ầ" is one scalar
        #expect(value.value(at: "requester.address") == .record([
            "province": .text("01"), "commune": .text("00004"), "street": .text("12 phố Đội Cấn"),
        ]))
        #expect(value.value(at: "copies.count") == .text("2"))
        // the father's part is hidden when he is not known: what was typed there is not kept
        #expect(value.value(at: "father") == .record(["known": .text("no")]))
    }

    @Test func everyProblemIsReportedAtOnceAtItsFieldsPath() throws {
        var typed = birth.filter { !["child.fullName", "copies.count"].contains($0.name) }
        typed = typed.map { entry in
            switch entry.name {
            case "requester.personalID": (entry.name, "0011850123")
            case "child.birthDate.day": (entry.name, "31")
            case "mother.address.commune": (entry.name, "20194")  // a ward of Đà Nẵng, not of Hà Nội
            case "father.known": (entry.name, "yes")
            default: entry
            }
        }
        let reading = FormRules.read(FormValue(flat: typed), against: try Self.form("1.001193"), in: context)
        #expect(reading.errors == [
            FieldError("requester.personalID", .personalID(.notTwelveDigits)),
            FieldError("child.fullName", .required),
            FieldError("child.birthDate", .invalidDate),  // 31 November
            FieldError("mother.address.commune", .communeNotInProvince),
            FieldError("father.birthYear", .required),
            FieldError("father.ethnicity", .required),
            FieldError("father.nationality", .required),
            FieldError("father.address.province", .required),
            FieldError("father.address.commune", .required),
            FieldError("father.address.street", .required),
            FieldError("copies.count", .required),
        ])
        // what was valid is still read
        #expect(reading.value.value(at: "father.fullName") == .text("typed before choosing no"))
    }

    @Test func datesAreTypedDayFirstAndHeldToTheirRange() throws {
        let label = LocalizedText("Ngày", "Date")
        let form = FormDefinition(title: label, sections: [FormSection(key: "s", title: label, fields: [
            FormField(key: "born", type: .date, label: label, range: .past),
            FormField(key: "visit", type: .date, label: label, range: .future),
            FormField(key: "any", type: .date, label: label),
        ])])
        func read(_ born: String, _ visit: String = "", _ any: String = "") -> FormReading {
            FormRules.read(.record(["s": .record(["born": .text(born), "visit": .text(visit), "any": .text(any)])]), against: form, in: context)
        }
        #expect(read("03/12/2026", "3.12.2026", "1990-02-28").value.value(at: "s") == .record([
            "born": .text("2026-12-03"), "visit": .text("2026-12-03"), "any": .text("1990-02-28"),
        ]))
        #expect(read("04/12/2026", "02/12/2026").errors == [
            FieldError("s.born", .dateInFuture), FieldError("s.visit", .dateInPast),
        ])
        for wrong in ["29/02/2025", "12/31/2020", "1/1/99999", "01/01/1700", "1//2020", "a/b/c", "2020-13-01"] {
            #expect(read(wrong).errors == [FieldError("s.born", .invalidDate)], "\(wrong)")
        }
        #expect(FormRules.dateParts(.text("2026-03-05")) == ("05", "03", "2026"))
        #expect(FormRules.dateParts(.record(["day": .text("5"), "year": .text("2026")])) == ("5", "", "2026"))
    }

    @Test func numbersTakeVietnameseGroupingAndDecimalCommas() {
        let label = LocalizedText("Số", "Number")
        let whole = FormField(key: "n", type: .number, label: label, minimum: 0, maximum: 2_000_000_000)
        let share = FormField(key: "n", type: .number, label: label, minimum: 0, maximum: 100, decimals: 2)
        func stored(_ field: FormField, _ text: String) -> String? {
            if case .success(let value) = FormReader.number(text, field) { value } else { nil }
        }
        #expect(stored(whole, "1.500.000") == "1500000")
        #expect(stored(whole, "1 500 000") == "1500000")
        #expect(stored(whole, "007") == "7")
        #expect(stored(whole, "0") == "0")
        #expect(stored(share, "12,5") == "12.5")
        #expect(stored(share, "12.50") == "12.5")
        #expect(stored(share, "100") == "100")
        for wrong in ["1.5", "1,5", "1.50.000", "12a", "", "-", "1e5", "١٢", "99999999999999999999"] {
            #expect(stored(whole, wrong) == nil, "\(wrong)")
        }
        #expect(stored(share, "12,345") == nil)
        guard case .failure(let problem) = FormReader.number("-1", whole) else { Issue.record("accepted -1"); return }
        #expect(problem == .numberOutOfRange(minimum: 0, maximum: 2_000_000_000))
        guard case .failure(let over) = FormReader.number("100,01", share) else { Issue.record("accepted 100,01"); return }
        #expect(over == .numberOutOfRange(minimum: 0, maximum: 100))
    }

    @Test func groupsKeepEntryPositionsAndSkipTheSpareRow() throws {
        let form = try Self.form("1.004222")
        let typed = FormValue(flat: [
            ("members.people[0].fullName", "Lê Văn Bình"), ("members.people[0].birthDate", "01/02/2010"),
            ("members.people[0].sex", "male"), ("members.people[0].relationship", "con"),
            ("members.people[1].fullName", ""), ("members.people[1].birthDate.day", ""),
            ("members.people[2].fullName", "Lê Thị Cúc"), ("members.people[2].birthDate", "01/02/2030"),
            ("members.people[2].sex", "female"), ("members.people[2].relationship", "con"),
            ("members.people[2].personalID", "001 3 1 0 0 1 2 3 4 5"),
        ])
        let reading = FormRules.read(typed, against: form, in: context)
        let memberErrors = reading.errors.filter { $0.field.hasPrefix("members") }
        // the second row was left blank: the third keeps its position in the paths
        #expect(memberErrors == [FieldError("members.people[2].birthDate", .dateInFuture)])
        guard case .list(let people)? = reading.value.value(at: "members.people") else {
            Issue.record("no members read")
            return
        }
        #expect(people.count == 2)
        #expect(people.first?["fullName"] == .text("Lê Văn Bình"))
        #expect(people.first?["birthDate"] == .text("2010-02-01"))
    }

    @Test func aGroupHoldsNoMoreEntriesThanItsMaximum() throws {
        let form = try Self.form("1.004222")
        let rows = (0..<25).map { ("members.people[\($0)].fullName", "Người \($0)") }
        let reading = FormRules.read(FormValue(flat: rows), against: form, in: context)
        #expect(reading.errors.contains(FieldError("members.people", .tooManyEntries(max: 20))))
        #expect(reading.value.value(at: "members") == nil)
    }

    @Test func conditionsAcrossSectionsAndOnChoices() throws {
        let form = try Self.form("1.004222")
        var typed = FormValue(flat: [("household.declarantIsHead", "có")])
        var reading = FormRules.read(typed, against: form, in: context)
        #expect(!reading.errors.contains { $0.field.hasPrefix("household") })
        #expect(reading.value.value(at: "household") == .record(["declarantIsHead": .text("yes")]))
        typed = FormValue(flat: [("household.declarantIsHead", "Không")])
        reading = FormRules.read(typed, against: form, in: context)
        #expect(reading.errors.filter { $0.field.hasPrefix("household") }.map(\.field) == [
            "household.headName", "household.headPersonalID", "household.relationship", "household.headConsent",
        ])
    }

    @Test func theWrongShapeIsAProblemNotACrash() throws {
        let form = try Self.form("1.001193")
        let input = FormValue.record([
            "requester": .list([.text("x")]),
            "child": .record([
                "fullName": .record(["a": .text("b")]), "birthDate": .list([]), "sex": .list([.text("male")]),
            ]),
            "mother": .text("Nguyễn Thị Lan"),
            "father": .record(["known": .text("yes"), "address": .record(["province": .list([])])]),
        ])
        let reading = FormRules.read(input, against: form, in: context)
        for path in ["requester", "child.fullName", "child.birthDate", "child.sex", "mother", "father.address.province"] {
            #expect(reading.errors.contains(FieldError(path, .malformed)), "\(path)")
        }
    }

    @Test func randomTreesNeverTrap() throws {
        let forms = try ["1.001193", "1.000894", "1.004222", "1.001612"].map(Self.form)
        var generator = SplitMix64(state: 20261203)
        let texts = ["", " ", "01", "00004", "yes", "no", "male", "1.000", "31/12/1999", "\u{0000}", "-", "[", "a.b",
                     String(repeating: "9", count: 40), String(repeating: "\u{0301}", count: 50), "agreed", "1e308"]
        func tree(_ depth: Int) -> FormValue {
            switch generator.next() % (depth > 3 ? 1 : 4) {
            case 0: return .text(texts[Int(generator.next() % UInt64(texts.count))])
            case 1: return .list((0..<Int(generator.next() % 4)).map { _ in tree(depth + 1) })
            default:
                let keys = ["requester", "child", "mother", "father", "bride", "declarant", "members", "people", "fullName",
                            "birthDate", "address", "province", "commune", "street", "known", "day", "month", "year",
                            "count", "capital", "share", "any", "sex", "personalID", "0"]
                return .record(Dictionary((0..<Int(generator.next() % 6)).map { _ in
                    (keys[Int(generator.next() % UInt64(keys.count))], tree(depth + 1))
                }, uniquingKeysWith: { first, _ in first }))
            }
        }
        for _ in 0..<2_000 {
            let input = tree(0)
            for form in forms {
                let reading = FormRules.read(input, against: form, in: context)
                #expect(!reading.isValid)
            }
        }
    }

    // MARK: - the tree of a posted form

    @Test func flatNamesBecomeATree() {
        let value = FormValue(flat: [
            ("a.b", "1"), ("a.c[0].d", "2"), ("a.c[7].d", "3"), ("a.c[3].d", "4"),
            ("a.b", "ignored: the first counts"), ("a.b.c", "ignored: a.b is a text"),
            ("a.c[9999].d", "ignored: past the largest group"), ("a.c[12345].d", "ignored: five digits"),
            (".x", "ignored"), ("x..y", "ignored"), ("x[", "ignored"), ("x]", "ignored"), ("x[a]", "ignored"),
            ("csrf", "kept as a top-level text"),
        ])
        #expect(value == .record([
            "a": .record([
                "b": .text("1"),
                "c": .list([.record(["d": .text("2")]), .record(["d": .text("4")]), .record(["d": .text("3")])]),
            ]),
            "csrf": .text("kept as a top-level text"),
        ]))
        #expect(value.value(at: "a.c[1].d") == .text("4"))
        #expect(value.value(at: "a.c[5].d") == nil)
    }

    @Test func jsonValuesArriveAsText() throws {
        let json = #"{"s": {"n": 1500000, "d": 12.5, "b": true, "gone": null, "list": ["x", null], "nested": {"day": 5}}}"#
        let value = try JSONDecoder().decode(FormValue.self, from: Data(json.utf8))
        #expect(value == .record(["s": .record([
            "n": .text("1500000"), "d": .text("12.5"), "b": .text("yes"), "list": .list([.text("x"), .text("")]),
            "nested": .record(["day": .text("5")]),
        ])]))
        let encoded = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(FormValue.self, from: encoded) == value)
    }

    // MARK: - what the platform knows

    @Test func accountDataFillsOnlyWhatIsBlank() throws {
        let form = try Self.form("1.004222")
        let profile = ApplicantProfile(
            fullName: "Nguyễn Thị Lan", personalID: "001185012345", birthDate: CivilDate(year: 1985, month: 3, day: 14),
            phone: "0912345678", email: "lan@example.vn")
        let filled = form.prefilled(FormValue(flat: [("declarant.phone", "0987654321")]), from: profile)
        #expect(filled.value(at: "declarant.fullName") == .text("Nguyễn Thị Lan"))
        #expect(filled.value(at: "declarant.birthDate") == .text("1985-03-14"))
        #expect(filled.value(at: "declarant.sex") == .text("female"))  // the fourth digit of the ID
        #expect(filled.value(at: "declarant.phone") == .text("0987654321"))  // typed: kept
        #expect(form.prefilledPaths(from: profile).contains("declarant.personalID"))
        #expect(form.prefilledPaths(from: ApplicantProfile(fullName: "A")) == ["declarant.fullName"])
    }

    @Test func documentsOfTheCatalogueBecomeSlots() {
        var procedure = Procedure(code: "1.001193", name: "Đăng ký khai sinh", field: "Hộ tịch", levels: [.commune], managingAgencyCode: "BTP")
        procedure.documents = .parsed([
            DocumentGroup(title: "Giấy tờ phải nộp", documents: [
                RequiredDocument(name: "Tờ khai đăng ký khai sinh", template: "To khai.docx", originals: 1, copies: 0),
                RequiredDocument(name: "Giấy chứng sinh", originals: 1, copies: 0),
                RequiredDocument(name: "Trường hợp trẻ em bị bỏ rơi: biên bản xác nhận", originals: 1, copies: 0),
                RequiredDocument(name: "Văn bản ủy quyền (nếu có)", originals: 0, copies: 1),
            ]),
        ])
        let slots = DocumentSlot.slots(of: procedure)
        #expect(slots.map(\.key) == ["d1", "d2", "d3", "d4"])
        #expect(slots.map(\.required) == [true, true, false, false])
        #expect(slots.first?.template == "To khai.docx")
        #expect(slots.first?.group == "Giấy tờ phải nộp")
    }
}
