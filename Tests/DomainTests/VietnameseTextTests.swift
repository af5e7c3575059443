import Foundation
import Testing

@testable import Domain

@Suite struct VietnameseTextTests {
    /// The 94 cases of `text-remove-tone-marks.csv` (from ../shared/data, copied beside the tests).
    static let cases: [(name: String, input: String, expected: String)] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/text-remove-tone-marks.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let fields = parseCSVLine(String(line))
            return (fields[safe: 0] ?? "", fields[safe: 1] ?? "", fields[safe: 2] ?? "")
        }
    }()

    @Test func everyCaseOfTheSharedFileFoldsAsExpected() {
        #expect(Self.cases.count == 94)
        for testCase in Self.cases {
            #expect(VietnameseText.removingToneMarks(testCase.input) == testCase.expected, "\(testCase.name)")
            #expect(VietnameseText.folded(testCase.input) == testCase.expected.lowercased(), "\(testCase.name)")
        }
    }

    @Test func decomposedInputFoldsLikePrecomposed() {
        let decomposed = "Nguyễn Thị Đường".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count > "Nguyễn Thị Đường".unicodeScalars.count)
        #expect(VietnameseText.folded(decomposed) == "nguyen thi duong")
    }

    @Test func tokensSplitOnPunctuationAndKeepProcedureCodesWhole() {
        #expect(VietnameseText.tokens("Thủ tục đăng ký khai sinh (1.001193)!") == [
            "thu", "tuc", "dang", "ky", "khai", "sinh", "1.001193",
        ])
        #expect(VietnameseText.tokens("Nghị định 123/2015/NĐ-CP.") == ["nghi", "dinh", "123", "2015", "nd", "cp"])
        #expect(VietnameseText.tokens("  ") == [])
    }

    @Test func nonLatinLettersAreLowercasedNotDropped() {
        #expect(VietnameseText.folded("ÀÉ ΑΒΓ") == "ae αβγ")
    }
}

/// A minimal CSV line reader: commas separate fields, double quotes group, "" inside quotes is a quote.
private func parseCSVLine(_ line: String) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    let characters = Array(line)
    var index = 0
    while index < characters.count {
        let character = characters[index]
        if character == "\"" {
            if quoted, index + 1 < characters.count, characters[index + 1] == "\"" {
                current.append("\"")
                index += 1
            } else {
                quoted.toggle()
            }
        } else if character == ",", !quoted {
            fields.append(current)
            current = ""
        } else {
            current.append(character)
        }
        index += 1
    }
    fields.append(current)
    return fields
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
