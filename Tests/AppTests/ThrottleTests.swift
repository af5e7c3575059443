import Domain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The throttles under concurrency, and the address they count: issue 9's "a burst gets past the sign-in lock".
@Suite struct ThrottleTests {
    let citizen = [
        "kind": "citizen", "fullName": "Nguyễn Thị Lan", "birthDate": "1985-03-14", "personalID": "001185012345",
        "phone": "0912 345 678", "email": "lan@example.vn", "password": "mật khẩu tốt",
        "passwordConfirmation": "mật khẩu tốt",
    ]

    /// Registers the citizen, then signs out.
    private func register(_ app: Application) async throws {
        let browser = TestBrowser(app)
        try await browser.get("/register")
        #expect(try await browser.post("/register", citizen).status == .seeOther)
    }

    /// Fifty wrong guesses at once: exactly four are told "wrong password", the fifth locks, the other forty-five are
    /// refused unchecked, and then the right password is refused too.
    @Test func fiftySimultaneousGuessesCheckAtMostFivePasswordsAndTheLockHolds() async throws {
        try await withTestApp { app in
            try await register(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 0..<50 {
                    group.addTask {
                        let guesser = TestBrowser(app)
                        try await guesser.get("/login")
                        return try await guesser.post("/login", ["email": "lan@example.vn", "password": "sai \(n)"]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 4)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 46)
            #expect(statuses.allSatisfy { $0.code < 500 })
            let owner = TestBrowser(app)
            try await owner.get("/login")
            let right = try await owner.post("/login", ["email": "lan@example.vn", "password": "mật khẩu tốt"])
            #expect(right.status == .tooManyRequests)
            #expect(right.body.contains("Đăng nhập sai quá nhiều lần"))
            let row = try #require(try await LoginAttemptModel.query(on: app.db).filter(\.$key == "account:lan@example.vn").first())
            #expect(row.lockedUntil != nil)
        }
    }

    @Test func fortySimultaneousWrongGuessesAlwaysLockTheAccount() async throws {
        try await withTestApp { app in
            try await register(app)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        let guesser = TestBrowser(app)
                        try await guesser.get("/login")
                        let answer = try await guesser.post("/login", ["email": "lan@example.vn", "password": "sai \(n)"])
                        #expect(answer.status == .unauthorized || answer.status == .tooManyRequests)
                    }
                }
                try await group.waitForAll()
            }
            let owner = TestBrowser(app)
            try await owner.get("/login")
            #expect(try await owner.post("/login", ["email": "lan@example.vn", "password": "mật khẩu tốt"]).status
                == .tooManyRequests)
        }
    }

    @Test func aRightPasswordWithinTheLimitSignsInAndClearsTheCount() async throws {
        try await withTestApp { app in
            try await register(app)
            let browser = TestBrowser(app)
            browser.address = "198.51.100.7"
            try await browser.get("/login")
            for _ in 1...4 { try await browser.post("/login", ["email": "lan@example.vn", "password": "sai"]) }
            #expect(try await browser.post("/login", ["email": "lan@example.vn", "password": "mật khẩu tốt"]).status == .seeOther)
            #expect(try await LoginAttemptModel.query(on: app.db).filter(\.$key == "account:lan@example.vn").count() == 0)
            // The address keeps its four failures, not the success.
            let address = try #require(try await LoginAttemptModel.query(on: app.db).filter(\.$key == "address:198.51.100.7").first())
            #expect(address.failures == 4)
        }
    }

    /// A client's own X-Forwarded-For changes nothing: a new value per request does not escape the address limit,
    /// and nobody can lock out an address they name.
    @Test func forgedForwardingHeadersNeitherEscapeNorAimTheAddressLimit() async throws {
        try await withTestApp { app in
            let attacker = TestBrowser(app)
            attacker.address = "203.0.113.66"
            try await attacker.get("/login")
            var last: HTTPStatus = .ok
            for n in 1...31 {
                attacker.extraHeaders = ["X-Forwarded-For": "10.9.\(n).1", "Forwarded": "for=10.8.\(n).1"]
                last = try await attacker.post("/login", ["email": "guess\(n)@example.vn", "password": "x"]).status
            }
            #expect(last == .tooManyRequests)
            let keys = try await LoginAttemptModel.query(on: app.db).all().map(\.key).filter { $0.hasPrefix("address:") }
            #expect(keys == ["address:203.0.113.66"])
            // The victim the headers named signs in from their own address as usual.
            let victim = TestBrowser(app)
            victim.address = "10.9.1.1"
            try await victim.get("/login")
            #expect(try await victim.post("/login", ["email": "someone@example.vn", "password": "x"]).status == .unauthorized)
        }
    }

    /// Behind a trusted proxy that appends, each client is counted under its own address, and a value the client
    /// put in front is ignored.
    @Test func behindATrustedProxyEachClientHasItsOwnLimit() async throws {
        try await withTestApp { app in
            app.config.trustedProxies = [try #require(AddressRange("10.0.0.0/8"))]
            func client(_ address: String, claiming claimed: String) async throws -> TestBrowser {
                let browser = TestBrowser(app)
                browser.address = "10.0.0.2"
                browser.extraHeaders = ["X-Forwarded-For": "\(claimed), \(address)"]
                try await browser.get("/login")
                return browser
            }
            let first = try await client("198.51.100.1", claiming: "1.1.1.1")
            for n in 1...30 { try await first.post("/login", ["email": "a\(n)@example.vn", "password": "x"]) }
            #expect(try await first.post("/login", ["email": "b@example.vn", "password": "x"]).status == .tooManyRequests)
            let second = try await client("198.51.100.2", claiming: "198.51.100.1")
            // The proxy writes X-Forwarded-For and passes a client's own `Forwarded` through: it is not read.
            second.extraHeaders.add(name: "Forwarded", value: "for=198.51.100.1")
            #expect(try await second.post("/login", ["email": "c@example.vn", "password": "x"]).status == .unauthorized)
            let keys = Set(try await LoginAttemptModel.query(on: app.db).all().map(\.key).filter { $0.hasPrefix("address:") })
            #expect(keys == ["address:198.51.100.1", "address:198.51.100.2"])
        }
    }

    /// A proxy that writes `Forwarded` (MOTCUA_FORWARDED_HEADER=forwarded): that header is read, a client's own
    /// X-Forwarded-For is not; IPv6 clients are counted by their /64, which one household or host holds whole.
    @Test func behindAProxyWritingForwardedOnlyThatHeaderCountsAndIPv6CountsByItsBlock() async throws {
        try await withTestApp(configuring: { $0.forwardedHeader = .forwarded }) { app in
            app.config.trustedProxies = [try #require(AddressRange("10.0.0.0/8"))]
            for n in 1...30 {
                let browser = TestBrowser(app)
                browser.address = "10.0.0.2"
                browser.extraHeaders = ["Forwarded": "for=\"[2001:db8:1:2::\(n)]\"", "X-Forwarded-For": "192.0.2.\(n)"]
                try await browser.get("/login")
                try await browser.post("/login", ["email": "a\(n)@example.vn", "password": "x"])
            }
            let keys = Set(try await LoginAttemptModel.query(on: app.db).all().map(\.key).filter { $0.hasPrefix("address:") })
            #expect(keys == ["address:2001:db8:1:2::/64"])
            let next = TestBrowser(app)
            next.address = "10.0.0.2"
            next.extraHeaders = ["Forwarded": "for=\"[2001:db8:1:2:ffff::1]\""]
            try await next.get("/login")
            #expect(try await next.post("/login", ["email": "b@example.vn", "password": "x"]).status == .tooManyRequests)
        }
    }

    /// Sixty "forgot password" posts at once, from sixty addresses behind a proxy: every one is answered and queued
    /// (on SQLite they used to fail with "database is locked").
    @Test func sixtySimultaneousResetRequestsAllSucceed() async throws {
        try await withTestApp { app in
            app.config.trustedProxies = [try #require(AddressRange("127.0.0.1"))]
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 0..<60 {
                    group.addTask {
                        let browser = TestBrowser(app)
                        browser.address = "127.0.0.1"
                        browser.extraHeaders = ["X-Forwarded-For": "198.51.100.\(n + 1)"]
                        try await browser.get("/password/forgot")
                        return try await browser.post("/password/forgot", ["email": "nguoi\(n)@example.vn"]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 60, "\(statuses.filter { $0 != .ok })")
            #expect(try await JobModel.query(on: app.db).filter(\.$kind == PasswordResetRequestJob.kind).count() == 60)
        }
    }

    /// Sixty transactions that read and then write, at once: all commit (BEGIN IMMEDIATE on SQLite: writers queue on
    /// the lock instead of deadlocking on the upgrade).
    @Test func sixtySimultaneousReadThenWriteTransactionsAllCommit() async throws {
        try await withTestApp { app in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<60 {
                    group.addTask {
                        try await app.db.transaction { transaction in
                            _ = try await JobModel.query(on: transaction).count()
                            try await Jobs.enqueue(CalendarChangedJob.self, .init(year: 2000 + n), on: transaction, runAt: Date())
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await JobModel.query(on: app.db).count() == 60)
        }
    }

    @Test func registrationDoesNotSayWhichOfIDOrEmailIsTakenAndIsThrottledPerAddress() async throws {
        try await withTestApp { app in
            try await register(app)
            let prober = TestBrowser(app)
            prober.address = "203.0.113.5"
            try await prober.get("/register")
            var sameEmail = citizen
            sameEmail["personalID"] = "001185099999"
            var sameID = citizen
            sameID["email"] = "other@example.vn"
            let byEmail = try await prober.post("/register", sameEmail)
            let byID = try await prober.post("/register", sameID)
            #expect(byEmail.status == .conflict)
            #expect(byID.status == .conflict)
            // The two answers say the same; only the typed values differ.
            let message = "Số định danh hoặc email này không dùng được để đăng ký"
            #expect(byEmail.body.contains(message) && byID.body.contains(message))
            for n in 3...30 {
                var form = citizen
                form["personalID"] = "0011850\(String(format: "%05d", n))"
                form["email"] = "probe\(n)@example.vn"
                _ = try await prober.post("/register", form)
            }
            var last = citizen
            last["email"] = "last@example.vn"
            last["personalID"] = "001185077777"
            let refused = try await prober.post("/register", last)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body.contains("quá nhiều lượt đăng ký"))
            // What was typed is kept.
            #expect(refused.body.contains(#"value="last@example.vn""#))
            #expect(try await AccountModel.query(on: app.db).filter(\.$email == "last@example.vn").count() == 0)
        }
    }
}
