import Domain
import Fluent
import Foundation
import Synchronization
import Vapor

/// The in-memory catalogue index of this process, kept in step with the database.
///
/// The database is the truth; the index is a cache of it, so any number of instances can serve search. Each
/// instance rebuilds its index when it sees that the catalogue changed (procedure count or last update moved),
/// checking at most once per refresh interval, on the request that finds the interval elapsed.
final class CatalogueService: Sendable {
    private struct Stamp: Equatable {
        var count: Int
        var lastUpdate: Date?
    }

    private struct State {
        var index: CatalogueIndex?
        var stamp: Stamp?
        var lastCheck: ContinuousClock.Instant?
        var checking = false
    }

    private let state = Mutex(State())
    private let refreshInterval: Duration

    init(refreshInterval: Duration) {
        self.refreshInterval = refreshInterval
    }

    /// The current index, loading it on first use and rebuilding it when the catalogue changed.
    func index(on database: any Database) async throws -> CatalogueIndex {
        let now = ContinuousClock.now
        let (index, mustCheck) = state.withLock { state -> (CatalogueIndex?, Bool) in
            let due = state.lastCheck.map { now - $0 >= refreshInterval } ?? true
            guard state.index == nil || (due && !state.checking) else { return (state.index, false) }
            state.checking = true
            return (state.index, true)
        }
        if let index, !mustCheck { return index }
        do {
            let fresh = try await refreshed(current: index, on: database)
            state.withLock {
                $0.checking = false
                $0.lastCheck = now
            }
            return fresh
        } catch {
            state.withLock { $0.checking = false }
            // A failed check keeps serving the index we have; with none, the caller sees the error.
            if let index { return index }
            throw error
        }
    }

    /// Rebuilds the index now, whatever the stamp says (after an import in this process).
    func reload(on database: any Database) async throws {
        let stamp = try await Self.stamp(on: database)
        let index = try await Self.build(on: database)
        state.withLock {
            $0.index = index
            $0.stamp = stamp
            $0.lastCheck = ContinuousClock.now
        }
    }

    private func refreshed(current: CatalogueIndex?, on database: any Database) async throws -> CatalogueIndex {
        let stamp = try await Self.stamp(on: database)
        if let current, state.withLock({ $0.stamp == stamp }) { return current }
        let index = try await Self.build(on: database)
        state.withLock {
            $0.index = index
            $0.stamp = stamp
        }
        return index
    }

    private static func stamp(on database: any Database) async throws -> Stamp {
        let count = try await ProcedureModel.query(on: database).count()
        let last = try await ProcedureModel.query(on: database).max(\.$updatedAt)
        return Stamp(count: count, lastUpdate: last ?? nil)
    }

    private static func build(on database: any Database) async throws -> CatalogueIndex {
        let agencies = try await AgencyModel.query(on: database).filter(\.$kind == .ministry).all()
        var names: [UUID: (code: String, name: String)] = [:]
        for agency in agencies {
            if let id = agency.id { names[id] = (agency.code, agency.name) }
        }
        let decoder = JSONDecoder()
        let entries = try await ProcedureModel.query(on: database).all().compactMap { model -> CatalogueEntry? in
            guard let procedure = try? decoder.decode(Procedure.self, from: Data(model.data.utf8)) else { return nil }
            return CatalogueEntry(procedure, agencyName: names[model.$managingAgency.id]?.name ?? "")
        }
        return CatalogueIndex(entries: entries)
    }
}

extension Application {
    private struct CatalogueServiceKey: StorageKey {
        typealias Value = CatalogueService
    }

    var catalogue: CatalogueService {
        // Set once in `configure`, before the server starts, so requests only ever read it.
        get { storage[CatalogueServiceKey.self] ?? CatalogueService(refreshInterval: .seconds(10)) }
        set { storage[CatalogueServiceKey.self] = newValue }
    }
}

extension Request {
    /// The catalogue index, fresh within the refresh interval.
    func catalogueIndex() async throws -> CatalogueIndex {
        try await application.catalogue.index(on: db)
    }
}
