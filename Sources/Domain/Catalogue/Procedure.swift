import Foundation

/// An administrative procedure (thủ tục hành chính) as the catalogue holds it: the portal's record, parsed
/// into structure. Fields that could not be parsed keep their original text (`Parsed.unparsed`), so a citizen
/// always sees what the portal published even where the structure was lost in flattening.
public struct Procedure: Sendable, Codable, Equatable {
    // identity
    /// National code, e.g. `1.001193`.
    public var code: String
    public var name: String
    /// The decision that published or amended the procedure (e.g. `163/QĐ-BTP`).
    public var decisionNumber: String?
    /// Link to the procedure on the National Public Service Portal.
    public var sourceURL: String?

    // classification
    /// Lĩnh vực, e.g. "Hộ tịch".
    public var field: String
    public var levels: [ImplementationLevel]
    /// Loại thủ tục, as published.
    public var kind: String?
    public var applicantTypes: [String]

    // agencies (as the portal names them)
    /// Code of the managing agency (a ministry) whose catalogue the record came from, e.g. `BTP`.
    public var managingAgencyCode: String
    public var competentAuthority: String?
    public var implementingAgency: String?
    public var coordinatingAgency: String?
    public var receivingAddress: String?

    // how it is carried out
    public var channels: Parsed<[ChannelOffer]>
    public var steps: String?
    public var documents: Parsed<[DocumentGroup]>
    public var requirements: String?
    public var results: Parsed<[ResultDocument]>
    public var legalBasis: Parsed<[LegalDocument]>

    public init(
        code: String, name: String, decisionNumber: String? = nil, sourceURL: String? = nil, field: String,
        levels: [ImplementationLevel], kind: String? = nil, applicantTypes: [String] = [],
        managingAgencyCode: String, competentAuthority: String? = nil, implementingAgency: String? = nil,
        coordinatingAgency: String? = nil, receivingAddress: String? = nil,
        channels: Parsed<[ChannelOffer]> = .absent, steps: String? = nil, documents: Parsed<[DocumentGroup]> = .absent,
        requirements: String? = nil, results: Parsed<[ResultDocument]> = .absent,
        legalBasis: Parsed<[LegalDocument]> = .absent
    ) {
        self.code = code
        self.name = name
        self.decisionNumber = decisionNumber
        self.sourceURL = sourceURL
        self.field = field
        self.levels = levels
        self.kind = kind
        self.applicantTypes = applicantTypes
        self.managingAgencyCode = managingAgencyCode
        self.competentAuthority = competentAuthority
        self.implementingAgency = implementingAgency
        self.coordinatingAgency = coordinatingAgency
        self.receivingAddress = receivingAddress
        self.channels = channels
        self.steps = steps
        self.documents = documents
        self.requirements = requirements
        self.results = results
        self.legalBasis = legalBasis
    }
}

/// A field parsed from flattened portal text: the structure when it could be recovered, the original text
/// when it could not, or nothing when the portal published nothing ("Không có thông tin").
public enum Parsed<Value: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    case absent
    case parsed(Value)
    case unparsed(original: String)

    public var value: Value? {
        if case .parsed(let value) = self { return value }
        return nil
    }
}

/// Cấp thực hiện.
public enum ImplementationLevel: String, Sendable, Codable, CaseIterable, Hashable {
    case ministry  // Cấp bộ
    case province  // Cấp tỉnh
    case commune  // Cấp xã
    case other  // anything else the portal names (e.g. "Cơ quan khác")
}

/// Hình thức nộp: how a dossier reaches the agency.
public enum SubmissionChannel: String, Sendable, Codable, CaseIterable, Hashable {
    case inPerson  // Trực tiếp
    case online  // Trực tuyến
    case postal  // Dịch vụ bưu chính
}

/// One row of the portal's "Cách thức thực hiện" table: a channel with its processing time, fees and notes.
public struct ChannelOffer: Sendable, Codable, Equatable {
    public var channel: SubmissionChannel
    public var processingTime: Parsed<ProcessingTime>
    public var fees: Parsed<[Fee]>
    public var description: String?

    public init(
        channel: SubmissionChannel, processingTime: Parsed<ProcessingTime>, fees: Parsed<[Fee]>, description: String? = nil
    ) {
        self.channel = channel
        self.processingTime = processingTime
        self.fees = fees
        self.description = description
    }
}

/// A statutory processing time: a value and its unit.
public struct ProcessingTime: Sendable, Codable, Equatable {
    /// Usually whole, but the portal has half days ("0,5 ngày làm việc").
    public var value: Double
    public var unit: TimeUnit

    public init(value: Double, unit: TimeUnit) {
        self.value = value
        self.unit = unit
    }
}

public enum TimeUnit: String, Sendable, Codable, CaseIterable, Hashable {
    case workingDays  // Ngày làm việc
    case days  // Ngày (calendar days)
    case months  // Tháng
    case hours  // Giờ (working hours)
}

/// A fee (phí) or charge (lệ phí). `amount` is in đồng when the portal states one; `freeOfCharge` marks
/// "Miễn phí"; `note` keeps the portal's explanation (which often carries the real tariff).
public struct Fee: Sendable, Codable, Equatable {
    public var amount: Int?
    public var freeOfCharge: Bool
    public var note: String?

    public init(amount: Int?, freeOfCharge: Bool, note: String? = nil) {
        self.amount = amount
        self.freeOfCharge = freeOfCharge
        self.note = note
    }
}

/// A heading of "Thành phần hồ sơ" (e.g. "Giấy tờ phải nộp") with its documents.
public struct DocumentGroup: Sendable, Codable, Equatable {
    public var title: String?
    public var documents: [RequiredDocument]

    public init(title: String?, documents: [RequiredDocument]) {
        self.title = title
        self.documents = documents
    }
}

/// A required document: its name, the form template if any, and how many originals and copies.
public struct RequiredDocument: Sendable, Codable, Equatable {
    public var name: String
    public var template: String?
    public var originals: Int
    public var copies: Int

    public init(name: String, template: String? = nil, originals: Int, copies: Int) {
        self.name = name
        self.template = template
        self.originals = originals
        self.copies = copies
    }
}

/// A result document (kết quả xử lý), with the portal's result code when given (e.g. `KQ.G12.00042`).
public struct ResultDocument: Sendable, Codable, Equatable {
    public var name: String
    public var code: String?

    public init(name: String, code: String? = nil) {
        self.name = name
        self.code = code
    }
}

/// A legal document in "Căn cứ pháp lý": its number (e.g. `123/2015/NĐ-CP`), title, date and issuer.
public struct LegalDocument: Sendable, Codable, Equatable {
    public var number: String?
    public var title: String
    public var issuedOn: String?
    public var issuer: String?

    public init(number: String?, title: String, issuedOn: String? = nil, issuer: String? = nil) {
        self.number = number
        self.title = title
        self.issuedOn = issuedOn
        self.issuer = issuer
    }
}
