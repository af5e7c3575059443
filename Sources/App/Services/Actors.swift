import Domain
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The agency tree in memory (a few thousand rows), for the questions access asks: a unit's path from the root,
/// and everything under a unit.
struct AgencyTree: Sendable {
    struct Node: Sendable {
        var id: UUID
        var code: String
        var name: String
        var nameEn: String?
        var kind: AgencyKind
        var parent: UUID?
        var officeHours: OfficeHours?
    }

    private(set) var byID: [UUID: Node] = [:]
    private(set) var byCode: [String: Node] = [:]
    /// Units by what people type (`GET /api/v1/agencies?q=`, the pages' unit search).
    private(set) var search = AgencySearch([])

    static func load(on database: any Database) async throws -> AgencyTree {
        var tree = AgencyTree()
        for agency in try await AgencyModel.query(on: database).all() {
            guard let id = agency.id else { continue }
            let node = Node(
                id: id, code: agency.code, name: agency.name, nameEn: agency.nameEn, kind: agency.kind,
                parent: agency.$parent.id,
                officeHours: agency.officeHours.flatMap { OfficeHours(text: $0) })
            tree.byID[id] = node
            tree.byCode[agency.code] = node
        }
        let kinds = AgencyKind.allCases
        tree.search = AgencySearch(tree.byID.values.map { node in
            AgencyCandidate(code: node.code, name: node.name, kindOrder: kinds.firstIndex(of: node.kind) ?? kinds.count)
        })
        return tree
    }

    /// Codes from the root down to the agency itself; empty for an unknown id. Stops on a cycle.
    func path(of id: UUID?) -> [String] {
        var codes: [String] = []
        var seen: Set<UUID> = []
        var current = id
        while let id = current, let node = byID[id], seen.insert(id).inserted {
            codes.append(node.code)
            current = node.parent
        }
        return codes.reversed()
    }

    func path(ofCode code: String) -> [String]? {
        byCode[code].map { path(of: $0.id) }
    }

    /// The office hours that apply at the agency with `code`: its own, else the nearest unit above's, else the
    /// standard hours. Nil when no agency has the code.
    func officeHours(ofCode code: String) -> OfficeHours? {
        guard var node = byCode[code] else { return nil }
        var seen: Set<UUID> = []
        while seen.insert(node.id).inserted {
            if let hours = node.officeHours { return hours }
            guard let parent = node.parent.flatMap({ byID[$0] }) else { break }
            node = parent
        }
        return .standard
    }
}

/// The agency tree, kept between requests and rebuilt when the table changes (count or last update differs), so
/// an admin page costs two small queries, not a read of every agency; another instance's changes show at once.
final class AgencyTreeCache: Sendable {
    private struct Stamp: Equatable {
        var count: Int
        var lastUpdate: Date?
    }

    private let state = NIOLockedValueBox<(stamp: Stamp, tree: AgencyTree)?>(nil)

    func tree(on database: any Database) async throws -> AgencyTree {
        let stamp = Stamp(
            count: try await AgencyModel.query(on: database).count(),
            lastUpdate: try await AgencyModel.query(on: database).max(\.$updatedAt) ?? nil)
        if let cached = state.withLockedValue({ $0 }), cached.stamp == stamp { return cached.tree }
        let tree = try await AgencyTree.load(on: database)
        state.withLockedValue { $0 = (stamp, tree) }
        return tree
    }
}

extension Application {
    private struct AgencyTreeKey: StorageKey {
        typealias Value = AgencyTreeCache
    }

    var agencyTree: AgencyTreeCache {
        get { storage[AgencyTreeKey.self] ?? AgencyTreeCache() }
        set { storage[AgencyTreeKey.self] = newValue }
    }
}

extension Request {
    private struct ActorKey: StorageKey {
        typealias Value = Actor
    }

    /// Who is acting: the API token's integration, the signed-in account, or nobody. Officers' memberships are
    /// read once per request.
    /// `database`: where to read an officer's roles, when not known yet. Inside a transaction pass it: on SQLite
    /// the transaction holds its event loop's only connection, and a read on `db` would wait for it until the pool
    /// gives up.
    func actor(on database: (any Database)? = nil) async throws -> Actor {
        if let cached = storage[ActorKey.self] { return cached }
        let actor: Actor
        if let token = apiToken, let id = token.id {
            actor = .integration(id: id, agency: token.agency?.code, canWrite: token.permissionSet.contains(.write))
        } else if let account, let id = account.id {
            switch account.kind {
            case .citizen, .business:
                actor = .applicant(id: id)
            case .officer:
                let memberships = try await MembershipModel.query(on: database ?? db).filter(\.$account.$id == id)
                    .with(\.$agency).all()
                actor = .officer(id: id, memberships: memberships.map { Membership(agency: $0.agency?.code, role: $0.role) })
            }
        } else {
            actor = .anonymous
        }
        storage[ActorKey.self] = actor
        return actor
    }

    /// The actor, if this request has already established it (`actor()`); nil before. Pages read it to show only
    /// the links the reader may open.
    var knownActor: Actor? { storage[ActorKey.self] }

    /// Asks the access policy and throws its refusal (401/403 with the reason), logging it for the audit.
    func authorize(_ action: Domain.Action, _ resource: Resource) async throws {
        try ChangeContext.enforce(
            AccessPolicy.decide(try await actor(), action, resource), action: action, resource: resource, logger: logger)
    }
}
