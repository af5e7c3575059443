import Foundation

/// Vietnamese text folding for search: tone marks and other diacritics removed, đ → d, optionally case folded.
///
/// Works on precomposed (NFC) and decomposed (NFD) input alike: precomposed letters are mapped through a table
/// built once from Unicode's canonical decompositions, and stray combining marks are dropped. That keeps
/// folding a single pass over the scalars, which matters because every search query is folded.
public enum VietnameseText {
    /// "Đường phố" → "Duong pho": diacritics removed, case kept.
    public static func removingToneMarks(_ text: String) -> String {
        fold(text, lowercase: false)
    }

    /// "Đường phố" → "duong pho": the form used for matching.
    public static func folded(_ text: String) -> String {
        fold(text, lowercase: true)
    }

    /// Folded words of `text`: letters and digits, split at anything else. A dot between digits stays inside the
    /// word so that procedure codes such as `1.001193` are one token.
    public static func tokens(_ text: String) -> [String] {
        tokenize(folded: folded(text))
    }

    /// Tokens of text that is already folded.
    public static func tokenize(folded text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if isWordScalar(scalar) {
                current.append(scalar)
            } else if scalar == ".", let previous = current.last, isDigit(previous),
                index + 1 < scalars.count, isDigit(scalars[index + 1])
            {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    // MARK: - Folding

    private static func fold(_ text: String, lowercase: Bool) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                output.append(lowercase ? asciiLowercased(scalar) : scalar)
            } else if isCombiningMark(value) {
                continue
            } else if let base = baseLetter[value] {
                output.append(lowercase ? asciiLowercased(base) : base)
            } else if lowercase {
                output.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// Latin letters with diacritics (Latin-1 Supplement, Latin Extended-A/B and Additional, which hold every
    /// Vietnamese letter) → their ASCII base letter, from the canonical decomposition; đ/Đ have none, so they are
    /// added by hand.
    private static let baseLetter: [UInt32: Unicode.Scalar] = {
        var table: [UInt32: Unicode.Scalar] = [0x0111: "d", 0x0110: "D"]
        for range in [0x00C0...0x024F, 0x1E00...0x1EFF] {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
                guard let first = decomposed.first, first.value < 0x80, decomposed.count > 1 else { continue }
                table[UInt32(value)] = first
            }
        }
        return table
    }()

    private static func isCombiningMark(_ value: UInt32) -> Bool {
        (0x0300...0x036F).contains(value)
    }

    private static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard (0x41...0x5A).contains(scalar.value), let lower = Unicode.Scalar(scalar.value + 0x20) else {
            return scalar
        }
        return lower
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(scalar.value)
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            return isDigit(scalar) || (0x61...0x7A).contains(scalar.value) || (0x41...0x5A).contains(scalar.value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
