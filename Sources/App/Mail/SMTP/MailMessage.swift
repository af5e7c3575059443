import Foundation

/// Why a ``MailMessage`` or ``EmailAddress`` could not be built. Always a caller bug, never worth retrying.
enum MailMessageError: Error, Sendable, Equatable {
    /// The named header value contains CR, LF or another control character, which could inject headers.
    case headerInjection(field: String)
    /// The address is not a plain ASCII `local@domain` mailbox.
    case invalidAddress(String)
    /// A message needs at least one recipient.
    case noRecipients
}

/// A mailbox: an address plus an optional human-readable name, e.g. `Nguyễn Văn An <an@example.vn>`.
struct EmailAddress: Sendable, Hashable {
    /// The `local@domain` part, validated so it can go into SMTP commands and headers verbatim.
    let address: String
    /// The name shown by mail clients; any Unicode text, RFC 2047-encoded on the wire.
    let displayName: String?

    /// Validates minimally: one `@`, non-empty local part and dot-separated domain, printable ASCII only
    /// (SMTPUTF8 is not supported) and none of the characters that delimit addresses in headers.
    init(_ address: String, displayName: String? = nil) throws {
        if address.containsControlCharacters { throw MailMessageError.headerInjection(field: "address") }
        if let displayName, displayName.containsControlCharacters {
            throw MailMessageError.headerInjection(field: "display name")
        }
        guard Self.isValid(address) else { throw MailMessageError.invalidAddress(address) }
        self.address = address
        self.displayName = displayName?.isEmpty == true ? nil : displayName
    }

    /// The part after `@`, used for the Message-ID.
    var domain: Substring { address.split(separator: "@").last ?? "" }

    private static let forbidden = Set("<>()[],;:\\\"".utf8)

    private static func isValid(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254,
            bytes.allSatisfy({ (0x21...0x7E).contains($0) && !forbidden.contains($0) })
        else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].utf8.count) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { !$0.isEmpty }
    }
}

/// A plain-text UTF-8 email, validated at construction so that sending can't fail on our own input.
struct MailMessage: Sendable {
    let from: EmailAddress
    let to: [EmailAddress]
    let subject: String
    /// Plain text; any line-break convention is accepted and sent as CRLF.
    let body: String
    let date: Date
    /// Globally unique `<random@from-domain>` identifier, exposed so callers can log or correlate it.
    let messageID: String

    /// `messageID` (with its angle brackets) stays the same across retries of one outbox job; a new one otherwise.
    init(
        from: EmailAddress, to: [EmailAddress], subject: String, body: String, date: Date = Date(),
        messageID: String? = nil
    ) throws {
        guard !to.isEmpty else { throw MailMessageError.noRecipients }
        if subject.containsControlCharacters { throw MailMessageError.headerInjection(field: "Subject") }
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID ?? "<\(UUID().uuidString.lowercased())@\(from.domain)>"
    }

    /// The RFC 5322 message with CRLF line endings, ending in CRLF. Every line is ASCII and at most
    /// 78 characters long, unless an address alone is longer (still far below the 998 limit).
    var rendered: String {
        let recipients = to.enumerated().map { index, mailbox in
            MIMEEncoding.mailbox(mailbox, prefixLength: index == 0 ? "To: ".count : 1)
        }
        let headers = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(MIMEEncoding.mailbox(from, prefixLength: "From: ".count))",
            "To: \(recipients.joined(separator: ",\r\n "))",
            "Subject: \(MIMEEncoding.unstructured(subject, prefixLength: "Subject: ".count))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + MIMEEncoding.quotedPrintable(body)
    }

    /// RFC 5322 §3.3 date in UTC, e.g. `Tue, 14 May 2024 03:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

/// The header and body encodings. Quoted-printable keeps mostly-ASCII lines readable in raw form; it also
/// leaves a leading "." intact, which is what SMTP dot-stuffing exists for.
enum MIMEEncoding {
    /// Lines holding encoded-words must not exceed 76 characters (RFC 2047 §2).
    private static let maxEncodedLineLength = 76
    /// Recommended header line length (RFC 5322 §2.1.1); shorter plain text is sent unencoded.
    private static let maxPlainLineLength = 78

