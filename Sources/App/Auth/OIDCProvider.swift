import Crypto
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import Vapor

/// Talks to the OpenID Connect provider: discovery, the token endpoint, and ID token verification against its
/// published keys. Discovery and keys are cached; keys are fetched again once when a token does not verify, since
/// providers rotate them.
final class OIDCProvider: Sendable {
    struct Discovery: Codable, Sendable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
        }
    }

    /// Why a sign-in through the provider was refused. Each is logged; the person sees one message.
    enum Failure: Error, Equatable, CustomStringConvertible {
        case providerUnavailable(String)
        case tokenRequestRefused(status: UInt)
        case invalidToken(String)
        case wrongIssuer
        case wrongAudience
        case nonceMismatch
        case missingPersonalID
        case invalidPersonalID

        var description: String {
            switch self {
            case .providerUnavailable(let detail): "provider unavailable: \(detail)"
            case .tokenRequestRefused(let status): "token endpoint answered \(status)"
            case .invalidToken(let detail): "ID token rejected: \(detail)"
            case .wrongIssuer: "ID token from another issuer"
            case .wrongAudience: "ID token issued for another client"
            case .nonceMismatch: "ID token nonce does not match this sign-in"
            case .missingPersonalID: "ID token carries no personal ID"
            case .invalidPersonalID: "ID token's personal ID is not a valid 12-digit number"
            }
        }
    }

    /// The claims MotCua reads. Standard ones per OpenID Connect Core §5.1; the personal ID under a configurable name.
    struct Claims: Sendable {
        var issuer: String
        var subject: String
        var nonce: String?
        var name: String?
        var email: String?
        var birthdate: String?
        var personalID: String?
    }

    let config: AppConfig.OIDC
    private let cache = NIOLockedValueBox<(discovery: Discovery, keys: JWTKeyCollection, fetched: Date)?>(nil)
    static let cacheLifetime: TimeInterval = 3600

    init(config: AppConfig.OIDC) {
        self.config = config
    }

    /// The discovery document and keys, from the cache while fresh.
    func metadata(_ client: any Client, refresh: Bool = false) async throws(Failure) -> (Discovery, JWTKeyCollection) {
        if !refresh, let cached = cache.withLockedValue({ $0 }), Date().timeIntervalSince(cached.fetched) < Self.cacheLifetime {
            return (cached.discovery, cached.keys)
        }
        let base = config.issuer.hasSuffix("/") ? String(config.issuer.dropLast()) : config.issuer
        let discovery: Discovery = try await fetchJSON(client, base + "/.well-known/openid-configuration")
        // OpenID Connect Discovery §4.3: the document's issuer must be the one configured, exactly.
        guard discovery.issuer == config.issuer else { throw .wrongIssuer }
        let jwks: JWKS = try await fetchJSON(client, discovery.jwksURI)
        let keys = JWTKeyCollection()
        do {
            try await keys.add(jwks: jwks)
        } catch {
            throw .providerUnavailable("unusable JWKS: \(error)")
        }
        cache.withLockedValue { $0 = (discovery, keys, Date()) }
        return (discovery, keys)
    }

    struct TokenResponse: Content {
        var idToken: String

        enum CodingKeys: String, CodingKey {
            case idToken = "id_token"
        }
    }

    /// Redeems the authorization code for tokens (client_secret_post, with the PKCE verifier).
    func redeem(code: String, verifier: String, redirectURI: String, client: any Client) async throws(Failure) -> String {
        let (discovery, _) = try await metadata(client)
        struct Form: Content {
            var grant_type = "authorization_code"
            var code: String
            var redirect_uri: String
            var client_id: String
            var client_secret: String
            var code_verifier: String
        }
        let form = Form(
            code: code, redirect_uri: redirectURI, client_id: config.clientID, client_secret: config.clientSecret,
            code_verifier: verifier)
        let response: ClientResponse
        do {
            response = try await client.post(URI(string: discovery.tokenEndpoint)) { request in
                try request.content.encode(form, as: .urlEncodedForm)
            }
        } catch {
            throw .providerUnavailable("\(error)")
        }
        guard response.status == .ok else { throw .tokenRequestRefused(status: response.status.code) }
        guard let tokens = try? response.content.decode(TokenResponse.self, as: .json) else {
            throw .providerUnavailable("token response without an id_token")
        }
        return tokens.idToken
    }

    /// Verifies an ID token (OpenID Connect Core §3.1.3.7): signature with the provider's keys and an asymmetric
    /// algorithm, issuer, audience, expiry (one minute of clock leeway) and the nonce of this sign-in.
    func verify(_ idToken: String, nonce: String, client: any Client, now: Date) async throws(Failure) -> Claims {
        guard let algorithm = Self.algorithm(of: idToken), ["RS256", "ES256", "PS256"].contains(algorithm) else {
            throw .invalidToken("unsupported or missing alg")
        }
        let payload: IDTokenPayload
        do {
            payload = try await verified(idToken, keys: try await metadata(client).1, now: now)
        } catch let failure as Failure {
            throw failure
        } catch {
            // The provider may have rotated its keys since they were cached: fetch them once more.
            do {
                payload = try await verified(idToken, keys: try await metadata(client, refresh: true).1, now: now)
            } catch let failure as Failure {
                throw failure
            } catch {
                throw .invalidToken("\(error)")
            }
        }
        guard payload.iss.value == config.issuer else { throw .wrongIssuer }
        guard payload.aud.value.contains(config.clientID) else { throw .wrongAudience }
        guard let sent = payload.nonce, ConstantTime.equal(sent, nonce) else { throw .nonceMismatch }
        return Claims(
            issuer: payload.iss.value, subject: payload.sub.value, nonce: payload.nonce, name: payload.name,
            email: payload.email, birthdate: payload.birthdate,
            personalID: payload.extra[config.personalIDClaim])
    }

    private func verified(_ token: String, keys: JWTKeyCollection, now: Date) async throws -> IDTokenPayload {
        let payload = try await keys.verify(token, as: IDTokenPayload.self)
        try payload.exp.verifyNotExpired(currentDate: now.addingTimeInterval(-60))
        return payload
    }

    /// GETs a JSON document. A GET is safe to repeat, so a request lost with its connection (the provider closed
    /// it as it was reused, a load balancer moved) is sent once more before the provider counts as unavailable.
    private func fetchJSON<T: Decodable>(_ client: any Client, _ url: String) async throws(Failure) -> T {
        do {
            let response: ClientResponse
            do {
                response = try await client.get(URI(string: url))
            } catch {
                response = try await client.get(URI(string: url))
            }
            guard response.status == .ok else { throw Failure.providerUnavailable("\(url) answered \(response.status.code)") }
            return try response.content.decode(T.self, as: .json)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .providerUnavailable("\(url): \(error)")
        }
    }

    /// The `alg` of a compact JWS header, read before any key is chosen.
    static func algorithm(of token: String) -> String? {
        guard let header = token.split(separator: ".").first, let data = Data(base64URL: header),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["alg"] as? String
    }

    /// PKCE S256 (RFC 7636 §4.2): base64url of the SHA-256 of the verifier.
    static func codeChallenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded
    }
}

