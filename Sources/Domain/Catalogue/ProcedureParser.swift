import Foundation

/// Something in a portal record that could not be (fully) parsed, for the import report.
public struct ParseIssue: Sendable, Codable, Equatable, Hashable {
    /// The `Procedure` property concerned, or a path into it: `channels`, `channels.processingTime`,
    /// `channels.fees`, `documents`, `results`, `legalBasis`, `levels`, `field`.
    public var field: String
    /// A short English explanation. Reasons are fixed sentences (no record data) so a report can group them.
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// Why a record cannot become a `Procedure` at all; the importer skips it with that reason.
public enum RecordError: Error, Equatable, Sendable {
    case missingCode
    case missingName
}

/// A procedure parsed from a portal record, with everything that could not be fully parsed.
public struct ParsedProcedure: Sendable, Equatable {
    public var procedure: Procedure
    public var issues: [ParseIssue]

    public init(procedure: Procedure, issues: [ParseIssue]) {
        self.procedure = procedure
        self.issues = issues
    }
}

/// Turns a National Public Service Portal record into a `Procedure`.
///
/// The portal's tables (channels, documents, results, legal basis) arrive flattened, cells glued together without
/// separators. The parser recovers their structure from the cell vocabulary the portal uses ("Ngày làm việc",
/// "Miễn phí", "1 bản chính", "Mã: KQ…", "123/2015/NĐ-CP"). Where a cell cannot be read without guessing, it keeps the
/// original text (`Parsed.unparsed`) and reports an issue; it never drops a record for a bad field.
public enum ProcedureParser {
    /// Parses one record. `managingAgencyCode` is the ministry whose catalogue file the record came from (e.g. `BTP`).
    ///
    /// Throws `RecordError` when the record has no code or no name (the importer skips it with that reason).
    public static func parse(
        _ record: PortalProcedureRecord, managingAgencyCode: String
    ) throws(RecordError) -> ParsedProcedure {
        guard let code = PortalText.inline(record.code) else { throw .missingCode }
        guard let name = PortalText.inline(record.name) else { throw .missingName }
        var issues = IssueLog()

        let field = PortalText.inline(record.field)
        if field == nil { issues.add(IssueField.field, "no field (lĩnh vực) given") }

        let procedure = Procedure(
            code: code,
            name: name,
            decisionNumber: PortalText.inline(record.decisionNumber),
            sourceURL: PortalText.inline(record.detailURL),
            field: field ?? "",
            levels: LevelParser.parse(record.implementationLevels, issues: &issues),
            kind: PortalText.inline(record.kind),
            applicantTypes: ApplicantTypeParser.parse(record.applicantTypes),
            managingAgencyCode: managingAgencyCode,
            competentAuthority: PortalText.inline(record.competentAuthority),
            implementingAgency: PortalText.inline(record.implementingAgency),
            coordinatingAgency: PortalText.inline(record.coordinatingAgency),
            receivingAddress: PortalText.inline(record.receivingAddress),
            channels: ChannelTableParser.parse(record.channels, issues: &issues),
            steps: PortalText.clean(record.steps),
            documents: DocumentTableParser.parse(record.documents, issues: &issues),
            requirements: PortalText.clean(record.requirements),
            results: ResultListParser.parse(record.results, issues: &issues),
            legalBasis: LegalBasisParser.parse(record.legalBasis, issues: &issues)
        )
        return ParsedProcedure(procedure: procedure, issues: issues.issues)
    }
}

// MARK: - Issues

enum IssueField {
    static let field = "field"
    static let levels = "levels"
    static let channels = "channels"
    static let processingTime = "channels.processingTime"
    static let fees = "channels.fees"
    static let documents = "documents"
    static let results = "results"
    static let legalBasis = "legalBasis"
}

/// Collects issues once each: a table with three rows of the same defect reports it once.
struct IssueLog {
    private(set) var issues: [ParseIssue] = []
    private var seen: Set<ParseIssue> = []

    mutating func add(_ field: String, _ reason: String) {
        let issue = ParseIssue(field: field, reason: reason)
        if seen.insert(issue).inserted { issues.append(issue) }
    }
}

// MARK: - Text

/// Text cleaning shared by all fields.
enum PortalText {
    /// The portal's placeholder for an empty cell.
    static let noInformation = "Không có thông tin"

    /// NFC, without the invisible format characters the portal's editor leaves inside words ("đăng k\u{200E}ý"),
    /// and with no-break spaces made plain.
    static func normalized(_ raw: String) -> String {
        guard mayNeedNormalizing(raw) else { return raw }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        // Compose word by word, and only words with a combining mark: Foundation's normalisation is slow on Linux,
        // most of the portal's text is NFC already, and composition never crosses a space.
        var wordStart = 0
        var wordHasMark = false
        func endWord() {
            guard wordHasMark else { return }
            let word = String(decoding: bytes[wordStart...], as: UTF8.self).precomposedStringWithCanonicalMapping
            bytes.removeSubrange(wordStart...)
            bytes.append(contentsOf: word.utf8)
            wordHasMark = false
        }
        for scalar in raw.unicodeScalars where !scalar.isInvisibleFormat {
            if scalar.isSpace {
                endWord()
                UTF8.encode(scalar == "\u{A0}" ? " " : scalar) { bytes.append($0) }
                wordStart = bytes.count
            } else {
                UTF8.encode(scalar) { bytes.append($0) }
                wordHasMark = wordHasMark || scalar.isCombiningMark
            }
        }
        endWord()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A quick look at the UTF-8 bytes for what `normalized` changes: combining marks (U+0300–U+036F, U+1DC0–U+1DFF,
    /// U+20D0–U+20FF), no-break space, soft hyphen and the invisible format characters.
    private static func mayNeedNormalizing(_ text: String) -> Bool {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes in
            for (index, byte) in bytes.enumerated() where byte >= 0xC2 {
                let second = index + 1 < bytes.count ? bytes[index + 1] : 0
                let third = index + 2 < bytes.count ? bytes[index + 2] : 0
                switch (byte, second) {
                case (0xCC, _), (0xCD, _), (0xC2, 0xA0), (0xC2, 0xAD), (0xE1, 0xB7): return true
                case (0xE2, 0x80) where (0x8B...0x8F).contains(third): return true
                case (0xE2, 0x81) where third == 0xA0: return true
                case (0xE2, 0x83) where third >= 0x90: return true
                case (0xEF, 0xBB) where third == 0xBF: return true
                default: continue
                }
            }
            return false
        }
        // A bridged string without contiguous UTF-8 is simply normalized.
        return found ?? true
    }

    /// Normalized and trimmed, line breaks kept; nil for an empty cell or "Không có thông tin".
    static func clean(_ raw: String) -> String? {
        let text = trimmed(Substring(normalized(raw)))
        return text.isEmpty || isPlaceholder(text) ? nil : text
    }

    static func trimmed(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpace }),
            let last = scalars.lastIndex(where: { !$0.isSpace })
        else { return "" }
        return String(Substring(scalars[first...last]))
    }

    /// Like `clean`, on one line: every run of whitespace (tabs, line breaks, double spaces) becomes one space.
    static func inline(_ raw: String) -> String? {
        guard let text = clean(raw) else { return nil }
        return collapsingSpaces(text.unicodeScalars) ?? text
    }

    /// The scalars with every run of whitespace made one space, or nil when there is nothing to collapse (the
    /// caller keeps its string and nothing is copied).
    static func collapsingSpaces(_ scalars: some Sequence<Unicode.Scalar>) -> String? {
        var previousWasSpace = false
        let needsCollapsing = scalars.contains { scalar in
            defer { previousWasSpace = scalar.isSpace }
            return scalar.isSpace && (scalar != " " || previousWasSpace)
        }
        guard needsCollapsing else { return nil }
        var collapsed = String.UnicodeScalarView()
        previousWasSpace = false
        for scalar in scalars {
            if !scalar.isSpace {
                collapsed.append(scalar)
            } else if !previousWasSpace {
                collapsed.append(" ")
            }
            previousWasSpace = scalar.isSpace
        }
        return String(collapsed)
    }