    /// `"Name" <address>`, the name quoted if plain ASCII and short, else encoded-words; the address
    /// moves to a continuation line when it would make the line too long.
    static func mailbox(_ mailbox: EmailAddress, prefixLength: Int) -> String {
        guard let name = mailbox.displayName else { return mailbox.address }
        // One column stays free for the comma that separates mailboxes in a list.
        let maxLength = maxPlainLineLength - 1
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let quoted = "\"\(escaped)\""
        let phrase =
            name.isPrintableASCII && prefixLength + quoted.utf8.count <= maxLength
            ? quoted : encodedWords(name, prefixLength: prefixLength)
        let lines = phrase.components(separatedBy: "\r\n")
        let lastLineLength = (lines.count == 1 ? prefixLength : 0) + (lines.last?.utf8.count ?? 0)
        let angleAddress = "<\(mailbox.address)>"
        let fits = lastLineLength + 1 + angleAddress.utf8.count <= maxLength
        return phrase + (fits ? " " : "\r\n ") + angleAddress
    }

    /// Unstructured header text such as Subject. Text that could be mistaken for an encoded-word, or that
    /// would need folding, is encoded too, since encoded-words fold for free.
    static func unstructured(_ text: String, prefixLength: Int) -> String {
        if text.isPrintableASCII, !text.contains("=?"), prefixLength + text.utf8.count <= maxPlainLineLength {
            return text
        }
        return encodedWords(text, prefixLength: prefixLength)
    }

    /// RFC 2047 `=?utf-8?B?…?=` words folded onto continuation lines. Words split only between Unicode
    /// scalars, so no word carries a partial UTF-8 sequence.
    static func encodedWords(_ text: String, prefixLength: Int) -> String {
        let overhead = "=?utf-8?B??=".count
        // Base64 turns each 3 bytes into 4 characters; a scalar needs up to 4 bytes, hence the floor of 6.
        func byteBudget(lineStart: Int) -> Int { max(6, (maxEncodedLineLength - lineStart - overhead) / 4 * 3) }

        var words: [String] = []
        var chunk: [UInt8] = []
        var budget = byteBudget(lineStart: prefixLength)
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !chunk.isEmpty, chunk.count + bytes.count > budget {
                words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
                budget = byteBudget(lineStart: 1)
            }
            chunk += bytes
        }
        words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
        return words.joined(separator: "\r\n ")
    }

    /// RFC 2045 §6.7 quoted-printable with CRLF hard breaks and `=` soft breaks keeping lines ≤ 76.
    /// The result always ends in CRLF.
    static func quotedPrintable(_ text: String) -> String {
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }
        var output = lines.map { quotedPrintableLine(Array($0.utf8)) }.joined(separator: "\r\n")
        if !output.hasSuffix("\r\n") { output += "\r\n" }
        return output
    }

    private static func quotedPrintableLine(_ bytes: [UInt8]) -> String {
        var output = ""
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token: String
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                // Trailing whitespace may be stripped in transit, so only the last one is escaped.
                token = isLast ? escaped(byte) : String(UnicodeScalar(byte))
            case 0x21...0x7E where byte != UInt8(ascii: "="):
                token = String(UnicodeScalar(byte))
            default:
                token = escaped(byte)
            }
            // Reserve one column for the "=" of a soft break.
            if lineLength + token.count > maxEncodedLineLength - 1 {
                output += "=\r\n"
                lineLength = 0
            }
            output += token
            lineLength += token.count
        }
        return output
    }

    private static func escaped(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0F)])"
    }
}

extension String {
    /// True if any scalar is a control character (CR, LF, TAB, NUL, …) or a Unicode line/paragraph separator.
    fileprivate var containsControlCharacters: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
    }

    fileprivate var isPrintableASCII: Bool { utf8.allSatisfy { (0x20...0x7E).contains($0) } }
}
