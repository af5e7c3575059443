/// What an agency is, in the tree ministry or province → department/center → commune or ward.
/// Since 1 July 2025 local government has two levels: provinces and the communes, wards and special zones
/// under them (Resolution 202/2025/QH15).
public enum AgencyKind: String, Sendable, Codable, CaseIterable, Hashable {
    case ministry  // Bộ, cơ quan ngang bộ
    case province  // Tỉnh
    case municipality  // Thành phố trực thuộc trung ương
    case commune  // Xã
    case ward  // Phường
    case specialZone  // Đặc khu
    case department  // Sở, ban, ngành, cục
    case center  // Trung tâm Phục vụ hành chính công

    /// The kind named by the administrative-unit short name of the official list ("Tỉnh", "Phường", ...).
    public init?(unitName: String) {
        switch unitName {
        case "Tỉnh": self = .province
        case "Thành phố": self = .municipality
        case "Xã": self = .commune
        case "Phường": self = .ward
        case "Đặc khu": self = .specialZone
        default: return nil
        }
    }
}
