import Domain
import Foundation
import Vapor

extension Application {
    private struct AdministrativeUnitsKey: StorageKey {
        typealias Value = AdministrativeUnits
    }

    /// The 2025 provinces and communes, read once at start from the seed's official list (`loadAdministrativeUnits`):
    /// address fields list and check against it. The list changes only by law, with a new release.
    var administrativeUnits: AdministrativeUnits {
        get { storage[AdministrativeUnitsKey.self] ?? .none }
        set { storage[AdministrativeUnitsKey.self] = newValue }
    }

    /// Reads `Resources/Seed/admin-units-2026.json`.
    func loadAdministrativeUnits() throws {
        let path = directory.resourcesDirectory + "Seed/admin-units-2026.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw Seeder.SeedFileMissing(path: path) }
        let provinces = try JSONDecoder().decode([AdministrativeUnit].self, from: data)
        administrativeUnits = AdministrativeUnits(
            provinces: provinces.map { .init(code: $0.code, name: $0.fullName, nameEn: $0.fullNameEn) },
            communes: provinces.flatMap { province in
                (province.wards ?? []).map {
                    .init(code: $0.code, name: $0.fullName, nameEn: $0.fullNameEn, provinceCode: province.code)
                }
            })
    }
}
