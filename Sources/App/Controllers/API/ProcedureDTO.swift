import Domain
import Vapor

/// A procedure as the list API shows it.
struct ProcedureSummaryDTO: Content {
    var code: String
    var name: String
    var field: String
    var levels: [ImplementationLevel]
    var agency: AgencyRef
    var channels: [SubmissionChannel]
    /// The processing time of the online channel (else the first channel); null when not stated or not parsed.
    var processingTime: ProcessingTimeDTO?
    /// The portal's text for that time when it could not be parsed.
    var processingTimeText: String?
    var fees: [FeeDTO]?
    var feesText: String?
    var url: String

    init(_ entry: CatalogueEntry) {
        code = entry.code
        name = entry.name
        field = entry.field
        levels = entry.levels
        agency = AgencyRef(code: entry.managingAgencyCode, name: entry.managingAgencyName)
        channels = entry.channels.map(\.channel)
        let main = entry.channels.first { $0.channel == .online } ?? entry.channels.first
        let time = ParsedDTO(main?.processingTime ?? .absent, ProcessingTimeDTO.init)
        processingTime = time.value
        processingTimeText = time.text
        let fees = ParsedDTO(main?.fees ?? .absent) { $0.map(FeeDTO.init) }
        self.fees = fees.value
        feesText = fees.text
        url = SiteURL.api(.procedure(code: entry.code)).path
    }
}

struct AgencyRef: Content {
    var code: String
    var name: String
}

struct ProcessingTimeDTO: Content {
    var value: Double
    var unit: TimeUnit

    init(_ time: ProcessingTime) {
        value = time.value
        unit = time.unit
    }
}

struct FeeDTO: Content {
    var amount: Int?
    var free: Bool
    var note: String?

    init(_ fee: Fee) {
        amount = fee.amount
        free = fee.freeOfCharge
        note = fee.note
    }
}

/// A `Parsed` field as two JSON members: the structure, or the original text where parsing failed.
struct ParsedDTO<Value> {
    var value: Value?
    var text: String?

    init<Source>(_ parsed: Parsed<Source>, _ transform: (Source) -> Value) {
        switch parsed {
        case .absent: break
        case .parsed(let source): value = transform(source)
        case .unparsed(let original): text = original
        }
    }
}

/// The whole record of one procedure.
struct ProcedureDTO: Content {
    struct ChannelDTO: Content {
        var channel: SubmissionChannel
        var processingTime: ProcessingTimeDTO?
        var processingTimeText: String?
        var fees: [FeeDTO]?
        var feesText: String?
        var description: String?
    }

    var code: String
    var name: String
    var version: Int
    var decisionNumber: String?
    var sourceURL: String?
    var field: String
    var levels: [ImplementationLevel]
    var kind: String?
    var applicantTypes: [String]
    var agency: AgencyRef
    var competentAuthority: String?
    var implementingAgency: String?
    var coordinatingAgency: String?
    var receivingAddress: String?
    var channels: [ChannelDTO]?
    var channelsText: String?
    var steps: String?
    var documents: [DocumentGroup]?
    var documentsText: String?
    var requirements: String?
    var results: [ResultDocument]?
    var resultsText: String?
    var legalBasis: [LegalDocument]?
    var legalBasisText: String?
    /// Fields whose portal text could not be fully parsed; their original text is in the `…Text` members.
    var unparsedFields: [String]
    /// What waiting for a supplement does to the processing period (a local setting, not the portal's).
    var pauseRule: PauseRule

    init(_ procedure: Procedure, version: Int, agency: AgencyRef, issues: [ParseIssue], pauseRule: PauseRule) {
        code = procedure.code
        name = procedure.name
        self.version = version
        decisionNumber = procedure.decisionNumber
        sourceURL = procedure.sourceURL
        field = procedure.field
        levels = procedure.levels
        kind = procedure.kind
        applicantTypes = procedure.applicantTypes
        self.agency = agency
        competentAuthority = procedure.competentAuthority
        implementingAgency = procedure.implementingAgency
        coordinatingAgency = procedure.coordinatingAgency
        receivingAddress = procedure.receivingAddress
        let channels = ParsedDTO(procedure.channels) { offers in
            offers.map { offer in
                let time = ParsedDTO(offer.processingTime, ProcessingTimeDTO.init)
                let fees = ParsedDTO(offer.fees) { $0.map(FeeDTO.init) }
                return ChannelDTO(
                    channel: offer.channel, processingTime: time.value, processingTimeText: time.text,
                    fees: fees.value, feesText: fees.text, description: offer.description)
            }
        }
        self.channels = channels.value
        channelsText = channels.text
        steps = procedure.steps
        let documents = ParsedDTO(procedure.documents) { $0 }
        self.documents = documents.value
        documentsText = documents.text
        requirements = procedure.requirements
        let results = ParsedDTO(procedure.results) { $0 }
        self.results = results.value
        resultsText = results.text
        let legalBasis = ParsedDTO(procedure.legalBasis) { $0 }
        self.legalBasis = legalBasis.value
        legalBasisText = legalBasis.text
        unparsedFields = Array(Set(issues.map(\.field))).sorted()
        self.pauseRule = pauseRule
    }
}

struct ProcedurePageDTO: Content {
    var items: [ProcedureSummaryDTO]
    var page: Int
    var per: Int
    var total: Int
}

struct AgencyDTO: Content {
    var code: String
    var name: String
    var nameEn: String?
    var kind: AgencyKind
    var parent: String?
    var url: String
}

struct AgencyListDTO: Content {
    var parent: AgencyRef?
    var items: [AgencyDTO]
}