    private static let placeholderBytes = Array(noInformation.utf8)

    /// "Không có thông tin", with or without a full stop. Both sides are NFC, so bytes compare.
    private static func isPlaceholder(_ text: String) -> Bool {
        let bytes = text.utf8
        switch bytes.count - placeholderBytes.count {
        case 0: return bytes.elementsEqual(placeholderBytes)
        case 1: return bytes.last == UInt8(ascii: ".") && bytes.dropLast().elementsEqual(placeholderBytes)
        default: return false
        }
    }

    /// "--", "------": the portal's rendering of an empty heading.
    static func isRule(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == "-" || $0.isSpace }
    }
}

/// A fixed piece of portal text to look for, as NFC scalars.
struct ScalarPattern: Sendable {
    let scalars: [Unicode.Scalar]
    var count: Int { scalars.count }

    init(_ text: String) {
        scalars = Array(text.precomposedStringWithCanonicalMapping.unicodeScalars)
    }
}

/// Text as an array of Unicode scalars, for the linear scans the flattened tables need. Input is NFC already
/// (`PortalText.normalized`), so every Vietnamese letter is one scalar and patterns match by plain comparison.
struct ScalarText {
    private static let placeholder = ScalarPattern(PortalText.noInformation)

    let scalars: [Unicode.Scalar]
    /// The UTF-8 bytes, and where each scalar starts in them, so cutting out a piece is a copy, not a re-encoding.
    private let utf8: [UInt8]
    private let utf8Offsets: [Int32]
    var count: Int { scalars.count }

    init(_ text: String) {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int32] = []
        scalars.reserveCapacity(text.utf8.count)
        offsets.reserveCapacity(text.utf8.count + 1)
        var offset: Int32 = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            offsets.append(offset)
            offset += Int32(UTF8.width(scalar))
        }
        offsets.append(offset)
        self.scalars = scalars
        self.utf8Offsets = offsets
        self.utf8 = Array(text.utf8)
    }

    subscript(index: Int) -> Unicode.Scalar? {
        index >= 0 && index < scalars.count ? scalars[index] : nil
    }

    func string(_ range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<scalars.count)
        let bytes = Int(utf8Offsets[clamped.lowerBound])..<Int(utf8Offsets[clamped.upperBound])
        return String(decoding: utf8[bytes], as: UTF8.self)
    }

    // MARK: Pieces

    /// The piece in `range`, trimmed, with line breaks kept; nil when empty or "Không có thông tin".
    func block(_ range: Range<Int>) -> String? {
        let piece = trimmed(range)
        return isPlaceholder(piece) ? nil : string(piece)
    }

    /// The piece in `range` on one line: trimmed, every run of whitespace made one space, leading scalars matching
    /// `leading` and trailing ones matching `trailing` dropped; nil when empty or "Không có thông tin".
    func cell(
        _ range: Range<Int>, droppingLeading leading: (Unicode.Scalar) -> Bool = { _ in false },
        trailing: (Unicode.Scalar) -> Bool = { _ in false }
    ) -> String? {
        var piece = range.clamped(to: 0..<scalars.count)
        while let first = piece.first, scalars[first].isSpace || leading(scalars[first]) {
            piece = piece.dropFirst()
        }
        while let last = piece.last, scalars[last].isSpace || trailing(scalars[last]) {
            piece = piece.dropLast()
        }
        guard !isPlaceholder(piece) else { return nil }
        return PortalText.collapsingSpaces(piece.lazy.map { scalars[$0] }) ?? string(piece)
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var piece = range.clamped(to: 0..<scalars.count)
        while let first = piece.first, scalars[first].isSpace { piece = piece.dropFirst() }
        while let last = piece.last, scalars[last].isSpace { piece = piece.dropLast() }
        return piece
    }

    private func isPlaceholder(_ piece: Range<Int>) -> Bool {
        let placeholder = Self.placeholder
        return piece.isEmpty
            || matches(placeholder, at: piece.lowerBound, end: piece.upperBound)
                && (piece.count == placeholder.count
                    || piece.count == placeholder.count + 1 && scalars[piece.upperBound - 1] == ".")
    }

    // MARK: Scanning

    func matches(_ pattern: ScalarPattern, at index: Int, end: Int? = nil) -> Bool {
        let limit = end ?? scalars.count
        guard index >= 0, index + pattern.count <= limit else { return false }
        for offset in 0..<pattern.count where scalars[index + offset] != pattern.scalars[offset] {
            return false
        }
        return true
    }

    func firstIndex(of pattern: ScalarPattern, in range: Range<Int>) -> Int? {
        guard let first = pattern.scalars.first else { return nil }
        var index = range.lowerBound
        while index + pattern.count <= range.upperBound {
            if scalars[index] == first, matches(pattern, at: index) { return index }
            index += 1
        }
        return nil
    }

    func indices(of pattern: ScalarPattern, in range: Range<Int>) -> [Int] {
        var found: [Int] = []
        var index = range.lowerBound
        while let next = firstIndex(of: pattern, in: index..<range.upperBound) {
            found.append(next)
            index = next + pattern.count
        }
        return found
    }

    func lastIndex(of scalar: Unicode.Scalar, in range: Range<Int>) -> Int? {
        range.reversed().first { scalars[$0] == scalar }
    }

    /// The end of the run of ASCII digits starting at `index`.
    func digitsEnd(from index: Int, limit: Int? = nil) -> Int {
        let limit = limit ?? scalars.count
        var cursor = index
        while cursor < limit, scalars[cursor].isASCIIDigit { cursor += 1 }
        return cursor
    }

    func skippingSpaces(from index: Int, limit: Int) -> Int {
        var cursor = index
        while cursor < limit, scalars[cursor].isSpace { cursor += 1 }
        return cursor
    }

    /// The index of the ")" closing the "(" at `open`, counting nesting, or nil when it never closes before `limit`.
    func closingParenthesis(from open: Int, limit: Int) -> Int? {
        var depth = 0
        for index in open..<limit {
            if scalars[index] == "(" {
                depth += 1
            } else if scalars[index] == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }
}

// Character classes with ASCII fast paths: Unicode property lookups dominate the scan time otherwise.
extension Unicode.Scalar {
    fileprivate var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }

    fileprivate var isLetter: Bool {
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        return properties.isAlphabetic
    }

    fileprivate var isUppercaseLetter: Bool {
        if value < 0x80 { return value >= 0x41 && value <= 0x5A }
        return properties.isUppercase
    }

    fileprivate var isLowercaseLetter: Bool {
        if value < 0x80 { return value >= 0x61 && value <= 0x7A }
        return properties.isLowercase
    }

    /// Unicode White_Space.
    fileprivate var isSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Combining diacritics, as in decomposed Vietnamese ("e" + U+0302 + U+0301 for "ế").
    fileprivate var isCombiningMark: Bool {
        (0x0300...0x036F).contains(value) || (0x1DC0...0x1DFF).contains(value) || (0x20D0...0x20FF).contains(value)
    }

    fileprivate var isListMarker: Bool {
        switch self {
        case "-", "+", "•", "*", ".", "…", "–": true
        default: false
        }
    }

    /// Zero-width spaces and joiners, direction marks, soft hyphen, byte-order mark.
    fileprivate var isInvisibleFormat: Bool {
        (0x200B...0x200F).contains(value) || value == 0x2060 || value == 0xFEFF || value == 0xAD
    }
}

// MARK: - Levels and applicant types

enum LevelParser {
    private static let known: [String: ImplementationLevel] = [
        "cấp bộ": .ministry, "cấp tỉnh": .province, "cấp xã": .commune, "cơ quan khác": .other,
    ]

