import Domain
import Fluent
import Foundation
import NIOCore
import NIOPosix
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import App

/// Issue 9's smaller holes, each with the test that would have caught it.
@Suite struct HardeningTests {
    private func api(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: String]? = nil)
        async throws -> (status: HTTPStatus, headers: HTTPHeaders, json: [String: Any])
    {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        var result: (HTTPStatus, HTTPHeaders, [String: Any]) = (.internalServerError, [:], [:])
        try await app.testing().test(method, path, headers: headers, beforeRequest: { request in
            if let body { try request.content.encode(body, as: .json) }
        }) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            result = (response.status, response.headers, json ?? [:])
        }
        return result
    }

    private func token(_ app: Application, agency: String?, write: Bool = false) async throws -> String {
        let unit = try await agency.asyncMap { try await AgencyModel.query(on: app.db).filter(\.$code == $0).first() }
        return try await APITokens.create(
            name: "test", agencyID: unit??.id, permissions: write ? [.read, .write] : [.read], on: app.db
        ).token
    }

    // MARK: The pager

    @Test func aPagePastTheEndIsEmptyWithAWayBackNotACrash() async throws {
        try await withTestApp(seed: seedSample) { app in
            let browser = TestBrowser(app)
            for path in ["/procedures?page=9999", "/procedures?page=100000&per=1", "/procedures?q=khai+sinh&page=50"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.body.contains("rel=\"prev\""), "\(path)")
            }
            #expect(try await browser.get("/procedures?page=100001").status == .badRequest)
            #expect(try await browser.get("/healthz").status == .ok)
        }
    }

    /// A field that is not in the catalogue is refused once instead of being compared with every procedure, and text
    /// made of thousands of combining marks (one "character" that every comparison would read) is refused before it
    /// is folded, as is an address longer than any page needs.
    @Test func filtersAndSearchTextBeyondWhatAnyPageNeedsAreRefusedWithTheParameterNamed() async throws {
        try await withTestApp(seed: seedSample) { app in
            let browser = TestBrowser(app)
            #expect(try await browser.get("/procedures?field=H%E1%BB%99%20t%E1%BB%8Bch").status == .ok)
            let unknown = try await browser.get("/procedures?field=Kh%C3%B4ng%20c%C3%B3")
            #expect(unknown.status == .badRequest)
            let marks = "a" + String(repeating: "%CC%81", count: 300)  // one character, 601 bytes
            #expect(try await browser.get("/procedures?q=\(marks)").status == .ok)
            let heavy = "a" + String(repeating: "%CC%81", count: 450)  // one character, 901 bytes
            #expect(try await browser.get("/procedures?q=\(heavy)").status == .badRequest)
            let long = String(repeating: "x", count: 5000)
            #expect(try await browser.get("/procedures?q=khai&other=\(long)").status == .badRequest)
            #expect(try await browser.get("/\(long)").status == .badRequest)
            #expect(try await browser.get("/healthz").status == .ok)
        }
    }

    /// Every connection held (a burst, a slow query): a request that waits the whole `MOTCUA_DATABASE_WAIT_SECONDS`
    /// is told to try again, in both languages with `Retry-After`, not given a 500; once the connections are back it
    /// is answered as usual.
    @Test func aRequestThatWaitsTooLongForTheDatabaseIsToldToTryAgain() async throws {
        try await withTestApp(configuring: { $0.databaseWait = 1 }) { app in
            let perLoop = TestDatabase.postgresURL == nil ? 1 : 4
            let loops = Array(app.eventLoopGroup.makeIterator())
            let held = NIOLockedValueBox(0)
            let released = NIOLockedValueBox(false)
            let holders = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for loop in loops {
                        for _ in 0..<perLoop {
                            group.addTask {
                                let database = app.databases.database(logger: app.logger, on: loop)
                                _ = try await database?.withConnection { connection in
                                    connection.eventLoop.makeFutureWithTask {
                                        held.withLockedValue { $0 += 1 }
                                        while !released.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
                                    }
                                }.get()
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            // Every connection of every loop is taken before the request comes.
            for _ in 0..<3000 where held.withLockedValue({ $0 }) < loops.count * perLoop {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(held.withLockedValue { $0 } == loops.count * perLoop)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: "mc_unknown")
            try await app.testing().test(.GET, "/api/v1/me", headers: headers) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers.first(name: .retryAfter) == "5")
                #expect(response.body.string.contains(#""code":"busy""#))
            }
            released.withLockedValue { $0 = true }
            try await holders.value
            try await app.testing().test(.GET, "/api/v1/me", headers: headers) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    // MARK: Caching of private answers

    @Test func signedInPagesAndAuthenticatedAPIAnswersAreNotStored() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let anonymous = TestBrowser(app)
            try await app.testing().test(.GET, "/login") { response in
                #expect(response.headers.first(name: .cacheControl) != "no-store")
            }
            try await anonymous.get("/login")
            try await app.testing().test(.GET, "/api/v1/agencies") { response in
                #expect(response.headers.first(name: .cacheControl) == nil)
            }
            let admin = try await TestBrowser.signedIn(app, as: "admin.hanoi@demo.motcua.vn")
            let cookie = "\(Sessions.cookieName)=\(try #require(admin.cookies[Sessions.cookieName]))"
            for path in ["/account", "/admin/officers", "/"] {
                try await app.testing().test(.GET, path, headers: ["Cookie": cookie]) { response in
                    #expect(response.headers.first(name: .cacheControl) == "no-store", "\(path)")
                }
            }
            let reader = try await token(app, agency: "01")
            #expect(try await api(app, .GET, "/api/v1/officers", token: reader).headers.first(name: .cacheControl) == "no-store")
            // The redirect that sets a session cookie is not kept either.
            let browser = TestBrowser(app)
            try await browser.get("/login")
            try await app.testing().test(.POST, "/login", headers: ["Cookie": "\(CSRFMiddleware.cookieName)=\(browser.csrf)"],
                beforeRequest: { request in
                    try request.content.encode(
                        ["email": "auditor@demo.motcua.vn", "password": Seeder.demoPassword, "_csrf": browser.csrf],
                        as: .urlEncodedForm)
                }) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .cacheControl) == "no-store")
            }
        }
    }

    // MARK: Control characters

    @Test func controlCharactersAreRefusedInTextFieldsWithAFieldMessage() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let browser = TestBrowser(app)
            try await browser.get("/register")
            let posted = try await browser.post("/register", [
                "kind": "citizen", "fullName": "Nguyễn\u{0}Lan", "birthDate": "1985-03-14", "personalID": "001185012345",
                "phone": "0912345678", "email": "lan@example.vn\r\nBcc: victim@example.vn", "password": "mật khẩu tốt",
                "passwordConfirmation": "mật khẩu tốt",
            ])
            #expect(posted.status == .badRequest)
            #expect(posted.body.contains(#"id="fullName-error""#))
            #expect(posted.body.contains(#"id="email-error""#))
            #expect(posted.body.contains("ký tự điều khiển"))
            #expect(try await AccountModel.query(on: app.db).filter(\.$email == "lan@example.vn").count() == 0)

            let writer = try await token(app, agency: "01", write: true)
            let officer = try await api(app, .POST, "/api/v1/officers", token: writer, body: [
                "fullName": "Bùi Thị Hoa\r\nBcc: x@example.vn", "email": "hoa@hanoi.gov.vn", "phone": "0904111222",
                "agency": "00004", "role": "specialist",
            ])
            #expect(officer.status == .badRequest)
            let error = try #require(officer.json["error"] as? [String: Any])
            #expect(error["parameter"] as? String == "fullName")
            #expect((error["messages"] as? [String: String])?["en"]?.contains("control characters") == true)
            let unit = try await api(app, .POST, "/api/v1/agencies", token: writer, body: [
                "parent": "01", "suffix": "X1", "name": "Ban \u{202E}thử", "kind": "center",
            ])
            #expect(unit.status == .badRequest)
            #expect((unit.json["error"] as? [String: Any])?["parameter"] as? String == "name")
        }
    }

    // MARK: Roles in the reader's scope

    @Test func aTokenSeesOnlyTheRolesHeldInItsAgency() async throws {
        try await withTestApp(template: .demoPeople) { app in
            // An officer who works in Hà Nội and in Đà Nẵng.
            let officer = try #require(try await AccountModel.query(on: app.db).filter(\.$email == "specialist.danang@example.vn").first())
            let badinh = try #require(try await AgencyModel.query(on: app.db).filter(\.$code == "00004").first())
            try await MembershipModel(accountID: try officer.requireID(), agencyID: badinh.id, role: .leader).create(on: app.db)
            let hanoi = try await token(app, agency: "01")
            let one = try await api(app, .GET, "/api/v1/officers/\(try officer.requireID())", token: hanoi)
            #expect(one.status == .ok)
            let codes = (one.json["roles"] as? [[String: Any]])?.compactMap { ($0["agency"] as? [String: Any])?["code"] as? String }
            #expect(codes == ["00004"])
            let list = try await api(app, .GET, "/api/v1/officers", token: hanoi)
            let listed = (list.json["items"] as? [[String: Any]])?.first { $0["email"] as? String == "specialist.danang@example.vn" }
            let listedCodes = (listed?["roles"] as? [[String: Any]])?.compactMap { ($0["agency"] as? [String: Any])?["code"] as? String }
            #expect(listedCodes == ["00004"])
            // Filtering by Đà Nẵng does not pick out which Hà Nội officers also work there.
            let filtered = try await api(app, .GET, "/api/v1/officers?agency=48", token: hanoi)
            #expect(filtered.status == .ok)
            #expect((filtered.json["items"] as? [[String: Any]])?.isEmpty == true)
            // A whole-system token sees both.
            let system = try await token(app, agency: nil)
            let all = try await api(app, .GET, "/api/v1/officers/\(try officer.requireID())", token: system)
            #expect((all.json["roles"] as? [[String: Any]])?.count == 2)
            // Taking away the officer's last Hà Nội role succeeds and says so, though the officer is now outside.
            let writer = try await token(app, agency: "01", write: true)
            let membership = try #require(
                try await MembershipModel.query(on: app.db).filter(\.$account.$id == officer.requireID()).filter(\.$agency.$id == badinh.id).first())
            let revoked = try await api(
                app, .DELETE, "/api/v1/officers/\(try officer.requireID())/roles/\(try membership.requireID())", token: writer)
            #expect(revoked.status == .ok)
            #expect((revoked.json["roles"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await MembershipModel.query(on: app.db).filter(\.$account.$id == officer.requireID()).count() == 1)
        }
    }

    // MARK: Anti-forgery tokens bound to the session

    @Test func aFormTokenFromBeforeSignInOrFromAnotherSessionIsRefused() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let browser = TestBrowser(app)
            try await browser.get("/login")
            let anonymousToken = try #require(browser.cookies[CSRFMiddleware.cookieName])
            try await browser.post("/login", ["email": "admin.hanoi@demo.motcua.vn", "password": Seeder.demoPassword])
            let page = try await browser.get("/admin/units?parent=01")
            let rendered = page.body.components(separatedBy: #"name="_csrf" value=""#).dropFirst().map { $0.prefix(43) }
            #expect(!rendered.isEmpty && rendered.allSatisfy { $0 == browser.csrf }, "\(rendered) \(browser.csrf) \(browser.cookies)")
            #expect(browser.csrf != anonymousToken)
            let form = ["parent": "01", "suffix": "CSRF", "name": "Ban thử", "kind": "department"]
            // The anonymous cookie's token (which another site on the same domain could have planted) is refused.
            var planted = form
            planted[CSRFMiddleware.fieldName] = anonymousToken
            #expect(try await browser.post("/admin/units", planted, csrf: false).status == .forbidden)
            // So is the token of another person's session.
            let other = try await TestBrowser.signedIn(app, as: "sysadmin@demo.motcua.vn")
            var foreign = form
            foreign[CSRFMiddleware.fieldName] = other.csrf
            #expect(try await browser.post("/admin/units", foreign, csrf: false).status == .forbidden)
            #expect(try await browser.post("/admin/units", form).status == .seeOther)
        }
    }

    // MARK: Paths and request ids

    @Test func aPathWithAControlByteIsRefusedNotServedAsHTML() async throws {
        try await withTestApp { app in
            for path in ["/favicon.svg%00.html", "/css/site.css%0d%0aX:1", "/procedures/%01"] {
                try await app.testing().test(.GET, path) { response in
                    #expect(response.status == .badRequest, "\(path)")
                    #expect(response.headers.contentType != .html || !response.body.string.contains("<svg"), "\(path)")
                }
            }
            try await app.testing().test(.GET, "/favicon.svg") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "svg+xml")
            }
        }
    }

    /// A NUL in a query, a form or a JSON body is refused with the field named, or dropped where it cannot matter,
    /// on both engines: PostgreSQL cannot compare with one and used to fail the whole statement with a 500
    /// (`?parent=%00`, a sign-in with `email=%00`).
    @Test func aNULInAnyTextIsRefusedNamingTheFieldNotA500() async throws {
        try await withTestApp(template: .demoPeople) { app in
            try await app.testing().test(.GET, "/api/v1/agencies?parent=%00") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains(#""parameter":"parent""#))
            }
            let browser = TestBrowser(app)
            try await browser.get("/login")
            // In a sign-in, a stray control character is dropped from the address, never sent to the database.
            let wrong = try await browser.post("/login", ["email": "citizen@demo.motcua.vn\u{0}", "password": "x"])
            #expect(wrong.status == .unauthorized)
            let right = try await browser.post("/login", ["email": "\u{0}citizen@demo.motcua.vn\r\n", "password": Seeder.demoPassword])
            #expect(right.status == .seeOther)
            #expect(try await browser.get("/procedures?q=khai%00sinh").status == .badRequest)
            let token = try await self.token(app, agency: "01", write: true)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: token)
            headers.contentType = .json
            let body = #"{"parent":"01","suffix":"X","name":"Sở\u0000","kind":"department"}"#
            try await app.testing().test(.POST, "/api/v1/agencies", headers: headers, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains(#""parameter":"name""#))
            }
            // Ordinary text with a tab or a line break still reaches the fields, which judge it themselves.
            #expect(try await browser.get("/procedures?q=khai%09sinh").status == .ok)
            #expect(try await browser.get("/healthz").status == .ok)
        }
    }

    /// An address that exists under another method is 405 with `Allow` (what schemathesis checks with TRACE), in
    /// the API's JSON and as a page; an address nobody serves stays 404.
    @Test func aMethodAnAddressDoesNotTakeIs405WithTheMethodsItDoes() async throws {
        try await withTestApp { app in
            try await app.testing().test(.TRACE, "/api/v1/procedures") { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers.first(name: .allow) == "GET, HEAD")
                #expect(response.body.string.contains(#""code":"method_not_allowed""#))
            }
            try await app.testing().test(.PUT, "/api/v1/officers/8C1B0F06-3D4E-4F5A-9B6C-7D8E9F0A1B2C/roles") { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers.first(name: .allow) == "POST")
            }
            try await app.testing().test(.DELETE, "/login") { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers.first(name: .allow) == "GET, HEAD, POST")
                #expect(response.headers.contentType?.subType == "html")
            }
            // No anti-forgery token is asked of a POST that reaches no route: it is told what the address takes.
            try await app.testing().test(.POST, "/healthz") { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers.first(name: .allow) == "GET, HEAD")
            }
            try await app.testing().test(.TRACE, "/nowhere") { response in #expect(response.status == .notFound) }
        }
    }

    /// Shutting down waits for handlers still running: one that touched the database after it had closed trapped in
    /// Fluent's force unwrap and took the process down with a crash instead of a clean exit (SIGTERM during a burst
    /// of registrations waiting for bcrypt).
    @Test func shuttingDownWaitsForRequestsInFlight() async throws {
        try await withTestApp { app in
            struct Slow: AsyncResponder {
                func respond(to request: Request) async throws -> Response {
                    try await Task.sleep(for: .milliseconds(400))
                    _ = try await AccountModel.query(on: request.db).count()
                    return Response(status: .ok)
                }
            }
            let inFlight = InFlightRequests()
            let request = Request(application: app, on: app.eventLoopGroup.next())
            let handler = Task { try await inFlight.respond(to: request, chainingTo: Slow()).status }
            for _ in 0..<100 where inFlight.current == 0 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(inFlight.current == 1)
            let started = ContinuousClock.now
            await inFlight.shutdownAsync(app)
            #expect(ContinuousClock.now - started >= .milliseconds(200))
            #expect(inFlight.current == 0)
            #expect(try await handler.value == .ok)
        }
    }

    @Test func anIncomingRequestIDIsKeptOnlyWhenShortAndPlain() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/healthz", headers: ["X-Request-Id": "lb-1234.abc:9"]) { response in
                #expect(response.headers.first(name: .xRequestId) == "lb-1234.abc:9")
            }
            for bad in [String(repeating: "a", count: 65), "<script>", "id with spaces", "ü"] {
                try await app.testing().test(.GET, "/healthz", headers: ["X-Request-Id": bad]) { response in
                    let id = response.headers.first(name: .xRequestId) ?? ""
                    #expect(id != bad)
                    #expect(UUID(uuidString: id) != nil, "\(bad) was replaced by a fresh id")
                }
            }
        }
    }

    // MARK: Idle connections

    @Test func anIdleConnectionIsClosedByTheServer() async throws {
        try await withTestApp { app in
            app.http.server.configuration.idleTimeout = .seconds(1)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try #require(app.http.server.shared.localAddress?.port)
            // A client that connects and says nothing: the server closes the socket.
            let channel = try await ClientBootstrap(group: app.eventLoopGroup).connect(host: "127.0.0.1", port: port).get()
            let closed = channel.closeFuture.map { true }
            let timeout = app.eventLoopGroup.next().scheduleTask(in: .seconds(10)) { false }
            let wasClosed = try await EventLoopFuture.whenAllComplete([closed, timeout.futureResult], on: app.eventLoopGroup.next())
                .get().contains { if case .success(true) = $0 { return true } else { return false } }
            timeout.cancel()
            #expect(wasClosed)
            if channel.isActive { try await channel.close() }
        }
    }

    // MARK: Retention

    @Test func maintenancePrunesOldCountersJobsAndSessionsAndKeepsRecentOnes() async throws {
        try await withTestApp(template: .demoPeople) { app in
            let now = Date()
            func attempt(_ key: String, windowStart: Date, lockedUntil: Date? = nil) async throws {
                let row = LoginAttemptModel()
                row.key = key
                row.failures = 3
                row.windowStart = windowStart
                row.lockedUntil = lockedUntil
                try await row.create(on: app.db)
            }
            try await attempt("account:old@example.vn", windowStart: now.addingTimeInterval(-3 * 86400))
            try await attempt("account:locked@example.vn", windowStart: now.addingTimeInterval(-3 * 86400),
                lockedUntil: now.addingTimeInterval(3600))
            try await attempt("account:recent@example.vn", windowStart: now.addingTimeInterval(-600))
            func job(_ state: JobModel.State, finishedDaysAgo days: Double) async throws {
                let job = JobModel()
                job.kind = CalendarChangedJob.kind
                job.payload = #"{"year":2030}"#
                job.state = state
                job.attempts = 1
                job.maxAttempts = 8
                job.runAt = now
                job.finishedAt = now.addingTimeInterval(-days * 86400)
                try await job.create(on: app.db)
            }
            try await job(.done, finishedDaysAgo: 30)
            try await job(.done, finishedDaysAgo: 1)
            try await job(.dead, finishedDaysAgo: 30)
            try await job(.dead, finishedDaysAgo: 120)
            let account = try #require(try await AccountModel.query(on: app.db).first())
            try await SessionModel(tokenHash: "old", accountID: try account.requireID(), expiresAt: now.addingTimeInterval(-2 * 86400))
                .create(on: app.db)

            let report = try await Maintenance.run(app, now: now)
            #expect(report.attemptsPruned == 1)
            #expect(report.jobsPruned == 2)
            let keys = Set(try await LoginAttemptModel.query(on: app.db).all().map(\.key))
            #expect(keys == ["account:locked@example.vn", "account:recent@example.vn"])
            let left = try await JobModel.query(on: app.db).filter(\.$kind == CalendarChangedJob.kind).all()
            #expect(left.count == 2)
            #expect(try await SessionModel.query(on: app.db).filter(\.$tokenHash == "old").count() == 0)
            // Today's full check of the audit chain is queued once, however often maintenance runs.
            try await Maintenance.run(app, now: now)
            #expect(try await JobModel.query(on: app.db).filter(\.$kind == AuditVerifyJob.kind).count() == 1)
        }
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
