import Domain
import Fluent
import Foundation
import Synchronization
import Vapor

/// The catalogue as this process serves it: the search index and, for each entry, its list-API JSON encoded once,
/// so a search response is the ranked entries' bytes joined (JSON encoding was most of a search request's cost).
final class CatalogueSnapshot: Sendable {
    let index: CatalogueIndex
    /// `ProcedureSummaryDTO` of `index.entries[i]`, encoded.
    let summaryJSON: [[UInt8]]
    /// Public pages drawn from this snapshot (`PageCache`).
    let pages = PageCache()

    init(index: CatalogueIndex) throws {
        self.index = index
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.summaryJSON = try index.entries.map { Array(try encoder.encode(ProcedureSummaryDTO($0))) }
    }
}

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
        var snapshot: CatalogueSnapshot?
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
        try await snapshot(on: database).index
    }

    /// The current snapshot, loading it on first use and rebuilding it when the catalogue changed.
    func snapshot(on database: any Database) async throws -> CatalogueSnapshot {
        let now = ContinuousClock.now
        let (snapshot, mustCheck) = state.withLock { state -> (CatalogueSnapshot?, Bool) in
            let due = state.lastCheck.map { now - $0 >= refreshInterval } ?? true
            guard state.snapshot == nil || (due && !state.checking) else { return (state.snapshot, false) }
            state.checking = true
            return (state.snapshot, true)
        }
        if let snapshot, !mustCheck { return snapshot }
        do {
            let fresh = try await refreshed(current: snapshot, on: database)
            state.withLock {
                $0.checking = false
                $0.lastCheck = now
            }
            return fresh
        } catch {
            state.withLock { $0.checking = false }
            // A failed check keeps serving the snapshot we have; with none, the caller sees the error.
            if let snapshot { return snapshot }
            throw error
        }
    }

    /// Rebuilds the index now, whatever the stamp says (after an import in this process).
    func reload(on database: any Database) async throws {
        let stamp = try await Self.stamp(on: database)
        let snapshot = try await Self.build(on: database)
        state.withLock {
            $0.snapshot = snapshot
            $0.stamp = stamp
            $0.lastCheck = ContinuousClock.now
        }
    }

    private func refreshed(current: CatalogueSnapshot?, on database: any Database) async throws -> CatalogueSnapshot {
        let stamp = try await Self.stamp(on: database)
        if let current, state.withLock({ $0.stamp == stamp }) { return current }
        let snapshot = try await Self.build(on: database)
        state.withLock {
            $0.snapshot = snapshot
            $0.stamp = stamp
        }
        return snapshot
    }

    private static func stamp(on database: any Database) async throws -> Stamp {
        let count = try await ProcedureModel.query(on: database).count()
        let last = try await ProcedureModel.query(on: database).max(\.$updatedAt)
        return Stamp(count: count, lastUpdate: last ?? nil)
    }

    private static func build(on database: any Database) async throws -> CatalogueSnapshot {
        let agencies = try await AgencyModel.query(on: database).filter(\.$kind == .ministry).all()
        var names: [UUID: (code: String, name: String)] = [:]
        for agency in agencies {
            if let id = agency.id { names[id] = (agency.code, agency.name) }
        }
        let entries = try await ProcedureModel.query(on: database).all().compactMap { model -> CatalogueEntry? in
            guard let procedure = try? model.procedure() else { return nil }
            return CatalogueEntry(procedure, agencyName: names[model.$managingAgency.id]?.name ?? "")
        }
        return try CatalogueSnapshot(index: CatalogueIndex(entries: entries))
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

    func catalogueSnapshot() async throws -> CatalogueSnapshot {
        try await application.catalogue.snapshot(on: db)
    }
}
