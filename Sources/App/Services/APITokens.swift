import Fluent
import Vapor

enum APITokens {
    /// Tokens start with a recognizable prefix, so a leaked one is easy to find in logs and code.
    static let prefix = "mc_"
    /// Last use is written at most this often per token: every request writing a row would cost more than it tells.
    static let lastUseResolution: TimeInterval = 60

    struct Created {
        var token: String
        var model: APITokenModel
    }

    static func create(
        name: String, agencyID: UUID?, permissions: Set<APIPermission>, on database: any Database
    ) async throws -> Created {
        let token = prefix + Sessions.randomToken()
        let model = APITokenModel()
        model.name = name
        model.tokenHash = Sessions.hash(token)
        model.$agency.id = agencyID
        model.permissions = APIPermission.allCases.filter(permissions.contains).map(\.rawValue).joined(separator: ",")
        try await model.create(on: database)
        return Created(token: token, model: model)
    }

    /// The live token matching `token`, with its last use recorded.
    static func authenticate(_ token: String, on database: any Database, now: Date) async throws
        -> APITokenModel?
    {
        guard token.hasPrefix(prefix), token.count <= 128 else { return nil }
        guard let model = try await APITokenModel.query(on: database).filter(\.$tokenHash == Sessions.hash(token))
            .filter(\.$revokedAt == nil).with(\.$agency).first()
        else { return nil }
        if model.lastUsedAt.map({ now.timeIntervalSince($0) >= lastUseResolution }) ?? true {
            model.lastUsedAt = now
            try await model.save(on: database)
        }
        return model
    }
}

extension Request {
    private struct APITokenKey: StorageKey {
        typealias Value = APITokenModel
    }

    /// The integration token this API request authenticated with, set by `BearerTokenMiddleware`.
    var apiToken: APITokenModel? {
        get { storage[APITokenKey.self] }
        set { storage[APITokenKey.self] = newValue }
    }
}

/// Reads `Authorization: Bearer` on API requests. A token that is unknown, malformed or revoked is refused outright
/// (401), rather than treated as anonymous, so an integration learns at once that its token stopped working.
struct BearerTokenMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            guard let token = try await APITokens.authenticate(bearer.token, on: request.db, now: request.now) else {
                request.logger.notice("API token refused")
                throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer"])
            }
            request.apiToken = token
        }
        return try await next.respond(to: request)
    }
}