/// The ID token's claims as signed. Unknown claims are kept as strings in `extra`, so the personal ID claim's
/// name is configuration, not code.
struct IDTokenPayload: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var nonce: String?
    var name: String?
    var email: String?
    var birthdate: String?
    var extra: [String: String]

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        iss = try container.decode(IssuerClaim.self, forKey: AnyKey(stringValue: "iss"))
        sub = try container.decode(SubjectClaim.self, forKey: AnyKey(stringValue: "sub"))
        aud = try container.decode(AudienceClaim.self, forKey: AnyKey(stringValue: "aud"))
        exp = try container.decode(ExpirationClaim.self, forKey: AnyKey(stringValue: "exp"))
        nonce = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "nonce"))
        name = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "name"))
        email = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "email"))
        birthdate = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "birthdate"))
        var extra: [String: String] = [:]
        for key in container.allKeys {
            if let value = try? container.decode(String.self, forKey: key) { extra[key.stringValue] = value }
        }
        self.extra = extra
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in extra { try container.encode(value, forKey: AnyKey(stringValue: key)) }
        try container.encode(iss, forKey: AnyKey(stringValue: "iss"))
        try container.encode(sub, forKey: AnyKey(stringValue: "sub"))
        try container.encode(aud, forKey: AnyKey(stringValue: "aud"))
        try container.encode(exp, forKey: AnyKey(stringValue: "exp"))
    }

    /// Expiry is checked by the caller with clock leeway; the signature is already verified when this runs.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