    /// "Cấp bộ, Cấp tỉnh, Cấp xã" → levels in the portal's order, without repeats; unknown names become `.other`.
    static func parse(_ raw: String, issues: inout IssueLog) -> [ImplementationLevel] {
        guard let text = PortalText.inline(raw) else { return [] }
        var levels: [ImplementationLevel] = []
        for part in text.split(separator: ",") {
            let name = PortalText.trimmed(part).lowercased()
            guard !name.isEmpty else { continue }
            let level = known[name] ?? .other
            if known[name] == nil { issues.add(IssueField.levels, "unknown implementation level kept as other") }
            if !levels.contains(level) { levels.append(level) }
        }
        return levels
    }
}

enum ApplicantTypeParser {
    /// Splits at commas outside parentheses, because "Tổ chức (không bao gồm doanh nghiệp, HTX)" is one type. A part
    /// starting with a lowercase letter continues the previous one: the portal's "Cán bộ, công chức, viên chức" is one
    /// applicant type, and every portal type name starts with a capital.
    static func parse(_ raw: String) -> [String] {
        guard let text = PortalText.inline(raw) else { return [] }
        var types: [String] = []
        for part in topLevelParts(of: text) {
            let name = PortalText.trimmed(Substring(part))
            guard !name.isEmpty else { continue }
            if let first = name.unicodeScalars.first, first.isLowercaseLetter, let previous = types.popLast() {
                types.append(previous + ", " + name)
            } else {
                types.append(name)
            }
        }
        return types
    }

    private static func topLevelParts(of text: String) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var depth = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "," where depth == 0:
                parts.append(String(current))
                current = String.UnicodeScalarView()
                continue
            default: break
            }
            current.append(scalar)
        }
        parts.append(String(current))
        return parts
    }
}

// MARK: - Channels (Cách thức thực hiện)

/// The table "Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả", flattened: each row is a channel name immediately
/// followed by its time cell ("15 Ngày làm việc", "1", "Không có thông tin"), its fee cells ("Miễn phí",
/// "100,000 Việt Nam Đồng(note)", several in a row) and a free-text description running until the next row.
enum ChannelTableParser {
    private static let header = ScalarPattern("Hình thức nộpThời gianPhí, lệ phíMô tả")
    private static let channelNames: [(SubmissionChannel, ScalarPattern)] = [
        (.inPerson, ScalarPattern("Trực tiếp")), (.online, ScalarPattern("Trực tuyến")),
        (.postal, ScalarPattern("Dịch vụ bưu chính")),
    ]
    private static let noInformation = ScalarPattern(PortalText.noInformation)
    private static let free = ScalarPattern("Miễn phí")
    /// Longest first, so "Ngày làm việc" is not read as "Ngày".
    private static let units: [(TimeUnit, ScalarPattern)] = [
        (.workingDays, ScalarPattern("Ngày làm việc")), (.workingDays, ScalarPattern("ngày làm việc")),
        (.days, ScalarPattern("Ngày")), (.days, ScalarPattern("ngày")),
        (.months, ScalarPattern("Tháng")), (.months, ScalarPattern("tháng")),
        (.hours, ScalarPattern("Giờ")), (.hours, ScalarPattern("giờ")),
    ]

    static func parse(_ raw: String, issues: inout IssueLog) -> Parsed<[ChannelOffer]> {
        guard let cleaned = PortalText.clean(raw) else { return .absent }
        let text = ScalarText(cleaned)
        let bodyStart = text.matches(header, at: 0) ? header.count : 0
        if bodyStart == text.count { return .absent }
        let heads = rowHeads(in: text, from: bodyStart)
        guard let first = heads.first, first.nameStart == bodyStart else {
            issues.add(IssueField.channels, "no channel row recognised")
            return .unparsed(original: cleaned)
        }
        var offers: [ChannelOffer] = []
        for (index, head) in heads.enumerated() {
            let end = index + 1 < heads.count ? heads[index + 1].nameStart : text.count
            offers.append(parseRow(head.channel, text: text, range: head.bodyStart..<end, issues: &issues))
        }
        return .parsed(offers)
    }

    private struct RowHead {
        var channel: SubmissionChannel
        var nameStart: Int
        var bodyStart: Int
    }

    /// A channel name starts a row only when the time cell follows it directly: a digit or a capital letter
    /// ("Không có thông tin", "Không phải trả kết quả…"). Descriptions mention channels as prose ("Trực tiếp tại …",
    /// "Trực tuyến: …"), followed by a space or punctuation.
    private static func rowHeads(in text: ScalarText, from start: Int) -> [RowHead] {
        var heads: [RowHead] = []
        var index = start
        while index < text.count {
            if let (channel, name) = channelNames.first(where: { text.matches($0.1, at: index) }),
                let next = text[index + name.count], next.isASCIIDigit || next.isUppercaseLetter
            {
                heads.append(RowHead(channel: channel, nameStart: index, bodyStart: index + name.count))
                index += name.count
            } else {
                index += 1
            }
        }
        return heads
    }

    private static func parseRow(
        _ channel: SubmissionChannel, text: ScalarText, range: Range<Int>, issues: inout IssueLog
    ) -> ChannelOffer {
        var cursor = range.lowerBound
        let end = range.upperBound
        let time = readTime(text, &cursor, end)
        let feeCell = readFees(text, &cursor, end)
        var fees: Parsed<[Fee]> = feeCell.fees.isEmpty ? .absent : .parsed(feeCell.fees)
        let processingTime: Parsed<ProcessingTime>

        switch time {
        case .absent:
            processingTime = .absent
        case .parsed(let value):
            processingTime = .parsed(value)
        case .withoutUnit(let number):
            processingTime = .unparsed(original: number)
            issues.add(IssueField.processingTime, "number without a unit")
        case .text(let original):
            processingTime = .unparsed(original: original)
            issues.add(IssueField.processingTime, "not a number of days, months or hours")
        case .runIntoFee(let digits):
            processingTime = .unparsed(original: digits)
            fees = .unparsed(original: text.cell(feeCell.range) ?? digits)
            issues.add(IssueField.processingTime, "time and fee digits run together and cannot be split")
            issues.add(IssueField.fees, "time and fee digits run together and cannot be split")
        }
        if case .parsed = fees { reportFeeProblems(feeCell, &issues) }

        let description = text.block(cursor..<end)
        return ChannelOffer(channel: channel, processingTime: processingTime, fees: fees, description: description)
    }

    private static func reportFeeProblems(_ feeCell: FeeCell, _ issues: inout IssueLog) {
        if feeCell.inUSD { issues.add(IssueField.fees, "amount in USD kept in the note") }
        if feeCell.unreadableAmount { issues.add(IssueField.fees, "unreadable amount kept in the note") }
        if feeCell.unbalancedNote { issues.add(IssueField.fees, "fee note with unbalanced parentheses") }
        if feeCell.implausibleAmount {
            issues.add(IssueField.fees, "amount under 1,000 đồng kept as published; the note may give the real tariff")
        }
    }

    // MARK: Time cell

    private enum TimeCell {
        case absent
        case parsed(ProcessingTime)
        /// A bare number ("1"): the portal gave no unit, and guessing one would invent a deadline.
        case withoutUnit(String)
        /// A bare number glued to a fee amount that splits more than one way ("125 VNĐ": 1 + 25 or 12 + 5).
        case runIntoFee(String)
        case text(String)
    }

    private static func readTime(_ text: ScalarText, _ cursor: inout Int, _ end: Int) -> TimeCell {
        if text.matches(noInformation, at: cursor, end: end) {
            cursor += noInformation.count
            return .absent
        }
        guard let first = text[cursor], cursor < end, first.isASCIIDigit else {
            return readTextualTime(text, &cursor, end)
        }
        if let (time, after) = numberWithUnit(text, at: cursor, end) {
            cursor = after
            return .parsed(time)
        }
        if let amount = FeeCells.amount(in: text, at: cursor, end) {
            // No unit, and the digits run straight into a fee: "1100 VNĐ" is time 1 + fee 100.
            guard let timeDigits = FeeCells.timeDigits(gluedTo: amount.digits) else {
                return .runIntoFee(amount.digits)
            }
            cursor += timeDigits.count
            return .withoutUnit(timeDigits)
        }
        let numberEnd = decimalEnd(text, from: cursor, end)
        let number = text.string(cursor..<numberEnd)
        cursor = numberEnd
        return .withoutUnit(number)
    }

