import Fluent
import FluentSQLiteDriver
import SQLKit
import Vapor

/// What `motcua serve` does before it listens: migrate, seed an empty database as configured (SQLite's journal and
/// lock waits are set in `configure`).
public func prepareDatabase(_ app: Application) async throws {
    try FileManager.default.createDirectory(atPath: app.config.dataDirectory, withIntermediateDirectories: true)
    try await app.autoMigrate()
    if app.config.seed == .demo {
        try await Seeder(app: app).seedDemoIfEmpty()
    }
    try await ProcedureForms.installBundled(app: app, on: app.db)
}

/// Registers MotCua's own commands beside Vapor's `serve`, `routes` and Fluent's `migrate`.
func registerCommands(_ app: Application) {
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(ImportProceduresCommand(), as: "import-procedures")
    app.asyncCommands.use(CreateAPITokenCommand(), as: "create-api-token")
    app.asyncCommands.use(RevokeAPITokenCommand(), as: "revoke-api-token")
    app.asyncCommands.use(WorkerCommand(), as: "worker")
    app.asyncCommands.use(AuditCommand(), as: "audit")
}

/// `motcua seed`: migrate, then load the demo data into an empty database.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Migrates and loads agencies and the procedure catalogue into an empty database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        try await Seeder(app: context.application).seedDemoIfEmpty()
        context.console.print("seeded what was missing (existing agencies, procedures and accounts are left as they are)")
    }
}

/// `motcua import-procedures FILE... [--report FILE]`: imports portal records (JSON Lines), upserting by code.
struct ImportProceduresCommand: AnyAsyncCommand {
    var help: String {
        """
        Imports procedure records from the portal's JSON Lines files, upserting by code. Each record's managing ministry \
        is read from its decision number (…/QĐ-BTP); --ministry CODE states it for every record instead. \
        Usage: motcua import-procedures FILE... [--ministry CODE] [--report REPORT.json]
        """
    }

    func outputHelp(using context: inout CommandContext) {
        context.console.print(help)
    }

    func run(using context: inout CommandContext) async throws {
        var files: [String] = []
        var reportPath: String?
        var ministry: String?
        var arguments = context.input.arguments[...]
        while let argument = arguments.popFirst() {
            if argument == "--ministry" {
                guard let code = arguments.popFirst() else { throw UsageError("--ministry needs a ministry code, e.g. BTP") }
                ministry = code
            } else if argument.hasPrefix("--ministry=") {
                ministry = String(argument.dropFirst("--ministry=".count))
            } else if argument == "--report" {
                guard let path = arguments.popFirst() else { throw UsageError("--report needs a file path") }
                reportPath = path
            } else if argument.hasPrefix("--report=") {
                reportPath = String(argument.dropFirst("--report=".count))
            } else {
                files.append(argument)
            }
        }
        context.input.arguments = []
        guard !files.isEmpty else { throw UsageError("name at least one file. \(help)") }
        let app = context.application
        try await app.autoMigrate()
        let report: ImportReport
        do {
            report = try await Seeder(app: app).importer().importFiles(files, stated: ministry)
        } catch let error as ProcedureImporter.UnknownMinistry {
            throw UsageError(error.description)
        }
        context.console.print(report.summary)
        try await ProcedureForms.installBundled(app: app, on: app.db)
        if let reportPath {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(report).write(to: URL(fileURLWithPath: reportPath))
            context.console.print("report written to \(reportPath)")
        }
    }
}

/// `motcua create-api-token NAME [--agency CODE] [--write]`: prints a new token once; only its hash is kept.
struct CreateAPITokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "name", help: "Who the token is for, e.g. \"Cổng DVC tỉnh\".")
        var name: String
        @ConsoleKitCommands.Option(name: "agency", help: "Code of the agency the token is scoped to; none for the whole system.")
        var agency: String?
        @Flag(name: "write", help: "Allow changes as well as reads.")
        var write: Bool
    }

    var help: String { "Creates an API token for an integration and prints it once." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        // The same path as the administration page: the same checks, the same audit entry, naming the login.
        let administration = try await Administration(.console(app))
        let created = try await CommandFailure.explained(app) {
            try await administration.createToken(
                .init(name: signature.name, agency: signature.agency, write: signature.write ? "on" : nil))
        }
        context.console.print("token id: \(created.summary.id.uuidString.lowercased())")
        context.console.print("token (shown once, store it now): \(created.token)")
    }
}

/// `motcua revoke-api-token ID`: the token stops working at once.
struct RevokeAPITokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id", help: "The token id printed when it was created.")
        var id: String
    }

    var help: String { "Revokes an API token." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let id = UUID(uuidString: signature.id) else { throw UsageError("no API token has the id \(signature.id)") }
        let administration = try await Administration(.console(app))
        let token = try await CommandFailure.explained(app) {
            do {
                return try await administration.revokeToken(id: id)
            } catch let error as UserError where error.kind == .recordNotFound {
                throw UsageError("no API token has the id \(signature.id)")
            }
        }
        context.console.print("revoked \(token.name)")
    }
}

/// A service's refusal at the command line: the message a page would show, in English, instead of a type dump.
enum CommandFailure {
    static func explained<T>(_ app: Application, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as UserError {
            let localization = app.localization
            guard case .invalidFields(let errors) = error.kind else {
                throw UsageError(error.message(localization, .en))
            }
            let lines = errors.fields.map { "\($0.field): " + FieldErrorText.message($0.problem, localization, .en) }
            throw UsageError(lines.joined(separator: "; "))
        }
    }
}

/// `motcua audit verify`: seals gathered looks, checks the whole audit chain, records the outcome on the audit
/// page, and exits non-zero when the chain is broken.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify: check the whole hash chain.")
        var action: String
    }

    var help: String { "Checks the audit log's hash chain from its first entry (motcua audit verify)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else { throw UsageError("the only action is verify: motcua audit verify") }
        let app = context.application
        try await app.autoMigrate()
        switch try await AuditLog.verifyInFull(on: app.db, now: app.clock.now) {
        case .intact(let entries):
            context.console.print("audit chain intact: \(entries) entries")
        case .broken(let seq):
            context.console.error("audit chain BROKEN at entry \(seq): the log was altered or deleted from there")
            throw ChainBroken()
        }
    }

    struct ChainBroken: Error, CustomStringConvertible {
        var description: String { "the audit chain is broken" }
    }
}

/// A command typed wrongly: the message says how to type it.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
