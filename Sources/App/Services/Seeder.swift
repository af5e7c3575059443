import Domain
import Fluent
import Foundation
import Vapor

/// A ministry of `Resources/Seed/ministries.json`, with the catalogue file it publishes.
struct MinistrySeed: Codable, Sendable, Equatable {
    var code: String
    var name: String
    var nameEn: String
    var catalogueFile: String
}

/// Loads reference and demo data from `Resources/Seed`.
struct Seeder {
    let seedDirectory: String
    let database: any Database
    let logger: Logger
    let bcryptCost: Int

    init(app: Application, database: (any Database)? = nil) {
        self.seedDirectory = app.directory.resourcesDirectory + "Seed/"
        self.database = database ?? app.db
        self.logger = app.logger
        self.bcryptCost = app.config.bcryptCost
    }

    struct SeedFileMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "seed file missing or unreadable: \(path)" }
    }

    func ministries() throws -> [MinistrySeed] {
        try decode([MinistrySeed].self, from: "ministries.json")
    }

    /// The government's issuing bodies, for reading a record's managing ministry.
    func issuingBodies() throws -> [IssuingBody] {
        try decode([IssuingBody].self, from: "issuing-bodies.json")
    }

    /// An importer that reads managing ministries through `issuingBodies`.
    func importer() throws -> ProcedureImporter {
        ProcedureImporter(database: database, bodies: try issuingBodies())
    }

    /// Seeds what is missing: agencies and the whole procedure catalogue into a database without agencies, demo
    /// accounts into one without accounts. Each part is left alone once it has data, so restarting the server
    /// never duplicates or overwrites anything, and a database from an older version gets the newer parts.
    func seedDemoIfEmpty() async throws {
        if try await AgencyModel.query(on: database).count() == 0 {
            logger.notice("seeding an empty database with agencies and the procedure catalogue")
            try await seedAgencies()
            // The seed knows which ministry published each of its files: that serves the few records whose
            // decision number names no ministry (a province's decision, a bare number).
            let importer = try importer()
            var imported = 0
            var skipped = 0
            for ministry in try ministries() {
                let report = try await importer.importFiles(
                    [seedDirectory + "procedures/" + ministry.catalogueFile + ".jsonl"], whenUnstated: ministry.code)
                imported += report.imported
                skipped += report.skipped.count
            }
            logger.notice("seeded the catalogue", metadata: ["imported": "\(imported)", "skipped": "\(skipped)"])
        }
        try await seedDemoAccounts(cost: bcryptCost)
    }

    /// The password of every demo account (README lists the accounts). Demo data only: `MOTCUA_SEED=none` in
    /// production seeds none of them.
    static let demoPassword = "motcua-demo"

    /// A citizen, a business, officers of a ward and of a provincial department, an agency admin, a system admin
    /// and an auditor, when there are no accounts yet.
    func seedDemoAccounts(cost: Int) async throws {
        guard try await AccountModel.query(on: database).count() == 0 else { return }
        let accounts = try decode([DemoAccount].self, from: "demo-accounts.json")
        let hash = try Bcrypt.hash(Self.demoPassword, cost: cost)
        let codes = accounts.flatMap { $0.roles ?? [] }.compactMap(\.agency)
        let agencyIDs = Dictionary(
            try await AgencyModel.query(on: database).filter(\.$code ~~ codes).all().compactMap { agency in
                agency.id.map { (agency.code, $0) }
            }, uniquingKeysWith: { first, _ in first })
        try await database.transaction { database in
            for demo in accounts {
                let account = AccountModel()
                account.kind = demo.kind
                account.fullName = demo.fullName
                account.email = demo.email
                account.phone = demo.phone
                account.personalID = demo.personalID
                account.birthDate = demo.birthDate
                account.businessName = demo.businessName
                account.taxCode = demo.taxCode
                account.legalRepresentative = demo.legalRepresentative
                account.passwordHash = hash
                account.language = Language.vi.rawValue
                try await account.create(on: database)
                for role in demo.roles ?? [] {
                    try await MembershipModel(
                        accountID: try account.requireID(), agencyID: role.agency.flatMap { agencyIDs[$0] },
                        role: role.role
                    ).create(on: database)
                }
            }
        }
    }

    /// Ministries, the 34 provinces with their communes and wards, and the demo departments and centers.
    func seedAgencies() async throws {
        try await AgencySeeder.ensureMinistries(try ministries(), on: database)
        let units = try decode([AdministrativeUnit].self, from: "admin-units-2026.json")
        let demo = try decode([DemoAgency].self, from: "demo-agencies.json")
        try await database.transaction { database in
            var ids: [String: UUID] = [:]
            var models: [AgencyModel] = []
            for province in units {
                let provinceID = UUID()
                ids[province.code] = provinceID
                models.append(AgencyModel(
                    id: provinceID, code: province.code, name: province.fullName, nameEn: province.fullNameEn,
                    kind: AgencyKind(unitName: province.unitShortName) ?? .province, parentID: nil))
                for unit in province.wards ?? [] {
                    models.append(AgencyModel(
                        id: UUID(), code: unit.code, name: unit.fullName, nameEn: unit.fullNameEn,
                        kind: AgencyKind(unitName: unit.unitShortName) ?? .commune, parentID: provinceID))
                }
            }
            for agency in demo {
                models.append(AgencyModel(
                    id: UUID(), code: agency.code, name: agency.name, nameEn: agency.nameEn, kind: agency.kind,
                    parentID: ids[agency.parent]))
            }
            // Provinces come first, so a parent is always inserted before its children. Batches stay under
            // SQLite's limit on bound parameters.
            for start in stride(from: 0, to: models.count, by: 200) {
                try await Array(models[start..<min(start + 200, models.count)]).create(on: database)
            }
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from file: String) throws -> T {
        let path = seedDirectory + file
        guard let data = FileManager.default.contents(atPath: path) else { throw SeedFileMissing(path: path) }
        return try JSONDecoder().decode(T.self, from: data)
    }
}

enum AgencySeeder {
    /// Creates the ministries that do not exist yet; the catalogue needs them as managing agencies.
    static func ensureMinistries(_ ministries: [MinistrySeed], on database: any Database) async throws {
        let existing = Set(try await AgencyModel.query(on: database).filter(\.$kind == .ministry).all().map(\.code))
        for ministry in ministries where !existing.contains(ministry.code) {
            try await AgencyModel(
                code: ministry.code, name: ministry.name, nameEn: ministry.nameEn, kind: .ministry, parentID: nil
            ).create(on: database)
        }
    }
}

/// A unit of the official 2025 list, as `admin-units-2026.json` spells it.
struct AdministrativeUnit: Decodable {
    var code: String
    var fullName: String
    var fullNameEn: String?
    var unitShortName: String
    var wards: [AdministrativeUnit]?

    enum CodingKeys: String, CodingKey {
        case code = "Code"
        case fullName = "FullName"
        case fullNameEn = "FullNameEn"
        case unitShortName = "AdministrativeUnitShortName"
        case wards = "Wards"
    }
}

private struct DemoAccount: Decodable {
    struct RoleSeed: Decodable {
        var agency: String?
        var role: Role
    }

    var email: String
    var fullName: String
    var kind: AccountModel.Kind
    var personalID: String?
    var birthDate: String?
    var phone: String
    var businessName: String?
    var taxCode: String?
    var legalRepresentative: String?
    var roles: [RoleSeed]?
}

private struct DemoAgency: Decodable {
    var code: String
    var name: String
    var nameEn: String
    var kind: AgencyKind
    var parent: String
}