    static let longestProcessingTime = 100_000.0

    /// "15 Ngày làm việc", "0,5 Ngày", "3 Tháng", "24 Giờ".
    private static func numberWithUnit(_ text: ScalarText, at start: Int, _ end: Int) -> (ProcessingTime, Int)? {
        // Try the decimal reading first ("0,5 Ngày"), then the integer one.
        let decimal = decimalEnd(text, from: start, end)
        let integer = text.digitsEnd(from: start, limit: end)
        for numberEnd in decimal == integer ? [integer] : [decimal, integer] {
            let unitStart = text.skippingSpaces(from: numberEnd, limit: end)
            guard let (unit, pattern) = units.first(where: { text.matches($0.1, at: unitStart, end: end) }),
                let value = Double(text.string(start..<numberEnd).replacingOccurrences(of: ",", with: ".")),
                // No statutory period runs to a hundred thousand units: a longer digit run is a typo, kept as text.
                value.isFinite, value <= Self.longestProcessingTime
            else { continue }
            return (ProcessingTime(value: value, unit: unit), unitStart + pattern.count)
        }
        return nil
    }

    /// The end of "12" or of a decimal "0,5" / "1.5" starting at `start`.
    private static func decimalEnd(_ text: ScalarText, from start: Int, _ end: Int) -> Int {
        let integerEnd = text.digitsEnd(from: start, limit: end)
        guard let separator = text[integerEnd], separator == "," || separator == ".",
            let digit = text[integerEnd + 1], digit.isASCIIDigit, integerEnd + 1 < end
        else { return integerEnd }
        return text.digitsEnd(from: integerEnd + 1, limit: end)
    }

    /// A time cell in words ("Không phải trả kết quả cho người nộp thuế", "Không quy định"): it runs until the first
    /// fee cell.
    private static func readTextualTime(_ text: ScalarText, _ cursor: inout Int, _ end: Int) -> TimeCell {
        let start = cursor
        var index = start
        while index < end, !startsFeeCell(text, at: index, end) { index += 1 }
        cursor = index
        guard let original = text.cell(start..<index) else { return .absent }
        return .text(original)
    }

    private static func startsFeeCell(_ text: ScalarText, at index: Int, _ end: Int) -> Bool {
        if text.matches(free, at: index, end: end) || text.matches(noInformation, at: index, end: end) { return true }
        guard let scalar = text[index], scalar.isASCIIDigit else { return false }
        let startsNumber = !(text[index - 1]?.isASCIIDigit ?? false)
        return startsNumber && FeeCells.amount(in: text, at: index, end) != nil
    }

    // MARK: Fee cells

    private struct FeeCell {
        var fees: [Fee] = []
        var range: Range<Int>
        var inUSD = false
        var unreadableAmount = false
        var unbalancedNote = false
        var implausibleAmount = false
    }

    /// Reads consecutive fee cells: "Miễn phí", "Không có thông tin" or an amount with its currency, each optionally
    /// followed by its note in parentheses.
    private static func readFees(_ text: ScalarText, _ cursor: inout Int, _ end: Int) -> FeeCell {
        let start = cursor
        var cell = FeeCell(range: start..<start)
        while true {
            var index = text.skippingSpaces(from: cursor, limit: end)
            if text.matches(free, at: index, end: end) {
                index += free.count
                let note = readNote(text, &index, end, &cell)
                cell.fees.append(Fee(amount: nil, freeOfCharge: true, note: note))
            } else if text.matches(noInformation, at: index, end: end) {
                index += noInformation.count
                // "Không có thông tin" is the portal's empty fee cell; only a note makes it worth keeping.
                if let note = readNote(text, &index, end, &cell) {
                    cell.fees.append(Fee(amount: nil, freeOfCharge: false, note: note))
                }
            } else if let amount = FeeCells.amount(in: text, at: index, end) {
                index = amount.end
                let note = readNote(text, &index, end, &cell)
                cell.fees.append(fee(amount, original: text.string(amount.start..<amount.end), note: note, &cell))
            } else {
                break
            }
            cursor = index
        }
        cell.range = start..<cursor
        return cell
    }

    private static func fee(_ amount: FeeCells.Amount, original: String, note: String?, _ cell: inout FeeCell) -> Fee {
        let noteWithAmount = [original, note.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        if amount.currency == .usd {
            // Fee.amount is in đồng: keep a USD tariff readable in the note rather than converting it.
            cell.inUSD = true
            return Fee(amount: nil, freeOfCharge: false, note: noteWithAmount)
        }
        guard let dong = FeeCells.dong(amount.digits) else {
            cell.unreadableAmount = true
            return Fee(amount: nil, freeOfCharge: false, note: noteWithAmount)
        }
        // No fee is a few hundred đồng: the portal often states thousands ("20 VNĐ(20.000 vnđ/tờ khai)"). The amount
        // stays as published; the note usually carries the real tariff.
        if dong < 1_000 { cell.implausibleAmount = true }
        return Fee(amount: dong, freeOfCharge: false, note: note)
    }

    /// The "(…)" right after a fee cell. When its parentheses never balance (the portal wrapped a note that itself
    /// lacked a ")"), the note most likely ends at the row's last ")"; failing that, at the row's end.
    private static func readNote(_ text: ScalarText, _ index: inout Int, _ end: Int, _ cell: inout FeeCell) -> String? {
        guard index < end, text[index] == "(" else { return nil }
        let open = index
        if let close = text.closingParenthesis(from: open, limit: end) {
            index = close + 1
            return text.cell(open + 1..<close)
        }
        cell.unbalancedNote = true
        let close = text.lastIndex(of: ")", in: open + 1..<end) ?? end
        index = min(close + 1, end)
        // A wrapped note that lacked its own ")" keeps a stray "(" at its start: "((Phí thẩm định )".
        let noteStart = open + 1 < close && text[open + 1] == "(" ? open + 2 : open + 1
        return text.cell(min(noteStart, close)..<close)
    }
}

/// Amount cells of the fee column: "100,000 Việt Nam Đồng", "135 VNĐ", "1.200.000 đồng", "10 USD".
enum FeeCells {
    enum Currency { case dong, usd }

    struct Amount {
        var digits: String
        var currency: Currency
        var start: Int
        var end: Int
    }

    private static let currencies: [(Currency, ScalarPattern)] = [
        (.dong, ScalarPattern("Việt Nam Đồng")), (.dong, ScalarPattern("VNĐ")), (.dong, ScalarPattern("VND")),
        (.dong, ScalarPattern("Đồng")), (.dong, ScalarPattern("đồng")), (.usd, ScalarPattern("USD")),
    ]

    /// An amount (digits with optional "," or "." separators) followed by a currency, starting at `start`.
    static func amount(in text: ScalarText, at start: Int, _ end: Int) -> Amount? {
        guard start < end, let first = text[start], first.isASCIIDigit else { return nil }
        var cursor = text.digitsEnd(from: start, limit: end)
        while cursor + 1 < end, let separator = text[cursor], separator == "," || separator == ".",
            let digit = text[cursor + 1], digit.isASCIIDigit
        {
            cursor = text.digitsEnd(from: cursor + 1, limit: end)
        }
        let digitsEnd = cursor
        let currencyStart = text.skippingSpaces(from: digitsEnd, limit: end)
        guard let (currency, pattern) = currencies.first(where: { text.matches($0.1, at: currencyStart, end: end) })
        else { return nil }
        return Amount(
            digits: text.string(start..<digitsEnd), currency: currency, start: start,
            end: currencyStart + pattern.count)
    }

