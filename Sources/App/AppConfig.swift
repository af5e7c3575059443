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

    public init(
        database: Database = .sqlite(path: "./motcua.sqlite"), dataDirectory: String = "./data", seed: Seed = .demo,
        logLevel: Logger.Level = .info, catalogueRefreshInterval: Int = 10, bcryptCost: Int = 12
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.seed = seed
        self.logLevel = logLevel
        self.catalogueRefreshInterval = catalogueRefreshInterval
        self.bcryptCost = bcryptCost
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
