import Domain
import Logging
import Vapor

/// The configuration, read once at boot from the environment. Every variable has a default that makes
/// `swift run motcua` work with no configuration; a malformed value stops the boot with one message that names
/// every bad variable (see `.env.example`).
public struct AppConfig: Sendable, Equatable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case sqliteInMemory
        /// `schema`, when set, becomes the connection's search path (tests give each run its own schema).
        case postgres(url: String, schema: String? = nil)
    }

    public enum Seed: String, Sendable, Equatable, CaseIterable {
        /// Agencies, the procedure catalogue and demo data, loaded into an empty database.
        case demo
        /// Nothing: the database stays as migrations leave it.
        case none
    }

    public var database: Database
    public var dataDirectory: String
    public var seed: Seed
    public var logLevel: Logger.Level
    /// How often a running server checks whether another process changed the catalogue (seconds).
    public var catalogueRefreshInterval: Int
    /// bcrypt's cost for password hashes (each step doubles the work).
    public var bcryptCost: Int
    /// The address people reach the site at, for links in emails (no trailing slash).
    public var publicURL: String
    public var mail: Mail
    /// Whether `motcua serve` also runs the job worker (off when separate `motcua worker` processes do).
    public var runsWorker: Bool
    /// Sign-in through an OpenID Connect provider (VNeID, the national portal); nil: off.
    public var oidc: OIDC?
    /// A bearer token that lets a metrics scraper on another host read `/metrics`; without it only this host may.
    public var metricsToken: String?
    /// Proxies whose forwarding headers (`X-Forwarded-For`, `Forwarded`, `X-Forwarded-Proto`) are believed; none by
    /// default, so a client's own headers never choose the address a throttle counts.
    public var trustedProxies: [AddressRange] = []
    /// The forwarding header the trusted proxies write; the other one is never read.
    public var forwardedHeader: ForwardedHeader = .xForwardedFor

    public enum ForwardedHeader: String, Sendable, Equatable {
        /// `X-Forwarded-For` (nginx, HAProxy, Caddy, Traefik, most load balancers).
        case xForwardedFor = "x-forwarded-for"
        /// `Forwarded` (RFC 7239).
        case forwarded
    }
    /// A connection that sends and receives nothing for this long is closed (seconds).
    public var idleTimeout: Int = 60
    /// How long a request waits for a free database connection before it is told to try again (503, seconds).
    public var databaseWait: Int = 30
    /// How long records that only guard against abuse or tell what happened are kept.
    public var retention = Retention()

    public struct Retention: Sendable, Equatable {
        /// Sign-in and request counters, after their window and any lock are over (hours).
        public var attemptHours: Int = 24
        /// Jobs done (days).
        public var doneJobDays: Int = 14
        /// Dead jobs, kept longer for a person to read and send again (days).
        public var deadJobDays: Int = 90

        public init(attemptHours: Int = 24, doneJobDays: Int = 14, deadJobDays: Int = 90) {
            self.attemptHours = attemptHours
            self.doneJobDays = doneJobDays
            self.deadJobDays = deadJobDays
        }
    }

    public struct OIDC: Sendable, Equatable {
        /// The provider's issuer URL, exactly as its discovery document states it.
        public var issuer: String
        public var clientID: String
        public var clientSecret: String
        /// The ID token claim that carries the 12-digit personal ID.
        public var personalIDClaim: String
        public var scopes: String
        /// The provider's name on the sign-in button ("VNeID").
        public var displayName: String

        public init(
            issuer: String, clientID: String, clientSecret: String, personalIDClaim: String = "personal_id",
            scopes: String = "openid profile email", displayName: String = "VNeID"
        ) {
            self.issuer = issuer
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.personalIDClaim = personalIDClaim
            self.scopes = scopes
            self.displayName = displayName
        }
    }

    public struct Mail: Sendable, Equatable {
        public var fromAddress: String = "no-reply@motcua.localhost"
        public var fromName: String = "MotCua"
        /// Unset: mail is written to files under the data folder.
        public var smtp: SMTP?

        public init(fromAddress: String = "no-reply@motcua.localhost", fromName: String = "MotCua", smtp: SMTP? = nil) {
            self.fromAddress = fromAddress
            self.fromName = fromName
            self.smtp = smtp
        }
    }

    public struct SMTP: Sendable, Equatable {
        public enum Security: String, Sendable, Equatable, CaseIterable {
            /// Plain connection upgraded with STARTTLS; refused if the server does not offer it.
            case starttls
            /// TLS from the first byte (port 465).
            case tls
            /// No encryption: only for a relay on the same host.
            case none
        }

        public var host: String
        public var port: Int
        public var security: Security
        public var username: String?
        public var password: String?

        public init(host: String, port: Int = 587, security: Security = .starttls, username: String? = nil, password: String? = nil) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
            self.password = password
        }
    }

    public init(
        database: Database = .sqlite(path: "./motcua.sqlite"), dataDirectory: String = "./data", seed: Seed = .demo,
        logLevel: Logger.Level = .info, catalogueRefreshInterval: Int = 10, bcryptCost: Int = 12,
        publicURL: String = "http://127.0.0.1:8080", mail: Mail = Mail(), runsWorker: Bool = true, oidc: OIDC? = nil
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.seed = seed
        self.logLevel = logLevel
        self.catalogueRefreshInterval = catalogueRefreshInterval
        self.bcryptCost = bcryptCost
        self.publicURL = publicURL
        self.mail = mail
        self.runsWorker = runsWorker
        self.oidc = oidc
    }

    /// A bad variable: its name, the value seen and what was expected.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var variable: String
        public var value: String
        public var expected: String
        public var description: String { "\(variable)=\"\(value)\": expected \(expected)" }
    }

    public struct InvalidConfiguration: Error, CustomStringConvertible, Equatable {
        public var problems: [Problem]
        public var description: String {
            "MotCua cannot start, the configuration is invalid:\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    /// Reads the configuration from `environment`, collecting every problem before failing.
    public static func load(from environment: [String: String]) throws(InvalidConfiguration) -> AppConfig {
        var config = AppConfig()
        var problems: [Problem] = []
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        if let url = value("DATABASE_URL") {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), URL(string: url)?.host != nil {
                config.database = .postgres(url: url)
            } else {
                problems.append(.init(variable: "DATABASE_URL", value: url, expected: "postgres://user:password@host:5432/database"))
            }
        } else if let path = value("MOTCUA_SQLITE_PATH") {
            config.database = path == ":memory:" ? .sqliteInMemory : .sqlite(path: path)
        }
        if let directory = value("MOTCUA_DATA_DIR") {
            config.dataDirectory = directory
        }
        if let seed = value("MOTCUA_SEED") {
            if let parsed = Seed(rawValue: seed.lowercased()) {
                config.seed = parsed
            } else {
                problems.append(.init(variable: "MOTCUA_SEED", value: seed, expected: "demo or none"))
            }
        }
        if let level = value("LOG_LEVEL") {
            if let parsed = Logger.Level(rawValue: level.lowercased()) {
                config.logLevel = parsed
            } else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(.init(variable: "LOG_LEVEL", value: level, expected: "one of \(levels)"))
            }
        }
        if let interval = value("MOTCUA_CATALOGUE_REFRESH_SECONDS") {
            if let seconds = Int(interval), (1...3600).contains(seconds) {
                config.catalogueRefreshInterval = seconds
            } else {
                problems.append(.init(variable: "MOTCUA_CATALOGUE_REFRESH_SECONDS", value: interval, expected: "a whole number of seconds from 1 to 3600"))
            }
        }
        if let cost = value("MOTCUA_BCRYPT_COST") {
            if let parsed = Int(cost), (10...16).contains(parsed) {
                config.bcryptCost = parsed
            } else {
                problems.append(.init(variable: "MOTCUA_BCRYPT_COST", value: cost, expected: "a whole number from 10 to 16"))
            }
        }
        if let url = value("MOTCUA_PUBLIC_URL") {
            if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil {
                config.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                problems.append(.init(variable: "MOTCUA_PUBLIC_URL", value: url, expected: "an http or https address such as https://dichvucong.example.gov.vn"))
            }
        }
        if let worker = value("MOTCUA_WORKER") {
            switch worker.lowercased() {
            case "on": config.runsWorker = true
            case "off": config.runsWorker = false
            default: problems.append(.init(variable: "MOTCUA_WORKER", value: worker, expected: "on or off"))
            }
        }
        if let from = value("MOTCUA_MAIL_FROM") {
            if RegistrationRules.isEmail(from) {
                config.mail.fromAddress = from
            } else {
                problems.append(.init(variable: "MOTCUA_MAIL_FROM", value: from, expected: "an email address"))
            }
        }
        if let name = value("MOTCUA_MAIL_FROM_NAME") {
            config.mail.fromName = name
        }
        if let host = value("MOTCUA_SMTP_HOST") {
            var smtp = SMTP(host: host)
            if let security = value("MOTCUA_SMTP_SECURITY") {
                if let parsed = SMTP.Security(rawValue: security.lowercased()) {
                    smtp.security = parsed
                    if parsed == .tls { smtp.port = 465 }
                } else {
                    problems.append(.init(variable: "MOTCUA_SMTP_SECURITY", value: security, expected: "starttls, tls or none"))
                }
            }
            if let port = value("MOTCUA_SMTP_PORT") {
                if let parsed = Int(port), (1...65535).contains(parsed) {
                    smtp.port = parsed
                } else {
                    problems.append(.init(variable: "MOTCUA_SMTP_PORT", value: port, expected: "a port number from 1 to 65535"))
                }
            }
            smtp.username = value("MOTCUA_SMTP_USERNAME")
            smtp.password = environment["MOTCUA_SMTP_PASSWORD"]
            if (smtp.username == nil) != (smtp.password == nil) {
                problems.append(.init(variable: smtp.username == nil ? "MOTCUA_SMTP_USERNAME" : "MOTCUA_SMTP_PASSWORD", value: "", expected: "both MOTCUA_SMTP_USERNAME and MOTCUA_SMTP_PASSWORD, or neither"))
            }
            config.mail.smtp = smtp
        }
        if let issuer = value("MOTCUA_OIDC_ISSUER") {
            let url = URL(string: issuer)
            let local = ["localhost", "127.0.0.1", "::1"].contains(url?.host ?? "")
            if url?.host == nil || !(url?.scheme == "https" || (url?.scheme == "http" && local)) {
                problems.append(.init(variable: "MOTCUA_OIDC_ISSUER", value: issuer, expected: "an https URL (http only for localhost)"))
            }
            let clientID = value("MOTCUA_OIDC_CLIENT_ID")
            let secret = environment["MOTCUA_OIDC_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
            if clientID == nil {
                problems.append(.init(variable: "MOTCUA_OIDC_CLIENT_ID", value: "", expected: "the client id registered with the provider"))
            }
            if secret == nil {
                problems.append(.init(variable: "MOTCUA_OIDC_CLIENT_SECRET", value: "", expected: "the client secret registered with the provider"))
            }
            // Kept exactly as given: ID tokens must name the issuer character for character.
            var oidc = OIDC(issuer: issuer, clientID: clientID ?? "", clientSecret: secret ?? "")
            if let claim = value("MOTCUA_OIDC_PERSONAL_ID_CLAIM") { oidc.personalIDClaim = claim }
            if let scopes = value("MOTCUA_OIDC_SCOPES") {
                if scopes.split(separator: " ").contains("openid") {
                    oidc.scopes = scopes
                } else {
                    problems.append(.init(variable: "MOTCUA_OIDC_SCOPES", value: scopes, expected: "space-separated scopes including openid"))
                }
            }
            if let name = value("MOTCUA_OIDC_NAME") { oidc.displayName = name }
            config.oidc = oidc
        }
        if let proxies = value("MOTCUA_TRUSTED_PROXIES") {
            let items = proxies.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            let ranges = items.map { AddressRange($0) }
            if ranges.contains(nil) {
                let bad = zip(items, ranges).filter { $0.1 == nil }.map(\.0).joined(separator: ", ")
                problems.append(.init(variable: "MOTCUA_TRUSTED_PROXIES", value: proxies, expected: "IP addresses or CIDR ranges separated by commas (not: \(bad))"))
            } else {
                config.trustedProxies = ranges.compactMap { $0 }
            }
        }
        if let header = value("MOTCUA_FORWARDED_HEADER") {
            if let parsed = ForwardedHeader(rawValue: header.lowercased()) {
                config.forwardedHeader = parsed
            } else {
                problems.append(.init(variable: "MOTCUA_FORWARDED_HEADER", value: header, expected: "x-forwarded-for or forwarded"))
            }
        }
        func wholeNumber(_ name: String, _ range: ClosedRange<Int>, _ unit: String, _ assign: (Int) -> Void) {
            guard let raw = value(name) else { return }
            if let parsed = Int(raw), range.contains(parsed) {
                assign(parsed)
            } else {
                problems.append(.init(variable: name, value: raw, expected: "a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound)"))
            }
        }
        wholeNumber("MOTCUA_IDLE_TIMEOUT_SECONDS", 5...3600, "seconds") { config.idleTimeout = $0 }
        wholeNumber("MOTCUA_DATABASE_WAIT_SECONDS", 1...600, "seconds") { config.databaseWait = $0 }
        wholeNumber("MOTCUA_ATTEMPTS_RETENTION_HOURS", 1...8760, "hours") { config.retention.attemptHours = $0 }
        wholeNumber("MOTCUA_DONE_JOBS_RETENTION_DAYS", 1...3650, "days") { config.retention.doneJobDays = $0 }
        wholeNumber("MOTCUA_DEAD_JOBS_RETENTION_DAYS", 1...3650, "days") { config.retention.deadJobDays = $0 }
        if let token = environment["MOTCUA_METRICS_TOKEN"], !token.isEmpty {
            if token.count >= 16 {
                config.metricsToken = token
            } else {
                problems.append(.init(variable: "MOTCUA_METRICS_TOKEN", value: "(hidden)", expected: "at least 16 characters"))
            }
        }
        guard problems.isEmpty else { throw InvalidConfiguration(problems: problems) }
        return config
    }
}

extension Application {
    private struct AppConfigKey: StorageKey {
        typealias Value = AppConfig
    }

    /// The configuration this application was configured with.
    public var config: AppConfig {
        get { storage[AppConfigKey.self] ?? AppConfig() }
        set { storage[AppConfigKey.self] = newValue }
    }
}