    /// "100,000", "100.000" and "100000" → 100000. Nil when the separators do not group thousands ("10.000.0000").
    static func dong(_ digits: String) -> Int? {
        if digits.unicodeScalars.allSatisfy(\.isASCIIDigit) { return Int(digits) }
        let separators = Set(digits.unicodeScalars.filter { !$0.isASCIIDigit })
        guard separators.count == 1, let separator = separators.first else { return nil }
        let groups = digits.split(separator: Character(separator), omittingEmptySubsequences: false)
        guard let head = groups.first, (1...3).contains(head.count),
            groups.dropFirst().allSatisfy({ $0.count == 3 })
        else { return nil }
        return Int(groups.joined())
    }

    /// A unit-less time cell glued to an amount ("1100 VNĐ", "120,000 VNĐ"). Tries every split of the leading digit
    /// group and returns the time digits only when exactly one split gives a time and a well-formed amount, neither
    /// starting with 0: "1100" can only be 1 + 100, "120,000" only 1 + 20,000, but "125" is 1 + 25 or 12 + 5.
    static func timeDigits(gluedTo digits: String) -> String? {
        let scalars = Array(digits.unicodeScalars)
        let leadingGroupEnd = scalars.firstIndex { !$0.isASCIIDigit } ?? scalars.count
        guard leadingGroupEnd >= 2, scalars[0] != "0" else { return nil }
        let candidates = (1..<leadingGroupEnd).filter { split in
            scalars[split] != "0" && dong(String(String.UnicodeScalarView(scalars[split...]))) != nil
        }
        guard candidates.count == 1, let split = candidates.first else { return nil }
        return String(String.UnicodeScalarView(scalars[..<split]))
    }
}

// MARK: - Documents (Thành phần hồ sơ)

/// One or more tables "Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng", each after its heading ("* Giấy tờ phải nộp:"),
/// flattened: a document's name, then its template file names if any ("Mẫu số 01.docx"), then its quantity cell
/// ("1 bản chính" or "1 bản chính,1 bản sao"), then the next document.
enum DocumentTableParser {
    private static let header = ScalarPattern("Tên giấy tờMẫu đơn, tờ khaiSố lượng")
    private static let originalsLabel = ScalarPattern(" bản chính")
    private static let copiesLabel = ScalarPattern(" bản sao")

    static func parse(_ raw: String, issues: inout IssueLog) -> Parsed<[DocumentGroup]> {
        guard let cleaned = PortalText.clean(raw), !PortalText.isRule(cleaned) else { return .absent }
        let text = ScalarText(cleaned)
        let headers = text.indices(of: header, in: 0..<text.count)
        guard let firstHeader = headers.first else {
            issues.add(IssueField.documents, "no document table")
            return .unparsed(original: cleaned)
        }
        var groups: [DocumentGroup] = []
        // Text before a table is its heading; text after a table's last quantity is the next table's heading.
        var heading = 0..<firstHeader
        for (index, headerStart) in headers.enumerated() {
            let bodyEnd = index + 1 < headers.count ? headers[index + 1] : text.count
            let rows = readRows(text, range: headerStart + header.count..<bodyEnd, issues: &issues)
            groups.append(DocumentGroup(title: groupTitle(text, heading), documents: rows.documents))
            heading = rows.rest
        }
        if let trailing = groupTitle(text, heading) {
            // Notes after the last quantity (or a row the crawl cut short): shown as a heading so no text is lost.
            groups.append(DocumentGroup(title: trailing, documents: []))
            issues.add(IssueField.documents, "text after the last quantity kept as a heading")
        }
        return .parsed(groups)
    }

    private static func readRows(
        _ text: ScalarText, range: Range<Int>, issues: inout IssueLog
    ) -> (documents: [RequiredDocument], rest: Range<Int>) {
        var documents: [RequiredDocument] = []
        var rowStart = range.lowerBound
        var searchFrom = range.lowerBound
        while let label = text.firstIndex(of: originalsLabel, in: searchFrom..<range.upperBound) {
            searchFrom = label + originalsLabel.count
            guard let cell = quantityCell(text, label: label, rowStart: rowStart, end: range.upperBound) else {
                continue
            }
            if let document = document(text, rowStart..<cell.nameEnd, cell) {
                documents.append(document)
            } else {
                issues.add(IssueField.documents, "quantity without a document name skipped")
            }
            rowStart = cell.end
            searchFrom = cell.end
        }
        return (documents, rowStart..<range.upperBound)
    }

    private struct QuantityCell {
        /// Where the document's name (and template) ends; digits glued to the name stay in it.
        var nameEnd: Int
        var originals: Int
        var copies: Int
        var end: Int
    }

    /// Recognises the quantity cell whose " bản chính" starts at `label`.
    ///
    /// The portal writes one-digit counts without a leading zero. A name ending in digits runs into the count
    /// ("…ngày 13/02/2026" + "1 bản chính" = "20261 bản chính"), so the count is the last digit and the others stay in
    /// the name. "01 bản chính …" with a leading zero, or a count followed by a lowercase word ("02 bản chính tờ
    /// khai"), is prose inside a document's name, not a cell.
    private static func quantityCell(_ text: ScalarText, label: Int, rowStart: Int, end: Int) -> QuantityCell? {
        var runStart = label
        while runStart > rowStart, let scalar = text[runStart - 1], scalar.isASCIIDigit { runStart -= 1 }
        guard runStart < label, let lastDigit = text[label - 1], let originals = Int(String(lastDigit)) else {
            return nil
        }
        if label - runStart == 2, text[runStart] == "0" { return nil }

        var cursor = label + originalsLabel.count
        var copies = 0
        if text[cursor] == ",", let digit = text[cursor + 1], digit.isASCIIDigit {
            let copiesEnd = text.digitsEnd(from: cursor + 1, limit: end)
            if text.matches(copiesLabel, at: copiesEnd, end: end) {
                copies = Int(text.string(cursor + 1..<copiesEnd)) ?? 0
                cursor = copiesEnd + copiesLabel.count
            }
        }
        let next = text.skippingSpaces(from: cursor, limit: end)
        if next > cursor, next < end, let scalar = text[next], scalar.isLowercaseLetter { return nil }
        return QuantityCell(nameEnd: label - 1, originals: originals, copies: copies, end: cursor)
    }

    private static func document(_ text: ScalarText, _ row: Range<Int>, _ cell: QuantityCell) -> RequiredDocument? {
        let split = TemplateNames.split(text, row)
        let name = text.cell(row.lowerBound..<split.nameEnd, droppingLeading: \.isListMarker) { $0 == ";" }
        let template = split.templates.isEmpty ? nil : split.templates.joined(separator: "; ")
        guard let name = name ?? template else { return nil }
        return RequiredDocument(
            name: name, template: name == template ? nil : template, originals: cell.originals, copies: cell.copies)
    }

    /// "* Giấy tờ phải nộp:" → "Giấy tờ phải nộp"; "--" → nil.
    private static func groupTitle(_ text: ScalarText, _ range: Range<Int>) -> String? {
        text.cell(range, droppingLeading: \.isListMarker) { $0 == ":" }
    }
}

/// Template file names glued to the end of a document's name: "…theo mẫu quy định.Mẫu số 01.docx",
/// "…Chính phủMẫu số 09.docx", "…;Mẫu I.1.17.docxMẫu I.1.18.docx".
enum TemplateNames {
    private static let extensions = [".docx", ".doc", ".pdf", ".xlsx", ".xls"].map(ScalarPattern.init)
    /// Words template files start with; they mark a boundary where a name glues onto a file name without punctuation.
    private static let leadingWords = [
        "Mẫu", "MẪU", "Mau", "MAU", "Mus", "Phụ lục", "PHỤ LỤC", "Phu luc", "Phuluc", "PL", "TK", "Tờ khai", "To khai",
        "BM", "Biểu mẫu", "Bieu mau",
    ].map(ScalarPattern.init)
    /// Lowercase file names ("mau so 12.doc") glued to the name: "…hết hạnmau so 20.doc".
    private static let lowercaseLeadingWords = ["mẫu số", "mau so", "mẫu ", "mau "].map(ScalarPattern.init)
    /// How names that point to a template end: "…theo mẫuGiay uy quyen.doc", "…theo quy địnhvăn bản đề nghị.docx".
    private static let trailingPhrases = ["theo mẫu", "theo Mẫu", "theo quy định", "biểu mẫu điện tử"]
        .map(ScalarPattern.init)

