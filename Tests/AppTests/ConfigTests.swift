import Testing

@testable import App

@Suite struct ConfigTests {
    @Test func noVariablesGiveTheDefaultsThatServeLocally() throws {
        let config = try AppConfig.load(from: [:])
        #expect(config.database == .sqlite(path: "./motcua.sqlite"))
        #expect(config.dataDirectory == "./data")
        #expect(config.seed == .demo)
        #expect(config.logLevel == .info)
    }

    @Test func everyVariableIsRead() throws {
        let config = try AppConfig.load(from: [
            "DATABASE_URL": "postgres://motcua:secret@localhost:5432/motcua", "MOTCUA_DATA_DIR": "/var/lib/motcua",
            "MOTCUA_SEED": "none", "LOG_LEVEL": "debug", "MOTCUA_CATALOGUE_REFRESH_SECONDS": "30",
            "MOTCUA_BCRYPT_COST": "13",
        ])
        #expect(config.bcryptCost == 13)
        #expect(config.database == .postgres(url: "postgres://motcua:secret@localhost:5432/motcua"))
        #expect(config.dataDirectory == "/var/lib/motcua")
        #expect(config.seed == AppConfig.Seed.none)
        #expect(config.logLevel == .debug)
        #expect(config.catalogueRefreshInterval == 30)
        #expect(try AppConfig.load(from: ["MOTCUA_SQLITE_PATH": "/tmp/x.sqlite"]).database == .sqlite(path: "/tmp/x.sqlite"))
    }

    @Test func mailAndWorkerVariablesAreRead() throws {
        let defaults = try AppConfig.load(from: [:])
        #expect(defaults.publicURL == "http://127.0.0.1:8080")
        #expect(defaults.mail.smtp == nil)
        #expect(defaults.runsWorker)
        let config = try AppConfig.load(from: [
            "MOTCUA_PUBLIC_URL": "https://dichvucong.example.gov.vn/", "MOTCUA_WORKER": "off",
            "MOTCUA_MAIL_FROM": "khong-tra-loi@example.gov.vn", "MOTCUA_MAIL_FROM_NAME": "Cổng dịch vụ công",
            "MOTCUA_SMTP_HOST": "smtp.example.gov.vn", "MOTCUA_SMTP_USERNAME": "motcua", "MOTCUA_SMTP_PASSWORD": "s3cret",
        ])
        #expect(config.publicURL == "https://dichvucong.example.gov.vn")
        #expect(!config.runsWorker)
        #expect(config.mail.fromAddress == "khong-tra-loi@example.gov.vn")
        #expect(config.mail.fromName == "Cổng dịch vụ công")
        #expect(config.mail.smtp == .init(host: "smtp.example.gov.vn", port: 587, security: .starttls, username: "motcua", password: "s3cret"))
        let implicitTLS = try AppConfig.load(from: ["MOTCUA_SMTP_HOST": "smtp.example.gov.vn", "MOTCUA_SMTP_SECURITY": "tls"])
        #expect(implicitTLS.mail.smtp?.port == 465)
    }

