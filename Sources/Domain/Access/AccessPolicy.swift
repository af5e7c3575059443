import Foundation

/// An officer's role, held per agency unit.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case receptionOfficer  // cán bộ một cửa
    case specialist  // chuyên viên thụ lý
    case leader  // lãnh đạo
    case agencyAdmin  // quản trị đơn vị
    case systemAdmin  // quản trị hệ thống
    case auditor  // thanh tra, kiểm tra

    /// Roles that work on dossiers.
    var processes: Bool {
        switch self {
        case .receptionOfficer, .specialist, .leader: true
        case .agencyAdmin, .systemAdmin, .auditor: false
        }
    }
}

/// A role in a unit. `agency` nil means the whole system (system administrators, national auditors).
public struct Membership: Sendable, Hashable, Codable {
    public var agency: String?
    public var role: Role

    public init(agency: String?, role: Role) {
        self.agency = agency
        self.role = role
    }

    /// Whether this membership reaches a resource owned at the end of `path` (agency codes from the root down):
    /// a unit reaches itself and everything under it.
    func reaches(_ path: [String]) -> Bool {
        guard let agency else { return true }
        return path.contains(agency)
    }
}

/// Who is acting.
public enum Actor: Sendable, Equatable {
    case anonymous
    /// A citizen or business account.
    case applicant(id: UUID)
    case officer(id: UUID, memberships: [Membership])
    /// A system calling the API with a token scoped to an agency (nil: the whole system); reads in its scope, and
    /// with `canWrite` changes records there, never minting tokens or doing a person's decision step.
    case integration(id: UUID, agency: String?, canWrite: Bool)
    /// Someone at the server's command line (`motcua create-api-token`, …), named by their login. They already hold
    /// the database: the policy lets them do what a system administrator may, and the audit log says who it was.
    case console(user: String)
}

public enum Action: String, Sendable, Codable, CaseIterable, Hashable {
    case read
    case create
    case update
    case delete
    /// Work a dossier through its steps (accept, request a supplement, forward, draft the result).
    case process
    /// Approve or send back, sign the result.
    case approve
}

/// What is acted on, with what decides access: the owning agency's path and, for applicants' records, the owner.
public struct Resource: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The procedure catalogue: public to read.
        case catalogue
        /// The agency tree: public to read.
        case agency
        /// Officer accounts and their roles.
        case officer
        /// Integration tokens.
        case apiToken
        /// The working-time calendar.
        case calendar
        /// A dossier (hồ sơ) and its documents.
        case dossier
        /// An applicant's account and personal data.
        case applicantAccount
        /// The audit log.
        case auditLog
        /// The background job queue (emails, recomputations): what failed and why. System administrators only.
        case jobQueue
    }

    public var kind: Kind
    /// Agency codes from the root down to the owning agency; empty for national resources.
    public var agencyPath: [String]
    /// The applicant account that owns it, for dossiers and applicant accounts.
    public var owner: UUID?

    public init(_ kind: Kind, agencyPath: [String] = [], owner: UUID? = nil) {
        self.kind = kind
        self.agencyPath = agencyPath
        self.owner = owner
    }
}

public enum Decision: Sendable, Equatable {
    case allow
    case deny(DenialReason)

    public var isAllowed: Bool { self == .allow }
}

public enum DenialReason: String, Sendable, Equatable {
    /// Signing in would help: the resource is not public.
    case signInRequired
    /// The record belongs to another applicant.
    case notTheOwner
    /// The record belongs to an agency none of the officer's units reaches.
    case outsideTheActorsAgencies
    /// The officer's roles in the owning agency do not include this action.
    case roleDoesNotAllow
    /// Auditors read; they never change anything.
    case auditorsOnlyRead
    /// Nobody may do this: the audit log is never written through the application, a dossier never deleted.
    case neverAllowed
}

/// The one authorization policy: every route asks it about the actor, the action and the resource, and the
/// answer says why when it is no.
public enum AccessPolicy {
    public static func decide(_ actor: Actor, _ action: Action, _ resource: Resource) -> Decision {
        if action == .read, resource.kind == .catalogue || resource.kind == .agency { return .allow }
        // A dossier is a legal record: withdrawal and refusal are states of it, never a deletion.
        if action == .delete, resource.kind == .dossier { return .deny(.neverAllowed) }
        switch actor {
        case .anonymous:
            return .deny(.signInRequired)
        case .applicant(let id):
            return applicant(id, action, resource)
        case .officer(_, let memberships):
            return officer(memberships, action, resource)
        case .integration(_, let agency, let canWrite):
            return integration(agency, canWrite, action, resource)
        case .console:
            return officer(Self.wholeSystemAdministrator, action, resource)
        }
    }

    /// What the command line is allowed: a system administrator's memberships.
    private static let wholeSystemAdministrator = [Membership(agency: nil, role: .systemAdmin)]

    /// Roles that open the administration pages; auditors see them read-only (the forms refuse their changes).
    public static let administeringRoles: Set<Role> = [.agencyAdmin, .systemAdmin, .auditor]

