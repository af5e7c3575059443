import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct APITokenTests {
    struct Me: Decodable {
        struct Agency: Decodable {
            var code: String
        }

        var kind: String
        var name: String
        var agency: Agency?
        var permissions: [String]
    }

    private func makeToken(_ app: Application, agency: String? = "01") async throws -> APITokens.Created {
        let scope = try await AgencyModel.query(on: app.db).filter(\.$code == (agency ?? "")).first()
        return try await APITokens.create(name: "Cổng DVC Hà Nội", agencyID: scope?.id, permissions: [.read], on: app.db)
    }

    @Test func aTokenIdentifiesTheIntegrationAndItsScope() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let created = try await makeToken(app)
            #expect(created.token.hasPrefix("mc_"))
            let stored = try await APITokenModel.query(on: app.db).all()
            #expect(stored.count == 1)
            #expect(stored.first?.tokenHash != created.token)
            #expect(stored.first?.lastUsedAt == nil)
            try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(created.token)"]) {
                response in
                #expect(response.status == .ok)
                let me = try response.json(Me.self)
                #expect(me.kind == "apiToken")
                #expect(me.name == "Cổng DVC Hà Nội")
                #expect(me.agency?.code == "01")
                #expect(me.permissions == ["read"])
            }
            let used = try await APITokenModel.query(on: app.db).first()
            #expect(used?.lastUsedAt != nil)
        }
    }

    @Test func withoutAValidTokenTheAnswerIs401() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let created = try await makeToken(app)
            for header in ["", "Bearer mc_notarealtoken", "Bearer \(created.token)x", "Basic dXNlcjpwYXNz"] {
                let headers: HTTPHeaders = header.isEmpty ? [:] : ["Authorization": header]
                try await app.testing().test(.GET, "/api/v1/me", headers: headers) { response in
                    #expect(response.status == .unauthorized, "\(header)")
                    #expect(response.body.string.contains(#""code":"http_401""#))
                }
            }
        }
    }

    @Test func aRevokedTokenStopsWorkingAtOnce() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let created = try await makeToken(app)
            created.model.revokedAt = Date()
            try await created.model.save(on: app.db)
            try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(created.token)"]) {
                response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func publicAPIReadsNeedNoTokenButABadOneIsStillRefused() async throws {
        try await withTestApp(template: .demoPeople) { app in
            _ = try await makeToken(app)
            try await app.testing().test(.GET, "/api/v1/agencies") { response in
                #expect(response.status == .ok)
            }
            try await app.testing().test(.GET, "/api/v1/agencies", headers: ["Authorization": "Bearer mc_revoked"]) {
                response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