    /// Where the name ends in the row `range` of `row`, and the template file names, in order.
    static func split(_ row: ScalarText, _ range: Range<Int>) -> (nameEnd: Int, templates: [String]) {
        let ends = extensionEnds(in: row, range)
        guard let last = ends.last, last.end == range.upperBound else { return (range.upperBound, []) }
        // Walk back over file names glued one after another ("A.docxB.docx"): an extension directly followed by
        // more text ends the file name before.
        var chain = [last]
        while let current = chain.first, let previous = ends.last(where: { $0.end <= current.start }),
            let scalar = row[previous.end], !scalar.isSpace
        {
            chain.insert(previous, at: 0)
        }
        guard let first = chain.first, let start = boundary(in: row, from: range.lowerBound, before: first.start) else {
            return (range.upperBound, [])
        }
        var templates: [String] = []
        var fileStart = start
        for file in chain {
            guard let name = row.cell(fileStart..<file.end) else { continue }
            // "X.docx.docx": a bare extension belongs to the file before it.
            if name.unicodeScalars.first == ".", let previous = templates.popLast() {
                templates.append(previous + name)
            } else {
                templates.append(name)
            }
            fileStart = file.end
        }
        return (start, templates)
    }

    private struct ExtensionMatch {
        var start: Int
        var end: Int
    }

    private static func extensionEnds(in row: ScalarText, _ range: Range<Int>) -> [ExtensionMatch] {
        var matches: [ExtensionMatch] = []
        for index in range where row[index] == "." {
            for pattern in extensions where matchesIgnoringCase(row, pattern, at: index, end: range.upperBound) {
                let end = index + pattern.count
                // ".doc" in ".docx" or ".documents" is not an extension; "….docxMẫu số 2.docx" chains two files.
                if end < range.upperBound, let next = row[end], next.isLowercaseLetter { continue }
                matches.append(ExtensionMatch(start: index, end: end))
                break
            }
        }
        return matches
    }

    /// Extensions are ASCII: compare ignoring ASCII case.
    private static func matchesIgnoringCase(
        _ row: ScalarText, _ pattern: ScalarPattern, at index: Int, end: Int
    ) -> Bool {
        guard index + pattern.count <= end else { return false }
        for offset in 0..<pattern.count {
            guard let scalar = row[index + offset], scalar.isASCII,
                scalar.value | 0x20 == pattern.scalars[offset].value | 0x20
            else { return false }
        }
        return true
    }

    /// The nearest place before `limit` where the name column ends and the template column begins.
    ///
    /// File names contain dots, digits and camel case ("Mau 05-Phu luc I_37.2025.TT-BNNMT_02.7.2025.doc",
    /// "MauGiaykhaibao.docx"), so first only the marks a name ends with count: ";" or ":" glued to the next word; ")"
    /// glued to a letter or digit; a sentence's "." glued to the next word; a phrase pointing to a template ("theo
    /// mẫu") or a template word ("Mẫu", "Mau", "mau so"…) glued to the name. Failing those, a lowercase letter glued to
    /// a capital or a digit ("…nguồn genBao cao.docx", "…hàng không1.000574.docx").
    private static func boundary(in row: ScalarText, from start: Int, before limit: Int) -> Int? {
        let candidates = stride(from: limit - 1, to: start, by: -1)
        return candidates.first { endsName(row, at: $0, from: start) }
            ?? candidates.first { index in
                guard let current = row[index], let previous = row[index - 1] else { return false }
                return previous.isLowercaseLetter && (current.isUppercaseLetter || current.isASCIIDigit)
            }
    }

    private static func endsName(_ row: ScalarText, at index: Int, from start: Int) -> Bool {
        guard let current = row[index], let previous = row[index - 1], !current.isSpace else { return false }
        let beforePrevious = index - 2 >= start ? row[index - 2] : nil
        switch previous {
        case ";", ":":
            return true
        case ")":
            return current.isLetter || current.isASCIIDigit
        case "." where leadingWords.contains(where: { row.matches($0, at: index) }):
            return true
        case ".":
            guard let beforePrevious else { return false }
            if current.isUppercaseLetter {
                return beforePrevious.isLetter || beforePrevious == ")" || beforePrevious == "."
            }
            if current.isASCIIDigit { return beforePrevious.isLowercaseLetter || beforePrevious == ")" }
            return current.isLowercaseLetter && (beforePrevious.isLetter || beforePrevious == ")")
        default:
            if trailingPhrases.contains(where: { index - $0.count >= start && row.matches($0, at: index - $0.count) }) {
                return true
            }
            guard previous.isLetter || previous.isASCIIDigit else { return false }
            let words = current.isUppercaseLetter ? leadingWords : lowercaseLeadingWords
            return words.contains { row.matches($0, at: index) }
        }
    }
}

// MARK: - Results (Kết quả xử lý)

/// "Giấy khai sinhMã: KQ.G15.000031Từ khóa…Mô tả…", possibly several name + "Mã: code" pairs, followed by the
/// keywords and description the portal shows under the list, then the portal's agency picker.
enum ResultListParser {
    private static let agencyPicker = ScalarPattern("Chọn cơ quan thực hiện")
    private static let keywordsLabel = ScalarPattern("Từ khóa")
    private static let codeLabel = ScalarPattern("Mã: ")

    static func parse(_ raw: String, issues: inout IssueLog) -> Parsed<[ResultDocument]> {
        guard let cleaned = PortalText.clean(raw) else { return .absent }
        let text = ScalarText(cleaned)
        // The keywords and description have no place in `ResultDocument`; the picker is page chrome.
        var end = text.firstIndex(of: agencyPicker, in: 0..<text.count) ?? text.count
        end = text.firstIndex(of: keywordsLabel, in: 0..<end) ?? end
        guard let list = text.block(0..<end) else { return .absent }
        let labels = text.indices(of: codeLabel, in: 0..<end)
        guard !labels.isEmpty else {
            issues.add(IssueField.results, "no result code found")
            return .unparsed(original: list)
        }
        var results: [ResultDocument] = []
        var nameStart = 0
        for label in labels {
            let codeStart = label + codeLabel.count
            let codeEnd = resultCodeEnd(text, from: codeStart, limit: end)
            let code = codeEnd > codeStart ? text.string(codeStart..<codeEnd) : nil
            if let name = text.cell(nameStart..<label, droppingLeading: \.isListMarker) {
                results.append(ResultDocument(name: name, code: code))
            } else {
                issues.add(IssueField.results, "result code without a name skipped")
            }
            nameStart = max(codeEnd, codeStart)
        }
        if let trailing = text.cell(nameStart..<end, droppingLeading: \.isListMarker) {
            results.append(ResultDocument(name: trailing))
        }
        return .parsed(results)
    }

    /// Result codes are ASCII ("KQ.G12.000042", "000.00.00.G11-KQ1711", "TP-G12.0001300") and the next name follows
    /// without a separator. A code ends with its last digit, so a name starting with an ASCII capital ("Công văn")
    /// is not swallowed.
    private static func resultCodeEnd(_ text: ScalarText, from start: Int, limit: Int) -> Int {
        var index = start
        var lastDigitEnd = start
        while index < limit, let scalar = text[index], scalar.isASCII,
            scalar.isLetter || scalar.isASCIIDigit || ".-_/".unicodeScalars.contains(scalar)
        {
            if scalar.isASCIIDigit { lastDigitEnd = index + 1 }
            index += 1
        }
        return lastDigitEnd
    }
}

// MARK: - Legal basis (Căn cứ pháp lý)

/// The table "Tên văn bản pháp lý | Mã văn bản", flattened: each row is a title immediately followed by the document
/// number ("…Luật Hộ tịch123/2015/NĐ-CP"), the next title starting right after the number.
enum LegalBasisParser {
    private static let titleColumn = ScalarPattern("Tên văn bản pháp lý")
    private static let numberColumn = ScalarPattern("Mã văn bản")

