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
