import Foundation
import Testing

@testable import Domain

@Suite struct RegistrationTests {
    let today = DateComponents(year: 2026, month: 11, day: 29)

    var citizen: RegistrationForm {
        RegistrationForm(
            kind: .citizen, fullName: " Nguyễn Thị Lan ", birthDate: "1985-03-14", personalID: "001185012345",
            phone: "+84 912 345 678", email: "Lan.Nguyen@Example.vn", password: "mật khẩu tốt",
            passwordConfirmation: "mật khẩu tốt")
    }

    @Test func aGoodCitizenFormGivesTypedValues() throws {
        let registration = try RegistrationRules.validate(citizen, today: today)
        #expect(registration.fullName == "Nguyễn Thị Lan")
        #expect(registration.personalID.sex == .female)
        #expect(registration.phone == "0912345678")
        #expect(registration.email == "lan.nguyen@example.vn")
        #expect(registration.birthDate == DateComponents(year: 1985, month: 3, day: 14))
        #expect(registration.business == nil)
    }

    @Test func aBusinessNeedsItsTaxCodeAndRepresentative() throws {
        var form = citizen
        form.kind = .business
        form.businessName = "Công ty TNHH Một Cửa"
        form.taxCode = "0100109106"
        form.legalRepresentative = "Nguyễn Thị Lan"
        #expect(try RegistrationRules.validate(form, today: today).business?.taxCode.value == "0100109106")
        form.taxCode = "0100109107"
        form.legalRepresentative = ""
        #expect(throws: FormErrors([
            FieldError("legalRepresentative", .required), FieldError("taxCode", .taxCode(.wrongCheckDigit)),
        ])) { try RegistrationRules.validate(form, today: today) }
    }

    @Test func everyProblemIsReportedAtOnceWithItsField() {
        let form = RegistrationForm(
            kind: .citizen, fullName: "", birthDate: "1985-02-30", personalID: "003185012345", phone: "12345",
            email: "lan@", password: "short", passwordConfirmation: "")
        do {
            _ = try RegistrationRules.validate(form, today: today)
            Issue.record("an empty form was accepted")
        } catch {
            #expect(error["fullName"] == .required)
            #expect(error["birthDate"] == .invalidDate)
            #expect(error["personalID"] == .personalID(.unknownProvince("003")))
            #expect(error["phone"] == .invalidPhone)
            #expect(error["email"] == .invalidEmail)
            #expect(error["password"] == .passwordTooShort(min: 8))
        }
    }

    @Test func theIDMustAgreeWithTheBirthYear() {
        var form = citizen
        form.birthDate = "2005-03-14"
        #expect(throws: FormErrors([FieldError("personalID", .personalID(.birthYearMismatch(expected: 2005, encoded: 1985)))])) {
            try RegistrationRules.validate(form, today: today)
        }
    }

    @Test func passwordsMustMatchAndFitBcrypt() {
        var form = citizen
        form.passwordConfirmation = "khác"
        #expect(throws: FormErrors([FieldError("passwordConfirmation", .passwordsDiffer)])) {
            try RegistrationRules.validate(form, today: today)
        }
        form.password = String(repeating: "ắ", count: 30)  // 90 bytes in UTF-8
        form.passwordConfirmation = form.password
        #expect(throws: FormErrors([FieldError("password", .passwordTooLong(maxBytes: 72))])) {
            try RegistrationRules.validate(form, today: today)
        }
    }

    @Test func aBirthDateInTheFutureIsRefused() {
        var form = citizen
        form.birthDate = "2026-11-30"
        form.personalID = "001226012345"
        #expect(throws: FormErrors([FieldError("birthDate", .dateInFuture)])) {
            try RegistrationRules.validate(form, today: today)
        }
    }

    @Test func phoneNumbersAreNormalized() {
        #expect(RegistrationRules.normalizedPhone("0912 345 678") == "0912345678")
        #expect(RegistrationRules.normalizedPhone("84-912-345-678") == "0912345678")
        #expect(RegistrationRules.normalizedPhone("+84912345678") == "0912345678")
        #expect(RegistrationRules.normalizedPhone("0212345678") == nil)  // a landline prefix
        #expect(RegistrationRules.normalizedPhone("091234567") == nil)
        #expect(RegistrationRules.normalizedPhone("09123456789") == nil)
    }
}
