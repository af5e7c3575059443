import Foundation
import Testing

@testable import Domain

@Suite struct RegistrationTests {
    let today = DateComponents(year: 2026, month: 11, day: 29)
    let passwords = PasswordPolicy(commonPasswords: ["password", "1234567890", "qwertyuiop", "iloveyou12"])

    var citizen: RegistrationForm {
        RegistrationForm(
            kind: .citizen, fullName: " Nguyễn Thị Lan ", birthDate: "1985-03-14", personalID: "001185012345",
            phone: "+84 912 345 678", email: "Lan.Nguyen@Example.vn", password: "mật khẩu tốt",
            passwordConfirmation: "mật khẩu tốt")
    }

    @Test func aGoodCitizenFormGivesTypedValues() throws {
        let registration = try RegistrationRules.validate(citizen, today: today, passwords: passwords)
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
        #expect(try RegistrationRules.validate(form, today: today, passwords: passwords).business?.taxCode.value == "0100109106")
        form.taxCode = "0100109107"
        form.legalRepresentative = ""
        #expect(throws: FormErrors([
            FieldError("legalRepresentative", .required), FieldError("taxCode", .taxCode(.wrongCheckDigit)),
        ])) { try RegistrationRules.validate(form, today: today, passwords: passwords) }
    }

    @Test func everyProblemIsReportedAtOnceWithItsField() {
        let form = RegistrationForm(
            kind: .citizen, fullName: "", birthDate: "1985-02-30", personalID: "003185012345", phone: "12345",
            email: "lan@", password: "short", passwordConfirmation: "")
        do {
            _ = try RegistrationRules.validate(form, today: today, passwords: passwords)
            Issue.record("an empty form was accepted")
        } catch {
            #expect(error["fullName"] == .required)
            #expect(error["birthDate"] == .invalidDate)
            #expect(error["personalID"] == .personalID(.unknownProvince("003")))
            #expect(error["phone"] == .invalidPhone)
            #expect(error["email"] == .invalidEmail)
            #expect(error["password"] == .passwordTooShort(min: 10))
        }
    }

    @Test func theIDMustAgreeWithTheBirthYear() {
        var form = citizen
        form.birthDate = "2005-03-14"
        #expect(throws: FormErrors([FieldError("personalID", .personalID(.birthYearMismatch(expected: 2005, encoded: 1985)))])) {
            try RegistrationRules.validate(form, today: today, passwords: passwords)
        }
    }

    @Test func passwordsMustMatchAndFitBcrypt() {
        var form = citizen
        form.passwordConfirmation = "khác"
        #expect(throws: FormErrors([FieldError("passwordConfirmation", .passwordsDiffer)])) {
            try RegistrationRules.validate(form, today: today, passwords: passwords)
        }
        form.password = String(repeating: "ắ", count: 30)  // 90 bytes in UTF-8
        form.passwordConfirmation = form.password
        #expect(throws: FormErrors([FieldError("password", .passwordTooLong(maxBytes: 72))])) {
            try RegistrationRules.validate(form, today: today, passwords: passwords)
        }
    }

    @Test func commonPasswordsAreRefusedWhateverTheirCase() {
        var form = citizen
        for common in ["1234567890", "QwertyUIOP"] {
            form.password = common
            form.passwordConfirmation = common
            #expect(throws: FormErrors([FieldError("password", .commonPassword)])) {
                try RegistrationRules.validate(form, today: today, passwords: passwords)
            }
        }
        // Nine characters are too few, however uncommon.
        form.password = "x7#kq!m2p"
        form.passwordConfirmation = form.password
        #expect(throws: FormErrors([FieldError("password", .passwordTooShort(min: 10))])) {
            try RegistrationRules.validate(form, today: today, passwords: passwords)
        }
    }

    @Test func aPasswordMustNotBeBuiltFromThePersonsOwnData() {
        var form = citizen
        // The name without its tone marks and spaces, the email's local part, the ID, the phone.
        for own in ["nguyenthilan!", "Lan.Nguyen2026", "001185012345", "pw0912345678x"] {
            form.password = own
            form.passwordConfirmation = own
            #expect(throws: FormErrors([FieldError("password", .passwordContainsPersonalData)]), "\(own)") {
                try RegistrationRules.validate(form, today: today, passwords: passwords)
            }
        }
        // A short name part is not looked for: "lan" appears in too many passwords by chance.
        form.password = "planet-walker"
        form.passwordConfirmation = form.password
        #expect(throws: Never.self) { try RegistrationRules.validate(form, today: today, passwords: passwords) }
    }

    @Test func controlCharactersAreRefusedWithTheirFieldAndTextIsKeptInNFC() throws {
        var form = citizen
        form.fullName = "Nguyễn\u{0}Thị Lan"
        form.email = "lan@example.vn\r\nBcc: x@evil.example"
        form.password = "mật khẩu\u{0}tốt"
        form.passwordConfirmation = form.password
        do {
            _ = try RegistrationRules.validate(form, today: today, passwords: passwords)
            Issue.record("control characters were accepted")
        } catch {
            #expect(error["fullName"] == .controlCharacters)
            #expect(error["email"] == .controlCharacters)
            #expect(error["password"] == .controlCharacters)
        }
        // A right-to-left override makes a name read differently than it is stored.
        form = citizen
        form.fullName = "Lan \u{202E}nahT"
        #expect(throws: FormErrors([FieldError("fullName", .controlCharacters)])) {
            try RegistrationRules.validate(form, today: today, passwords: passwords)
        }
        // Typed with combining accents (NFD), stored composed (NFC).
        form = citizen
        form.fullName = "Nguye\u{0302}\u{0303}n Thi\u{0323} Lan"
        let registration = try RegistrationRules.validate(form, today: today, passwords: passwords)
        #expect(registration.fullName == "Nguyễn Thị Lan")
        #expect(registration.fullName.unicodeScalars.count == "Nguyễn Thị Lan".unicodeScalars.count)
    }

    @Test func aBirthDateInTheFutureIsRefused() {
        var form = citizen
        form.birthDate = "2026-11-30"
        form.personalID = "001226012345"
        #expect(throws: FormErrors([FieldError("birthDate", .dateInFuture)])) {
            try RegistrationRules.validate(form, today: today, passwords: passwords)
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
