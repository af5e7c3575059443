import Foundation
import Testing

@testable import Domain

@Suite struct AccessPolicyTests {
    let citizen = UUID()
    let neighbour = UUID()
    /// A dossier of a Hà Nội ward, and one of a Đà Nẵng ward.
    var ownDossier: Resource { Resource(.dossier, agencyPath: ["01", "00004"], owner: citizen) }
    var otherProvinceDossier: Resource { Resource(.dossier, agencyPath: ["48", "20194"], owner: neighbour) }

    func officer(_ role: Role, at agency: String?) -> Actor {
        .officer(id: UUID(), memberships: [Membership(agency: agency, role: role)])
    }

    @Test func everyoneReadsTheCatalogueAndTheAgencyTree() {
        for actor in [Actor.anonymous, .applicant(id: citizen), officer(.auditor, at: "48")] {
            #expect(AccessPolicy.decide(actor, .read, Resource(.catalogue)) == .allow)
            #expect(AccessPolicy.decide(actor, .read, Resource(.agency, agencyPath: ["01"])) == .allow)
        }
        #expect(AccessPolicy.decide(.anonymous, .update, Resource(.catalogue)) == .deny(.signInRequired))
        #expect(AccessPolicy.decide(.applicant(id: citizen), .update, Resource(.catalogue)) == .deny(.roleDoesNotAllow))
    }

    @Test func anApplicantSeesOnlyTheirOwnRecords() {
        let me = Actor.applicant(id: citizen)
        for action in [Action.read, .create, .update] {
            #expect(AccessPolicy.decide(me, action, ownDossier) == .allow, "\(action)")
            #expect(AccessPolicy.decide(me, action, otherProvinceDossier) == .deny(.notTheOwner), "\(action)")
        }
        #expect(AccessPolicy.decide(me, .process, ownDossier) == .deny(.roleDoesNotAllow))
        #expect(AccessPolicy.decide(me, .read, Resource(.applicantAccount, owner: citizen)) == .allow)
        #expect(AccessPolicy.decide(me, .read, Resource(.applicantAccount, owner: neighbour)) == .deny(.notTheOwner))
        #expect(AccessPolicy.decide(.anonymous, .read, ownDossier) == .deny(.signInRequired))
    }

    @Test func anOfficerSeesOnlyTheirUnitsRecords() {
        for role in [Role.receptionOfficer, .specialist, .leader] {
            let wardOfficer = officer(role, at: "00004")
            #expect(AccessPolicy.decide(wardOfficer, .read, ownDossier) == .allow, "\(role)")
            #expect(AccessPolicy.decide(wardOfficer, .read, otherProvinceDossier) == .deny(.outsideTheActorsAgencies))
            // A unit reaches what is under it, not its siblings or its parent.
            #expect(AccessPolicy.decide(officer(role, at: "01"), .read, ownDossier) == .allow)
            #expect(AccessPolicy.decide(officer(role, at: "00008"), .read, ownDossier) == .deny(.outsideTheActorsAgencies))
        }
    }

    @Test func eachRoleDoesItsOwnStep() {
        let expectations: [(Role, Action, Bool)] = [
            (.receptionOfficer, .process, true), (.receptionOfficer, .approve, false),
            (.receptionOfficer, .create, true), (.specialist, .process, true), (.specialist, .approve, false),
            (.specialist, .create, false), (.leader, .approve, true), (.leader, .process, false),
            (.agencyAdmin, .read, false), (.agencyAdmin, .process, false),
        ]
        for (role, action, allowed) in expectations {
            #expect(AccessPolicy.decide(officer(role, at: "00004"), action, ownDossier).isAllowed == allowed,
                "\(role) \(action)")
        }
        for role in Role.allCases {
            #expect(AccessPolicy.decide(officer(role, at: nil), .delete, ownDossier) == .deny(.neverAllowed), "\(role)")
        }
        #expect(AccessPolicy.decide(.applicant(id: citizen), .delete, ownDossier) == .deny(.neverAllowed))
    }

    @Test func auditorsReadInTheirScopeAndNeverWrite() {
        let auditor = officer(.auditor, at: "01")
        #expect(AccessPolicy.decide(auditor, .read, ownDossier) == .allow)
        #expect(AccessPolicy.decide(auditor, .read, Resource(.auditLog, agencyPath: ["01"])) == .allow)
        #expect(AccessPolicy.decide(auditor, .read, otherProvinceDossier) == .deny(.outsideTheActorsAgencies))
        for action in Action.allCases where action != .read && action != .delete {
            #expect(AccessPolicy.decide(auditor, action, ownDossier) == .deny(.auditorsOnlyRead), "\(action)")
        }
    }

    @Test func agencyAdminsConfigureTheirUnitsOnly() {
        let admin = officer(.agencyAdmin, at: "01")
        for kind in [Resource.Kind.officer, .apiToken, .calendar] {
            #expect(AccessPolicy.decide(admin, .update, Resource(kind, agencyPath: ["01", "01.STP"])) == .allow)
            #expect(AccessPolicy.decide(admin, .update, Resource(kind, agencyPath: ["48"])) == .deny(.outsideTheActorsAgencies))
        }
    }

    @Test func systemAdminsReachEverythingButTheAuditLogIsNeverWritten() {
        let admin = officer(.systemAdmin, at: nil)
        #expect(AccessPolicy.decide(admin, .update, Resource(.catalogue)) == .allow)
        #expect(AccessPolicy.decide(admin, .update, otherProvinceDossier) == .allow)
        #expect(AccessPolicy.decide(admin, .read, Resource(.auditLog)) == .allow)
        #expect(AccessPolicy.decide(admin, .update, Resource(.auditLog)) == .deny(.neverAllowed))
    }

    @Test func onlySystemAdminsSeeAndRequeueTheJobQueue() {
        #expect(AccessPolicy.decide(officer(.systemAdmin, at: nil), .read, Resource(.jobQueue)) == .allow)
        #expect(AccessPolicy.decide(officer(.systemAdmin, at: nil), .update, Resource(.jobQueue)) == .allow)
        for role in Role.allCases where role != .systemAdmin {
            #expect(AccessPolicy.decide(officer(role, at: nil), .read, Resource(.jobQueue)) == .deny(.roleDoesNotAllow), "\(role)")
        }
        #expect(AccessPolicy.decide(.integration(id: UUID(), agency: nil, canWrite: true), .read, Resource(.jobQueue)) == .deny(.roleDoesNotAllow))
        #expect(AccessPolicy.decide(.applicant(id: UUID()), .read, Resource(.jobQueue)) == .deny(.roleDoesNotAllow))
    }
}

