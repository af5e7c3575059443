import Domain
import Vapor

/// `/api/v1/officers`, `/roles`, `/tokens` and unit creation: what the administration pages do, for integrations
/// (an HR system keeping officers in step, say). The token's agency and permissions make the actor.
enum AdministrationAPIController {
    struct OfficerList: Content {
        var items: [Administration.Officer]
    }

    struct RoleList: Content {
        struct Item: Content {
            var role: Domain.Role
            var names: [String: String]
        }

        var items: [Item]
    }

    struct TokenList: Content {
        var items: [Administration.Token]
    }

    @Sendable static func officers(req: Request) async throws -> OfficerList {
        let agency = try? req.query.get(String.self, at: "agency")
        if let agency, agency.count > 64 { throw UserError(.invalidParameter(name: "agency", problem: .tooLong(max: 64))) }
        return OfficerList(items: try await Administration(try await req.change()).officers(in: agency.flatMap { $0.isEmpty ? nil : $0 }))
    }

    @Sendable static func createOfficer(req: Request) async throws -> Response {
        let input = try decode(Administration.NewOfficer.self, req)
        let officer = try await Administration(try await req.change()).createOfficer(input)
        let response = try await officer.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.officer(officer.id)).path)
        return response
    }

    @Sendable static func officer(req: Request) async throws -> Administration.Officer {
        try await Administration(try await req.change()).viewOfficer(id: try uuid("id", req))
    }

    @Sendable static func grantRole(req: Request) async throws -> Administration.Officer {
        try await Administration(try await req.change()).grant(try decode(Administration.NewRole.self, req), to: try uuid("id", req))
    }

    @Sendable static func revokeRole(req: Request) async throws -> Administration.Officer {
        try await Administration(try await req.change()).revoke(membership: try uuid("membership", req), of: try uuid("id", req))
    }

    @Sendable static func roles(req: Request) async throws -> RoleList {
        let localization = req.application.localization
        return RoleList(items: Domain.Role.allCases.map { role in
            .init(role: role, names: Dictionary(uniqueKeysWithValues: Language.allCases.map {
                ($0.rawValue, localization.string("role_" + role.rawValue, $0))
            }))
        })
    }

    @Sendable static func tokens(req: Request) async throws -> TokenList {
        TokenList(items: try await Administration(try await req.change()).tokens())
    }

    @Sendable static func createUnit(req: Request) async throws -> Response {
        let unit = try await Administration(try await req.change()).createUnit(try decode(Administration.NewUnit.self, req))
        let response = try await unit.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.agencies).path + "?parent=" + unit.code)
        return response
    }

    /// A JSON body, or a 400 that says the body is not what the operation takes.
    private static func decode<T: Decodable>(_ type: T.Type, _ req: Request) throws -> T {
        do {
            return try req.content.decode(T.self, as: .json)
        } catch {
            throw UserError(.invalidParameter(name: "body", problem: .notOneOf(["a JSON object as openapi.yaml describes"])))
        }
    }

    private static func uuid(_ name: String, _ req: Request) throws -> UUID {
        guard let id = req.parameters.get(name).flatMap(UUID.init(uuidString:)) else { throw UserError(.recordNotFound) }
        return id
    }
}

extension UUID {
    /// Stands for a route parameter when a route is registered from a `SiteURL`; never a record's id.
    static let routeParameter = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}