    static func parse(_ raw: String, issues: inout IssueLog) -> Parsed<[LegalDocument]> {
        guard let cleaned = PortalText.clean(raw) else { return .absent }
        let text = ScalarText(cleaned)
        guard text.matches(titleColumn, at: 0), text.matches(numberColumn, at: titleColumn.count) else {
            issues.add(IssueField.legalBasis, "no legal basis table")
            return .unparsed(original: cleaned)
        }
        var documents: [LegalDocument] = []
        var rowStart = titleColumn.count + numberColumn.count
        for number in DocumentNumbers.scan(text, from: rowStart) where number.endsRow {
            documents.append(document(text, row: rowStart..<number.start, number: number))
            rowStart = number.end
        }
        if let trailing = text.cell(rowStart..<text.count) {
            documents.append(LegalDocument(number: nil, title: trailing))
            issues.add(IssueField.legalBasis, "row without a document number")
        }
        return documents.isEmpty ? .absent : .parsed(documents)
    }

    /// `row` is the title's range; the number follows it.
    private static func document(_ text: ScalarText, row: Range<Int>, number: DocumentNumbers.Number) -> LegalDocument {
        LegalDocument(
            number: number.text, title: LegalTitles.title(text, row) ?? number.text,
            issuedOn: LegalTitles.date(of: number.text, in: text, row), issuer: number.issuer)
    }
}

/// Vietnamese legal document numbers: "123/2015/NĐ-CP", "59/2020/QH14", "66.7/2025/NQ-CP", "QĐ-TTg" decisions,
/// and numbers without a year ("2222/QĐ-BHXH").
enum DocumentNumbers {
    struct Number {
        var text: String
        var start: Int
        var end: Int
        /// Whether the number is a row's number column rather than a mention inside a title.
        var endsRow: Bool
        var issuer: String?
    }

    /// Issuing bodies by the code in the number's suffix; document-type codes are listed to tell where a suffix
    /// ends when the next title is glued to it in capitals ("NĐ-CPLUẬT").
    private static let issuers: [String: String] = [
        "CP": "Chính phủ", "TTG": "Thủ tướng Chính phủ", "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội",
        "VPQH": "Văn phòng Quốc hội", "CTN": "Chủ tịch nước", "VPCP": "Văn phòng Chính phủ",
        "TTCP": "Thanh tra Chính phủ", "BTC": "Bộ Tài chính", "BTP": "Bộ Tư pháp", "BCA": "Bộ Công an",
        "BXD": "Bộ Xây dựng", "BNNMT": "Bộ Nông nghiệp và Môi trường",
        "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn", "BNN": "Bộ Nông nghiệp và Phát triển nông thôn",
        "BTNMT": "Bộ Tài nguyên và Môi trường", "BGTVT": "Bộ Giao thông vận tải",
        "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội", "BYT": "Bộ Y tế", "BCT": "Bộ Công Thương",
        "BQP": "Bộ Quốc phòng", "BNG": "Bộ Ngoại giao", "BKHĐT": "Bộ Kế hoạch và Đầu tư",
        "BKHCN": "Bộ Khoa học và Công nghệ", "BTTTT": "Bộ Thông tin và Truyền thông", "BNV": "Bộ Nội vụ",
        "BGDĐT": "Bộ Giáo dục và Đào tạo", "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
        "BDTTG": "Bộ Dân tộc và Tôn giáo", "UBDT": "Ủy ban Dân tộc", "NHNN": "Ngân hàng Nhà nước Việt Nam",
        "TANDTC": "Tòa án nhân dân tối cao", "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
        "KTNN": "Kiểm toán nhà nước", "BHXH": "Bảo hiểm xã hội Việt Nam", "UBND": "Ủy ban nhân dân",
        "HĐND": "Hội đồng nhân dân", "TCHQ": "Tổng cục Hải quan", "TCT": "Tổng cục Thuế",
        "UBTƯMTTQVN": "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
    ]
    private static let documentTypes: Set<String> = [
        "NĐ", "ND", "TT", "TTLT", "QĐ", "QD", "NQ", "NQLT", "PL", "CT", "VBHN", "HD", "CV",
    ]

    static func scan(_ text: ScalarText, from start: Int) -> [Number] {
        var numbers: [Number] = []
        var floor = start
        var index = start
        while index < text.count {
            if text[index] == "/", let number = number(in: text, slash: index, floor: floor) {
                numbers.append(number)
                floor = number.end
                index = number.end
            } else {
                index += 1
            }
        }
        return numbers
    }

    /// Reads the number whose first "/" is at `slash`, not reaching back before `floor` (the previous number's end).
    private static func number(in text: ScalarText, slash: Int, floor: Int) -> Number? {
        guard let start = numberStart(in: text, slash: slash, floor: floor) else { return nil }
        // Right of the slash: "2015/NĐ-CP" or, without a year, "QĐ-BHXH".
        let yearEnd = text.digitsEnd(from: slash + 1)
        let hasYear = yearEnd - (slash + 1) == 4
        if hasYear, yearEnd == text.count, text[start - 1] != "/" {
            // The table's last number, cut short by the portal: "…chuỗi giá trị24/2024".
            return Number(text: text.string(start..<yearEnd), start: start, end: yearEnd, endsRow: true, issuer: nil)
        }
        let suffixStart = hasYear && text[yearEnd] == "/" ? yearEnd + 1 : slash + 1
        let segments = suffix(in: text, from: suffixStart)
        guard let end = segments.last?.upperBound, suffixStart > slash + 1 || segments.count > 1 else { return nil }
        return Number(
            text: text.string(start..<end), start: start, end: end,
            endsRow: endsRow(text, numberStart: start, end: end),
            issuer: issuer(of: segments.map { text.string($0) }))
    }

    /// Where the number left of the slash starts: "123", "66.7".
    private static func numberStart(in text: ScalarText, slash: Int, floor: Int) -> Int? {
        var start = slash
        while start > floor, let scalar = text[start - 1], scalar.isASCIIDigit { start -= 1 }
        if start - 1 > floor, text[start - 1] == ".", let digit = text[start - 2], digit.isASCIIDigit {
            var dotted = start - 1
            while dotted > floor, let scalar = text[dotted - 1], scalar.isASCIIDigit { dotted -= 1 }
            // "66.7/2025/NQ-CP" has a short number before the dot; "…năm 2025.09/2026/…" is a sentence's end.
            if start - 1 - dotted <= 3 { start = dotted }
        }
        guard start < slash else { return nil }
        let century = (text[start], text[start + 1])
        let startsWithCentury = century == ("1", "9") || century == ("2", "0")
        if slash - start > 4, startsWithCentury, text.digitsEnd(from: start) == slash {
            // A year ending the title is glued to the number ("năm 2024" + "46/2024/QH15"): it stays in the title.
            start += 4
        }
        return start
    }

    /// A row's number column is followed by the next title, glued ("…NĐ-CPNghị định") or, when the number is glued
    /// to its own title, after a space and a capital ("…Bộ Tư pháp18/2026/NĐ-CP Nghị định…"); or it ends the table.
    /// Mentions inside a title are followed by a space and a lowercase word ("số 123/2015/NĐ-CP ngày"), punctuation,
    /// or digits when the title ends with the number and the number column repeats it
    /// ("Luật 60/2014/QH1360/2014/QH13").
    private static func endsRow(_ text: ScalarText, numberStart: Int, end: Int) -> Bool {
        guard let next = text[end] else { return true }
        if next.isLetter { return true }
        guard next.isSpace, let before = text[numberStart - 1], !before.isSpace else { return false }
        let following = text.skippingSpaces(from: end, limit: text.count)
        return text[following]?.isUppercaseLetter ?? true
    }