@Suite struct GrantPolicyTests {
    let hanoiWard = ["01", "00004"]
    let danangWard = ["48", "20194"]

    func officer(_ role: Role, at agency: String?) -> Actor {
        .officer(id: UUID(), memberships: [Membership(agency: agency, role: role)])
    }

    @Test func anAgencyAdminStaffsTheirOwnUnitsOnly() {
        let admin = officer(.agencyAdmin, at: "01")
        for role in [Role.receptionOfficer, .specialist, .leader, .agencyAdmin] {
            #expect(AccessPolicy.mayGrant(role, at: hanoiWard, by: admin) == .allow, "\(role)")
            #expect(AccessPolicy.mayGrant(role, at: danangWard, by: admin) == .deny(.outsideTheActorsAgencies), "\(role)")
        }
        #expect(AccessPolicy.mayGrant(.auditor, at: hanoiWard, by: admin) == .deny(.roleDoesNotAllow))
        #expect(AccessPolicy.mayGrant(.systemAdmin, at: [], by: admin) == .deny(.outsideTheActorsAgencies))
    }

    @Test func onlyASystemAdminGrantsAuditorsAndWholeSystemRoles() {
        let system = officer(.systemAdmin, at: nil)
        #expect(AccessPolicy.mayGrant(.auditor, at: hanoiWard, by: system) == .allow)
        #expect(AccessPolicy.mayGrant(.systemAdmin, at: [], by: system) == .allow)
        #expect(AccessPolicy.mayGrant(.auditor, at: [], by: system) == .allow)
        // A system administrator's role is whole-system by nature, never a unit's.
        #expect(AccessPolicy.mayGrant(.systemAdmin, at: hanoiWard, by: system) == .deny(.roleDoesNotAllow))
    }

    @Test func nobodyElseGrantsAnything() {
        for actor in [Actor.anonymous, .applicant(id: UUID()), officer(.leader, at: "01"), officer(.auditor, at: nil)] {
            #expect(!AccessPolicy.mayGrant(.specialist, at: hanoiWard, by: actor).isAllowed)
        }
    }

    @Test func anIntegrationReadsAndWritesInItsScopeButNeverMintsTokensOrAdmins() {
        let reader = Actor.integration(id: UUID(), agency: "01", canWrite: false)
        let writer = Actor.integration(id: UUID(), agency: "01", canWrite: true)
        let officerInWard = Resource(.officer, agencyPath: hanoiWard)
        #expect(AccessPolicy.decide(reader, .read, officerInWard) == .allow)
        #expect(AccessPolicy.decide(reader, .create, officerInWard) == .deny(.roleDoesNotAllow))
        #expect(AccessPolicy.decide(writer, .create, officerInWard) == .allow)
        #expect(AccessPolicy.decide(writer, .read, Resource(.officer, agencyPath: danangWard)) == .deny(.outsideTheActorsAgencies))
        #expect(AccessPolicy.decide(writer, .create, Resource(.apiToken, agencyPath: hanoiWard)) == .deny(.roleDoesNotAllow))
        #expect(AccessPolicy.decide(writer, .read, Resource(.auditLog, agencyPath: hanoiWard)) == .deny(.roleDoesNotAllow))
        #expect(AccessPolicy.decide(writer, .delete, Resource(.dossier, agencyPath: hanoiWard)) == .deny(.neverAllowed))
        #expect(AccessPolicy.mayGrant(.specialist, at: hanoiWard, by: writer) == .allow)
        #expect(AccessPolicy.mayGrant(.agencyAdmin, at: hanoiWard, by: writer) == .deny(.roleDoesNotAllow))
        #expect(AccessPolicy.mayGrant(.specialist, at: hanoiWard, by: reader) == .deny(.roleDoesNotAllow))
    }
}
