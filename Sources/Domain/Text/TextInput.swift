import Foundation

/// What every text a person types must be before it is stored: in NFC (so "Hòa" typed on two keyboards is one
/// string), and free of control characters, which no form has a use for and which do harm downstream (a NUL cuts
/// a C string, a CR or LF in a name becomes a new header line in an email, bidirectional overrides make a name
/// read differently than it is stored).
public enum TextInput {
    /// NFC, and the line breaks of a multi-line field as `\n`.
    public static func normalized(_ text: String, multiline: Bool = false) -> String {
        let nfc = text.precomposedStringWithCanonicalMapping
        return multiline ? nfc.replacingOccurrences(of: "\r\n", with: "\n") : nfc
    }

    /// Whether `text` holds a character no field accepts: C0 and C1 controls (a multi-line field keeps `\n`, `\r`
    /// and tab), the Unicode line and paragraph separators in one-line fields, and bidirectional embedding,
    /// override and isolate controls.
    public static func hasControlCharacters(_ text: String, multiline: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: !multiline
            case 0x00...0x1F, 0x7F...0x9F: true
            case 0x2028, 0x2029: !multiline
            case 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
    }

    /// A typed field as it is stored — NFC, trimmed — with its problem, if any. A text many times longer than the
    /// limit is refused as it came, unnormalized: normalizing a run of thousands of combining marks costs time
    /// that grows with the square of its length.
    public static func field(_ raw: String, maxLength: Int, multiline: Bool = false) -> (value: String, problem: FieldError.Problem?) {
        if raw.utf8.count > maxLength * 8 { return (raw, .tooLong(max: maxLength)) }
        let value = normalized(raw, multiline: multiline)
            .trimmingCharacters(in: multiline ? .whitespacesAndNewlines : .whitespaces)
        return (value, problem(value, maxLength: maxLength, multiline: multiline))
    }

    /// The problem of one text field, if any: control characters, or more than `maxLength` characters.
    public static func problem(_ text: String, maxLength: Int, multiline: Bool = false) -> FieldError.Problem? {
        if hasControlCharacters(text, multiline: multiline) { return .controlCharacters }
        if text.count > maxLength { return .tooLong(max: maxLength) }
        return nil
    }
}