    /// The segments of "NĐ-CP", "TT-BTC", "QH13", "QĐ-TTg", "TTLT-BTC-BTP", "QĐ-BCA-C06", also written with "/" or
    /// "- " between segments ("198/2016/TT/BTC", "21/2008/TTLT- BQP-BLĐTBXH-BTC").
    private static func suffix(in text: ScalarText, from start: Int) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var index = start
        while true {
            let segmentStart = index
            while let scalar = text[index], scalar.isSuffixLetter { index += 1 }
            // "QĐ-TTg": the one lowercase letter in the vocabulary.
            if !segments.isEmpty, text.string(segmentStart..<index) == "TT", text[index] == "g" { index += 1 }
            guard index > segmentStart else { break }
            // Digits belong to a legislature ("QH13", "UBTVQH11") or a unit ("C06"); elsewhere they start the next
            // number.
            let isLegislature = index - segmentStart >= 2 && text[index - 2] == "Q" && text[index - 1] == "H"
            if isLegislature || index - segmentStart == 1 {
                index = min(text.digitsEnd(from: index), index + 2)
            }
            segments.append(segmentStart..<index)
            guard text[index] == "-" || text[index] == "/" else { break }
            let next = text[index + 1] == " " ? index + 2 : index + 1
            guard let scalar = text[next], scalar.isSuffixLetter else { break }
            index = next
        }
        return trimmingGluedTitle(segments, in: text)
    }

    /// The next title may be glued to the number: "NĐ-CPNghị định", "TT-BTCThông tư", "NĐ-CPQUY ĐỊNH". Cut the last
    /// segment back to the longest known code it starts with; failing that, before a lowercase letter, give the
    /// capital that starts the next title's first word back to it.
    private static func trimmingGluedTitle(_ segments: [Range<Int>], in text: ScalarText) -> [Range<Int>] {
        var segments = segments
        guard let last = segments.popLast() else { return [] }
        let code = text.string(last).uppercased()
        guard let final = text[last.upperBound - 1], final.isLetter, !isKnown(code) else { return segments + [last] }
        var kept = last
        if let known = knownCodes.filter({ code.hasPrefix($0) }).max(by: { $0.count < $1.count }) {
            kept = last.lowerBound..<last.lowerBound + known.unicodeScalars.count
        } else if let next = text[last.upperBound], next.isLowercaseLetter {
            kept = last.dropLast()
        }
        return kept.isEmpty ? segments : segments + [kept]
    }

    private static let knownCodes = Array(issuers.keys) + Array(documentTypes)

    private static func isKnown(_ code: String) -> Bool {
        issuers[code] != nil || documentTypes.contains(code)
    }

    private static func issuer(of segments: [String]) -> String? {
        var names: [String] = []
        for segment in segments {
            // "QH13" → "QH", "UBTVQH11" → "UBTVQH".
            let code = String(segment.uppercased().unicodeScalars.prefix { !$0.isASCIIDigit })
            if let name = issuers[code], !names.contains(name) { names.append(name) }
        }
        return names.isEmpty ? nil : names.joined(separator: ", ")
    }
}

extension Unicode.Scalar {
    /// Letters of number suffixes: ASCII capitals, Đ and Ư ("UBTƯMTTQVN").
    fileprivate var isSuffixLetter: Bool { ("A"..."Z").contains(self) || self == "Đ" || self == "Ư" }
}

/// Titles of legal documents and the issue dates they state.
enum LegalTitles {
    /// The number column sometimes repeats the document type ("…Bộ Tư phápThông tư số" + "19/2011/TT-BTP"): drop
    /// that glued type so the title ends with the title.
    private static let gluedTypes = [
        "Thông tư số", "Thông tư", "Nghị định số", "Nghị định", "Nghị quyết số", "Nghị quyết", "Quyết định số",
        "Quyết định", "Luật số", "Luật", "Pháp lệnh số", "Pháp lệnh",
    ].map(ScalarPattern.init)
    private static let dayWords = ["ngày", "Ngày", "NGÀY"].map(ScalarPattern.init)
    private static let monthWords = ["tháng", "Tháng", "THÁNG"].map(ScalarPattern.init)
    private static let yearWords = ["năm", "Năm", "NĂM"].map(ScalarPattern.init)

    /// The title in `range`, without a document type glued to its end.
    static func title(_ text: ScalarText, _ range: Range<Int>) -> String? {
        var end = range.upperBound
        while end > range.lowerBound, let last = text[end - 1], last.isSpace { end -= 1 }
        for type in gluedTypes where end - type.count > range.lowerBound {
            let typeStart = end - type.count
            if text.matches(type, at: typeStart), let before = text[typeStart - 1], !before.isSpace {
                end = typeStart
                break
            }
        }
        return text.cell(range.lowerBound..<end, trailing: { $0 == ";" || $0 == "," })
    }

    /// The date written right after the document's own number in its title: "Nghị định số 123/2015/NĐ-CP ngày
    /// 15/11/2015 …" or "… số 72/2020/QH14 ngày 17 tháng 11 năm 2020" → "2015-11-15". Dates after other numbers
    /// (amended documents) are not this document's.
    static func date(of number: String, in text: ScalarText, _ title: Range<Int>) -> String? {
        let numberPattern = ScalarPattern(number)
        guard let found = text.firstIndex(of: numberPattern, in: title) else { return nil }
        var index = text.skippingSpaces(from: found + numberPattern.count, limit: title.upperBound)
        if text[index] == "," { index = text.skippingSpaces(from: index + 1, limit: title.upperBound) }
        guard let day = word(dayWords, in: text, at: index) else { return nil }
        return isoDate(text, at: text.skippingSpaces(from: day, limit: title.upperBound), limit: title.upperBound)
    }

    /// The end of whichever casing of a word is at `index`.
    private static func word(_ casings: [ScalarPattern], in text: ScalarText, at index: Int) -> Int? {
        casings.first { text.matches($0, at: index) }.map { index + $0.count }
    }

    /// "15/11/2015", "15-11-2015", "15.11.2015" or "15 tháng 11 năm 2015" at `start` → "2015-11-15".
    /// A year glued to the number after it ("năm 2020" + "72/2020/QH14") ends at `limit`, the title's end.
    private static func isoDate(_ text: ScalarText, at start: Int, limit: Int) -> String? {
        let dayEnd = text.digitsEnd(from: start, limit: limit)
        guard let day = Int(text.string(start..<dayEnd)), dayEnd - start <= 2 else { return nil }
        var index = dayEnd
        let monthValue: Int?
        let yearStart: Int
        if let separator = text[index], separator == "/" || separator == "-" || separator == "." {
            let monthEnd = text.digitsEnd(from: index + 1)
            monthValue = Int(text.string(index + 1..<monthEnd))
            guard text[monthEnd] == separator else { return nil }
            yearStart = monthEnd + 1
        } else {
            index = text.skippingSpaces(from: index, limit: text.count)
            guard let monthWordEnd = word(monthWords, in: text, at: index) else { return nil }
            let monthStart = text.skippingSpaces(from: monthWordEnd, limit: text.count)
            let monthEnd = text.digitsEnd(from: monthStart)
            monthValue = Int(text.string(monthStart..<monthEnd))
            index = text.skippingSpaces(from: monthEnd, limit: text.count)
            guard let yearWordEnd = word(yearWords, in: text, at: index) else { return nil }
            yearStart = text.skippingSpaces(from: yearWordEnd, limit: text.count)
        }
        let yearEnd = text.digitsEnd(from: yearStart, limit: limit)
        guard let monthValue, (1...12).contains(monthValue), (1...31).contains(day), yearEnd - yearStart == 4,
            let yearValue = Int(text.string(yearStart..<yearEnd))
        else { return nil }
        return "\(yearValue)-\(twoDigits(monthValue))-\(twoDigits(day))"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