    @Test func proxiesTimeoutsAndRetentionAreReadAndBadValuesNamed() throws {
        let defaults = try AppConfig.load(from: [:])
        #expect(defaults.trustedProxies.isEmpty)
        #expect(defaults.idleTimeout == 60)
        #expect(defaults.databaseWait == 30)
        #expect(defaults.forwardedHeader == .xForwardedFor)
        #expect(try AppConfig.load(from: ["MOTCUA_FORWARDED_HEADER": "Forwarded"]).forwardedHeader == .forwarded)
        #expect(throws: AppConfig.InvalidConfiguration.self) { try AppConfig.load(from: ["MOTCUA_FORWARDED_HEADER": "x-real-ip"]) }
        #expect(defaults.retention == .init(attemptHours: 24, doneJobDays: 14, deadJobDays: 90))
        let config = try AppConfig.load(from: [
            "MOTCUA_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1,::1", "MOTCUA_IDLE_TIMEOUT_SECONDS": "30",
            "MOTCUA_DATABASE_WAIT_SECONDS": "10",
            "MOTCUA_ATTEMPTS_RETENTION_HOURS": "48", "MOTCUA_DONE_JOBS_RETENTION_DAYS": "7", "MOTCUA_DEAD_JOBS_RETENTION_DAYS": "365",
        ])
        #expect(config.trustedProxies.map(\.description) == ["10.0.0.0/8", "127.0.0.1/32", "::1/128"])
        #expect(config.idleTimeout == 30)
        #expect(config.databaseWait == 10)
        #expect(config.retention == .init(attemptHours: 48, doneJobDays: 7, deadJobDays: 365))
        #expect {
            try AppConfig.load(from: [
                "MOTCUA_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local", "MOTCUA_IDLE_TIMEOUT_SECONDS": "0", "MOTCUA_DATABASE_WAIT_SECONDS": "601",
                "MOTCUA_ATTEMPTS_RETENTION_HOURS": "-1", "MOTCUA_DONE_JOBS_RETENTION_DAYS": "9223372036854775808",
                "MOTCUA_DEAD_JOBS_RETENTION_DAYS": "ninety",
            ])
        } throws: { error in
            guard let invalid = error as? AppConfig.InvalidConfiguration else { return false }
            return Set(invalid.problems.map(\.variable)) == [
                "MOTCUA_TRUSTED_PROXIES", "MOTCUA_IDLE_TIMEOUT_SECONDS", "MOTCUA_DATABASE_WAIT_SECONDS", "MOTCUA_ATTEMPTS_RETENTION_HOURS",
                "MOTCUA_DONE_JOBS_RETENTION_DAYS", "MOTCUA_DEAD_JOBS_RETENTION_DAYS",
            ] && invalid.description.contains("proxy.local")
        }
    }

    @Test func aShortMetricsTokenIsRefusedWithoutBeingPrinted() throws {
        #expect(try AppConfig.load(from: ["MOTCUA_METRICS_TOKEN": "scraper-token-0123456789"]).metricsToken == "scraper-token-0123456789")
        #expect {
            try AppConfig.load(from: ["MOTCUA_METRICS_TOKEN": "short-secret"])
        } throws: { error in
            guard let invalid = error as? AppConfig.InvalidConfiguration else { return false }
            return invalid.problems.map(\.variable) == ["MOTCUA_METRICS_TOKEN"] && !invalid.description.contains("short-secret")
        }
    }

    @Test func singleSignOnIsOffUnlessAnIssuerIsSet() throws {
        #expect(try AppConfig.load(from: [:]).oidc == nil)
        let config = try AppConfig.load(from: [
            "MOTCUA_OIDC_ISSUER": "https://sso.example.gov.vn/", "MOTCUA_OIDC_CLIENT_ID": "motcua",
            "MOTCUA_OIDC_CLIENT_SECRET": "s3cret", "MOTCUA_OIDC_PERSONAL_ID_CLAIM": "cccd", "MOTCUA_OIDC_NAME": "VNeID",
        ])
        #expect(config.oidc == .init(
            issuer: "https://sso.example.gov.vn/", clientID: "motcua", clientSecret: "s3cret", personalIDClaim: "cccd",
            scopes: "openid profile email", displayName: "VNeID"))
        #expect {
            try AppConfig.load(from: ["MOTCUA_OIDC_ISSUER": "http://sso.example.gov.vn", "MOTCUA_OIDC_SCOPES": "profile"])
        } throws: { error in
            guard let invalid = error as? AppConfig.InvalidConfiguration else { return false }
            return Set(invalid.problems.map(\.variable)) == [
                "MOTCUA_OIDC_ISSUER", "MOTCUA_OIDC_CLIENT_ID", "MOTCUA_OIDC_CLIENT_SECRET", "MOTCUA_OIDC_SCOPES",
            ]
        }
    }

    @Test func badMailVariablesAreNamedAndThePasswordIsNeverPrinted() {
        let environment = [
            "MOTCUA_PUBLIC_URL": "ftp://x", "MOTCUA_WORKER": "maybe", "MOTCUA_MAIL_FROM": "nobody",
            "MOTCUA_SMTP_HOST": "smtp.example.gov.vn", "MOTCUA_SMTP_PORT": "70000", "MOTCUA_SMTP_SECURITY": "ssl3",
            "MOTCUA_SMTP_PASSWORD": "s3cret",
        ]
        #expect {
            try AppConfig.load(from: environment)
        } throws: { error in
            guard let invalid = error as? AppConfig.InvalidConfiguration else { return false }
            return Set(invalid.problems.map(\.variable)) == [
                "MOTCUA_PUBLIC_URL", "MOTCUA_WORKER", "MOTCUA_MAIL_FROM", "MOTCUA_SMTP_PORT", "MOTCUA_SMTP_SECURITY",
                "MOTCUA_SMTP_USERNAME",
            ] && !invalid.description.contains("s3cret")
        }
    }

    @Test func everyBadVariableIsNamedInOneError() {
        let environment = [
            "DATABASE_URL": "mysql://localhost/motcua", "MOTCUA_SEED": "lots", "LOG_LEVEL": "loud",
            "MOTCUA_CATALOGUE_REFRESH_SECONDS": "-1", "MOTCUA_BCRYPT_COST": "4",
        ]
        #expect {
            try AppConfig.load(from: environment)
        } throws: { error in
            guard let invalid = error as? AppConfig.InvalidConfiguration else { return false }
            let named = Set(invalid.problems.map(\.variable))
            return named == [
                "DATABASE_URL", "MOTCUA_SEED", "LOG_LEVEL", "MOTCUA_CATALOGUE_REFRESH_SECONDS", "MOTCUA_BCRYPT_COST",
            ]
                && invalid.description.contains("DATABASE_URL=\"mysql://localhost/motcua\"")
        }
    }
}
