/// The provinces and their communes and wards since 1 July 2025, for address fields: what the pickers list and what
/// an address is checked against. Built by the caller from the official list; this type reads no file.
public struct AdministrativeUnits: Sendable {
    public struct Unit: Sendable, Equatable {
        public var code: String
        public var name: String
        public var nameEn: String?
        /// The province a commune or ward belongs to; nil for a province.
        public var provinceCode: String?

        public init(code: String, name: String, nameEn: String? = nil, provinceCode: String? = nil) {
            self.code = code
            self.name = name
            self.nameEn = nameEn
            self.provinceCode = provinceCode
        }
    }

    public let provinces: [Unit]
    private let communesByProvince: [String: [Unit]]
    private let byCode: [String: Unit]

    /// `communes` in any order; each is listed under its province in the order given.
    public init(provinces: [Unit], communes: [Unit]) {
        self.provinces = provinces
        communesByProvince = Dictionary(grouping: communes.filter { $0.provinceCode != nil }) { $0.provinceCode ?? "" }
        byCode = Dictionary((provinces + communes).map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public static let none = AdministrativeUnits(provinces: [], communes: [])

    public func unit(_ code: String) -> Unit? { byCode[code] }

    public func communes(of provinceCode: String) -> [Unit] { communesByProvince[provinceCode] ?? [] }

    /// "Phường Ba Đình, Thành phố Hà Nội", for an address read back.
    public func describe(province: String, commune: String) -> String? {
        guard let province = unit(province), let commune = unit(commune) else { return nil }
        return commune.name + ", " + province.name
    }
}
