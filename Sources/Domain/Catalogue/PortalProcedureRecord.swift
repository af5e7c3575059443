import Foundation

/// One procedure record as crawled from the National Public Service Portal (dichvucong.gov.vn): one line of
/// `procedures/*.jsonl`, with the portal's snake_case keys.
///
/// Every field is plain text exactly as published; several are tables flattened without separators, which
/// `ProcedureParser` turns into structure. Decoding never fails on a missing or null key: the field becomes `""`,
/// so one incomplete record cannot stop an import. The crawler's `raw_text` (the whole page) is not kept.
public struct PortalProcedureRecord: Sendable, Codable, Equatable {
    /// Mã thủ tục, the national code, e.g. `1.001193`.
    public var code: String
    /// The procedure's page on the portal.
    public var detailURL: String
    public var formalityID: String
    /// Tên thủ tục.
    public var name: String
    /// Số quyết định: the decision that published the procedure.
    public var decisionNumber: String
    /// Cấp thực hiện, e.g. "Cấp bộ, Cấp tỉnh".
    public var implementationLevels: String
    /// Loại thủ tục.
    public var kind: String
    /// Lĩnh vực.
    public var field: String
    /// Đối tượng thực hiện, comma-separated.
    public var applicantTypes: String
    public var competentAuthority: String
    /// Địa chỉ tiếp nhận hồ sơ.
    public var receivingAddress: String
    public var authorizedAgency: String
    public var coordinatingAgency: String
    public var relatedProcedures: String
    /// Trình tự thực hiện (free text with line breaks).
    public var steps: String
    /// Cách thức thực hiện: the flattened table of channels, processing times, fees and descriptions.
    public var channels: String
    /// Thành phần hồ sơ: the flattened table(s) of required documents.
    public var documents: String
    /// Căn cứ pháp lý: the flattened table of legal documents.
    public var legalBasis: String
    public var implementingAgency: String
    /// Yêu cầu, điều kiện thực hiện.
    public var requirements: String
    /// Kết quả xử lý: result documents with their portal codes.
    public var results: String

    public init(
        code: String = "", detailURL: String = "", formalityID: String = "", name: String = "",
        decisionNumber: String = "", implementationLevels: String = "", kind: String = "", field: String = "",
        applicantTypes: String = "", competentAuthority: String = "", receivingAddress: String = "",
        authorizedAgency: String = "", coordinatingAgency: String = "", relatedProcedures: String = "",
        steps: String = "", channels: String = "", documents: String = "", legalBasis: String = "",
        implementingAgency: String = "", requirements: String = "", results: String = ""
    ) {
        self.code = code
        self.detailURL = detailURL
        self.formalityID = formalityID
        self.name = name
        self.decisionNumber = decisionNumber
        self.implementationLevels = implementationLevels
        self.kind = kind
        self.field = field
        self.applicantTypes = applicantTypes
        self.competentAuthority = competentAuthority
        self.receivingAddress = receivingAddress
        self.authorizedAgency = authorizedAgency
        self.coordinatingAgency = coordinatingAgency
        self.relatedProcedures = relatedProcedures
        self.steps = steps
        self.channels = channels
        self.documents = documents
        self.legalBasis = legalBasis
        self.implementingAgency = implementingAgency
        self.requirements = requirements
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case code = "ma_thu_tuc"
        case detailURL = "detail_url"
        case formalityID = "formality_id"
        case name = "ten_thu_tuc"
        case decisionNumber = "so_quyet_dinh"
        case implementationLevels = "cap_thuc_hien"
        case kind = "loai_thu_tuc"
        case field = "linh_vuc"
        case applicantTypes = "doi_tuong_thuc_hien"
        case competentAuthority = "co_quan_co_tham_quyen"
        case receivingAddress = "dia_chi_tiep_nhan"
        case authorizedAgency = "co_quan_duoc_uy_quyen"
        case coordinatingAgency = "co_quan_phoi_hop"
        case relatedProcedures = "thu_tuc_lien_quan"
        case steps = "trinh_tu_thuc_hien"
        case channels = "cach_thuc_thuc_hien"
        case documents = "thanh_phan_ho_so"
        case legalBasis = "can_cu_phap_ly"
        case implementingAgency = "co_quan_thuc_hien"
        case requirements = "yeu_cau_dieu_kien"
        case results = "ket_qua_xu_ly"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // A missing key, a null or a non-string value all read as "": the parser reports what is absent.
        func text(_ key: CodingKeys) -> String {
            (try? container.decodeIfPresent(String.self, forKey: key)) ?? ""
        }
        self.init(
            code: text(.code), detailURL: text(.detailURL), formalityID: text(.formalityID), name: text(.name),
            decisionNumber: text(.decisionNumber), implementationLevels: text(.implementationLevels),
            kind: text(.kind), field: text(.field), applicantTypes: text(.applicantTypes),
            competentAuthority: text(.competentAuthority), receivingAddress: text(.receivingAddress),
            authorizedAgency: text(.authorizedAgency), coordinatingAgency: text(.coordinatingAgency),
            relatedProcedures: text(.relatedProcedures), steps: text(.steps), channels: text(.channels),
            documents: text(.documents), legalBasis: text(.legalBasis),
            implementingAgency: text(.implementingAgency), requirements: text(.requirements),
            results: text(.results)
        )
    }
}
