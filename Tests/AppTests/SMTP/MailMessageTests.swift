import Foundation
import Testing

@testable import App

@Suite struct MailMessageTests {
    private let sender: EmailAddress
    private let recipient: EmailAddress

    init() throws {
        sender = try EmailAddress("no-reply@motcua.gov.vn", displayName: "Cổng Dịch vụ công MotCua")
        recipient = try EmailAddress("an.nguyen@example.vn", displayName: "Nguyễn Văn An")
    }

    @Test func headerInjectionIsRejected() {
        #expect(throws: MailMessageError.headerInjection(field: "Subject")) {
            try MailMessage(from: sender, to: [recipient], subject: "Xin chào\r\nBcc: victim@example.vn", body: "")
        }
        #expect(throws: MailMessageError.headerInjection(field: "Subject")) {
            try MailMessage(from: sender, to: [recipient], subject: "Xin chào\nBcc: victim@example.vn", body: "")
        }
        #expect(throws: MailMessageError.headerInjection(field: "address")) {
            try EmailAddress("an@example.vn>\r\nRCPT TO:<victim@example.vn")
        }
        #expect(throws: MailMessageError.headerInjection(field: "display name")) {
            try EmailAddress("an@example.vn", displayName: "An\r\nBcc: victim@example.vn")
        }
    }

    @Test(arguments: [
        "", "an", "an@", "@example.vn", "an@@example.vn", "a n@example.vn", "an@example..vn",
        "an@example.vn.", "<an@example.vn>", "an@ví-dụ.vn", "an,bao@example.vn",
    ])
    func invalidAddressIsRejected(_ address: String) {
        #expect(throws: MailMessageError.invalidAddress(address)) { try EmailAddress(address) }
    }

    @Test func messageNeedsARecipient() {
        #expect(throws: MailMessageError.noRecipients) {
            try MailMessage(from: sender, to: [], subject: "", body: "")
        }
    }

    @Test func renderedMessageIsShortLinedASCIIWithMIMEHeaders() throws {
        let message = try MailMessage(
            from: sender, to: [recipient, try EmailAddress("b@example.vn")],
            subject: "Đặt lại mật khẩu — MotCua: mã xác nhận tài khoản dịch vụ công trực tuyến của bạn",
            body: String(repeating: "Xin chào Nguyễn Văn An ", count: 20) + "\n",
            date: Date(timeIntervalSince1970: 1_715_655_600))
        let rendered = message.rendered
        let lines = rendered.components(separatedBy: "\r\n")

        #expect(rendered.utf8.allSatisfy { $0 < 0x80 })
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(lines.filter { $0.utf8.count > 78 } == [])
        #expect(lines.contains("Date: Tue, 14 May 2024 03:00:00 +0000"))
        #expect(lines.contains("MIME-Version: 1.0"))
        #expect(lines.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(lines.contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(lines.contains("Message-ID: \(message.messageID)"))
        #expect(message.messageID.hasPrefix("<") && message.messageID.hasSuffix("@motcua.gov.vn>"))
        #expect(rendered.hasSuffix("\r\n"))
    }

    @Test func subjectEncodedWordsDecodeBackAndStayShort() throws {
        let subject = "Đặt lại mật khẩu — MotCua " + String(repeating: "ữ", count: 40)
        let encoded = MIMEEncoding.unstructured(subject, prefixLength: "Subject: ".count)
        let lines = ("Subject: " + encoded).components(separatedBy: "\r\n")

        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(decodeEncodedWords(encoded) == subject)
    }

    @Test func plainASCIISubjectIsSentAsIs() {
        #expect(MIMEEncoding.unstructured("Password reset", prefixLength: 9) == "Password reset")
        #expect(MIMEEncoding.unstructured("a =?utf-8?B?eA==?= b", prefixLength: 9).hasPrefix("=?utf-8?B?"))
    }

    @Test func displayNamesAreQuotedOrEncoded() throws {
        let ascii = try EmailAddress("a@example.vn", displayName: #"Tran "Tom" \ Van"#)
        #expect(MIMEEncoding.mailbox(ascii, prefixLength: 4) == #""Tran \"Tom\" \\ Van" <a@example.vn>"#)
        #expect(
            MIMEEncoding.mailbox(recipient, prefixLength: 4)
                == "=?utf-8?B?Tmd1eeG7hW4gVsSDbiBBbg==?= <an.nguyen@example.vn>")
        #expect(
            MIMEEncoding.mailbox(try EmailAddress("a@example.vn", displayName: ""), prefixLength: 4) == "a@example.vn")
    }

    @Test func quotedPrintableEscapesAndSoftBreaks() {
        #expect(MIMEEncoding.quotedPrintable("Xin chào a=b \nx\t") == "Xin ch=C3=A0o a=3Db=20\r\nx=09\r\n")
        let long = MIMEEncoding.quotedPrintable(String(repeating: "ệ", count: 30))
        let lines = long.components(separatedBy: "\r\n").dropLast()
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
        // A soft break never splits an =XX escape.
        #expect(lines.allSatisfy { $0.split(separator: "=").dropFirst().allSatisfy { $0.count == 2 || $0.isEmpty } })
    }

    /// Independent RFC 2047 "B" decoder: concatenates the bytes of every word, then decodes UTF-8.
    private func decodeEncodedWords(_ header: String) -> String? {
        var bytes = Data()
        for word in header.components(separatedBy: "\r\n ") {
            guard word.hasPrefix("=?utf-8?B?"), word.hasSuffix("?="),
                let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            else { return nil }
            bytes += data
        }
        return String(data: bytes, encoding: .utf8)
    }
}