    /// Whether `actor` may open the administration pages at all: officers holding an administering role somewhere.
    /// Which officers, units and tokens each page then shows is `decide`'s answer per record.
    public static func mayOpenAdministration(_ actor: Actor) -> Decision {
        switch actor {
        case .anonymous:
            return .deny(.signInRequired)
        case .applicant, .integration:
            return .deny(.roleDoesNotAllow)
        case .officer(_, let memberships):
            return memberships.contains { administeringRoles.contains($0.role) } ? .allow : .deny(.roleDoesNotAllow)
        case .console:
            return .allow
        }
    }

    /// Whether `actor` may give someone `role` in the unit at `agencyPath` (empty: the whole system). Agency admins
    /// staff their units with processing roles and other agency admins; auditors and whole-system roles are
    /// granted only by system administrators; integrations only add processing roles.
    public static func mayGrant(_ role: Role, at agencyPath: [String], by actor: Actor) -> Decision {
        let scope = decide(actor, .create, Resource(.officer, agencyPath: agencyPath))
        guard scope.isAllowed else { return scope }
        if role == .systemAdmin, !agencyPath.isEmpty { return .deny(.roleDoesNotAllow) }
        let isSystemAdmin: Bool =
            switch actor {
            case .officer(_, let memberships): memberships.contains { $0.agency == nil && $0.role == .systemAdmin }
            case .console: true
            case .anonymous, .applicant, .integration: false
            }
        if isSystemAdmin { return .allow }
        if agencyPath.isEmpty || role == .systemAdmin || role == .auditor { return .deny(.roleDoesNotAllow) }
        if case .integration = actor, !role.processes { return .deny(.roleDoesNotAllow) }
        return .allow
    }

    private static func integration(_ agency: String?, _ canWrite: Bool, _ action: Action, _ resource: Resource)
        -> Decision
    {
        if let agency, !resource.agencyPath.contains(agency) { return .deny(.outsideTheActorsAgencies) }
        switch resource.kind {
        case .auditLog, .jobQueue:
            return .deny(.roleDoesNotAllow)
        case .apiToken:
            return action == .read ? .allow : .deny(.roleDoesNotAllow)
        case .catalogue, .agency, .officer, .calendar, .dossier, .applicantAccount:
            switch action {
            case .read: return .allow
            case .create, .update: return canWrite ? .allow : .deny(.roleDoesNotAllow)
            case .delete, .process, .approve: return .deny(.roleDoesNotAllow)
            }
        }
    }

    private static func applicant(_ id: UUID, _ action: Action, _ resource: Resource) -> Decision {
        switch resource.kind {
        case .dossier, .applicantAccount:
            guard resource.owner == id else { return .deny(.notTheOwner) }
            // Applicants submit, supplement and withdraw (an update) their dossiers; processing is the agency's.
            return action == .process || action == .approve ? .deny(.roleDoesNotAllow) : .allow
        case .catalogue, .agency, .officer, .apiToken, .calendar, .auditLog, .jobQueue:
            return .deny(.roleDoesNotAllow)
        }
    }

    private static func officer(_ memberships: [Membership], _ action: Action, _ resource: Resource) -> Decision {
        let reaching = memberships.filter { $0.reaches(resource.agencyPath) }
        guard !reaching.isEmpty else { return .deny(.outsideTheActorsAgencies) }
        let roles = Set(reaching.map(\.role))
        if resource.kind == .auditLog {
            guard action == .read else { return .deny(.neverAllowed) }
            return roles.contains(.auditor) || roles.contains(.systemAdmin) ? .allow : .deny(.roleDoesNotAllow)
        }
        // Failed jobs' errors may quote addresses and servers: they are for the people who run the system.
        if resource.kind == .jobQueue { return roles.contains(.systemAdmin) ? .allow : .deny(.roleDoesNotAllow) }
        if action == .read, roles.contains(.auditor) { return .allow }
        if roles.contains(.systemAdmin) { return .allow }
        let allowed = roles.contains { allows($0, action, resource.kind) }
        if allowed { return .allow }
        return roles == [.auditor] ? .deny(.auditorsOnlyRead) : .deny(.roleDoesNotAllow)
    }

    /// What each unit role may do with each kind of resource within its unit.
    private static func allows(_ role: Role, _ action: Action, _ kind: Resource.Kind) -> Bool {
        switch kind {
        case .catalogue, .agency, .officer, .apiToken, .calendar:
            // Agency admins configure their units: officers and roles, tokens, the calendar, their sub-units.
            return role == .agencyAdmin
        case .dossier:
            switch action {
            case .read: return role.processes
            case .process: return role == .receptionOfficer || role == .specialist
            case .approve: return role == .leader
            // Reception officers digitize counter dossiers and correct their data.
            case .create, .update: return role == .receptionOfficer
            case .delete: return false
            }
        case .applicantAccount:
            // Officers see the applicant behind a dossier they handle (every such read is recorded).
            return action == .read && role.processes
        case .auditLog, .jobQueue:
            return false
        }
    }
}
