import Foundation
import Testing

@testable import Domain

@Suite struct CitizenIDTests {
    @Test func aWellFormedNumberGivesProvinceSexAndBirthYear() throws {
        let man = try CitizenID("001085012345")
        #expect(man.provinceCode == "001")
        #expect(man.sex == .male)
        #expect(man.birthYear == 1985)
        let woman = try CitizenID("079303001234")
        #expect(woman.sex == .female)
        #expect(woman.birthYear == 2003)
        #expect(try CitizenID("  001 085 012 345 ").value == "001085012345")
    }

    @Test func theBirthYearMustAgreeWithTheDateOfBirth() throws {
        #expect(throws: Never.self) { try CitizenID("001085012345", bornOn: DateComponents(year: 1985, month: 2, day: 3)) }
        #expect(throws: CitizenID.Problem.birthYearMismatch(expected: 2005, encoded: 1905)) {
            try CitizenID("001005012345", bornOn: DateComponents(year: 2005))
        }
    }

    @Test func malformedNumbersAreRefusedWithTheReason() {
        #expect(throws: CitizenID.Problem.notTwelveDigits) { try CitizenID("00108501234") }
        #expect(throws: CitizenID.Problem.notTwelveDigits) { try CitizenID("0010850123456") }
        #expect(throws: CitizenID.Problem.notTwelveDigits) { try CitizenID("00108501234a") }
        #expect(throws: CitizenID.Problem.notTwelveDigits) { try CitizenID("００１０８５０１２３４５") }
        #expect(throws: CitizenID.Problem.unknownProvince("003")) { try CitizenID("003085012345") }
        #expect(throws: CitizenID.Problem.unknownProvince("097")) { try CitizenID("097085012345") }
    }

    @Test func maskingKeepsOnlyTheLastThreeDigits() throws {
        #expect(try CitizenID("001085012345").masked == "•••••••••345")
    }
}

@Suite struct TaxCodeTests {
    @Test func theExamplesOfTheDesignValidate() throws {
        #expect(try TaxCode("0100109106").value == "0100109106")
        #expect(try TaxCode("0100112437").isBranch == false)
        #expect(try TaxCode("0100109106-001").isBranch)
    }

    @Test func aWrongCheckDigitIsRefused() {
        #expect(throws: TaxCode.Problem.wrongCheckDigit) { try TaxCode("0100109107") }
        // Σ Ni·Wi ≡ 0 (mod 11) would need a check digit of 10: no such code exists.
        #expect(throws: TaxCode.Problem.wrongCheckDigit) { try TaxCode("0000000000") }
    }

    @Test func malformedCodesAreRefused() {
        for raw in ["", "010010910", "01001091066", "0100109106-01", "0100109106-0001", "0100109106_001", "01001O9106",
            "0100109106-", "-001"]
        {
            #expect(throws: TaxCode.Problem.malformed, "\(raw)") { try TaxCode(raw) }
        }
        #expect(throws: TaxCode.Problem.invalidBranch) { try TaxCode("0100109106-000") }
    }
}
