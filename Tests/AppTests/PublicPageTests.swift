import Domain
import Fluent
import SQLKit
import Foundation
import Testing
import VaporTesting

@testable import App

/// What the header offers, and public pages served from the per-catalogue cache (issue 10, items 9 and 10).
@Suite struct PublicPageTests {
    @Test func theHeaderOffersAdministrationOnlyToThoseWhoMayOpenIt() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let reception = try await TestBrowser.signedIn(app, as: "reception.badinh@demo.motcua.vn")
            #expect(!(try await reception.get("/procedures").body.contains(#"href="/admin""#)))
            #expect(try await reception.get("/admin/officers").status == .forbidden)

            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            #expect(try await admin.get("/procedures").body.contains(#"href="/admin""#))
            let officers = try await admin.get("/admin/officers").body
            // An agency admin reads neither the audit log nor the job queue: no links to them.
            #expect(!officers.contains(#"href="/admin/audit""#))
            #expect(!officers.contains(#"href="/admin/jobs""#))
            #expect(officers.contains(#"href="/admin/units""#))

            let auditor = try await TestBrowser.signedIn(app, as: "auditor@demo.motcua.vn")
            let audit = try await auditor.get("/admin/officers").body
            #expect(audit.contains(#"href="/admin/audit""#))
            #expect(!audit.contains(#"href="/admin/jobs""#))

            let sysadmin = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            let all = try await sysadmin.get("/admin/officers").body
            #expect(all.contains(#"href="/admin/audit""#) && all.contains(#"href="/admin/jobs""#))
        }
    }

    @Test func aCachedPublicPageFollowsTheCatalogueAndNeverReachesASignedInReader() async throws {
        try await withTestApp(configuring: { $0.catalogueRefreshInterval = 0 }, template: .demoPeople, seed: seedSample) { app in
            let visitor = TestBrowser(app)
            let first = try await visitor.get("/procedures/1.001193")
            #expect(first.status == .ok)
            // Served from the cache: a change the catalogue's stamp does not show yet is not seen...
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE procedures SET name = 'x' WHERE code = '1.001193'").run()
            #expect(try await visitor.get("/procedures/1.001193").body == first.body)
            // In English, the same address is another page.
            visitor.cookies["lang"] = "en"
            #expect(try await visitor.get("/procedures/1.001193").body != first.body)
            visitor.cookies["lang"] = nil

            // ...and once the procedure is saved (its stamp moves), the next visitor sees the change.
            let model = try #require(try await ProcedureModel.query(on: app.db).filter(\.$code == "1.001193").first())
            model.name = "Thủ tục đăng ký khai sinh (đã sửa)"
            try await model.save(on: app.db)
            let data = model.data.replacingOccurrences(of: "\"Thủ tục đăng ký khai sinh\"", with: "\"Thủ tục đăng ký khai sinh (đã sửa)\"")
            model.data = data
            try await model.save(on: app.db)
            #expect(try await visitor.get("/procedures/1.001193").body.contains("(đã sửa)"))

            // A signed-in reader gets their own header, never the visitors' page.
            let citizen = try await TestBrowser.signedIn(app, as: "citizen@demo.motcua.vn")
            let theirs = try await citizen.get("/procedures/1.001193").body
            #expect(theirs.contains(#"href="/account""#))
            #expect(!(try await visitor.get("/procedures/1.001193").body.contains(#"href="/account""#)))
        }
    }
}
