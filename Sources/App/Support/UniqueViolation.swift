import Domain
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// A write the database refused because another row already holds the same unique value: the table and columns of
/// the unique key, read from either engine's error. Checking before writing cannot stop two requests that check at
/// the same moment; the unique key does, and this turns its refusal into the field message the first check gives.
struct UniqueViolation: Hashable, Sendable {
    var table: String
    var columns: [String]

    init(table: String, columns: [String]) {
        self.table = table
        self.columns = columns
    }

    static let accountEmail = UniqueViolation(table: "accounts", columns: ["email"])
    static let accountPersonalID = UniqueViolation(table: "accounts", columns: ["personal_id"])
    static let calendarDate = UniqueViolation(table: "calendar_adjustments", columns: ["date"])
    static let procedureFormVersion = UniqueViolation(table: "procedure_forms", columns: ["procedure_id", "version"])

    /// The violation `error` reports, or nil for any other error.
    init?(_ error: any Error) {
        if let sqlite = error as? SQLiteError {
            // "UNIQUE constraint failed: accounts.email" (", accounts.other" for a key of several columns).
            let prefix = "UNIQUE constraint failed: "
            guard sqlite.message.hasPrefix(prefix) else { return nil }
            self.init(qualified: sqlite.message.dropFirst(prefix.count).split(separator: ","))
        } else if let postgres = error as? PSQLError, postgres.code == .server,
            postgres.serverInfo?[.sqlState] == "23505"
        {
            // Fluent names its unique constraints `uq:accounts.email` (`+`-joined for several columns); the detail
            // "Key (email)=(…) already exists." is the fallback (a server may leave it out).
            if let name = postgres.serverInfo?[.constraintName], name.hasPrefix("uq:"),
                let named = UniqueViolation(qualified: name.dropFirst(3).split(separator: "+"))
            {
                self = named
                return
            }
            guard let table = postgres.serverInfo?[.tableName], let detail = postgres.serverInfo?[.detail],
                detail.hasPrefix("Key ("), let end = detail.range(of: ")=(")
            else { return nil }
            let list = detail[detail.index(detail.startIndex, offsetBy: 5)..<end.lowerBound]
            self.init(table: table, columns: list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        } else {
            return nil
        }
    }

    /// From `table.column` names, all of one table.
    private init?(qualified: [Substring]) {
        let parts = qualified.map { $0.trimmingCharacters(in: .whitespaces).split(separator: ".", maxSplits: 1).map(String.init) }
        guard let table = parts.first?.first, parts.allSatisfy({ $0.count == 2 && $0[0] == table }) else { return nil }
        self.init(table: table, columns: parts.map { $0[1] })
    }

    /// Runs `body`; when the database refuses it for one of the unique keys in `answers`, throws that key's field
    /// problems as the form's errors instead (a 409 for `alreadyRegistered`/`identityTaken`). Other errors pass.
    static func answer<T>(
        _ answers: [UniqueViolation: [FieldError]], _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch {
            guard let violation = UniqueViolation(error), let fields = answers[violation] else { throw error }
            throw UserError(.invalidFields(FormErrors(fields)))
        }
    }
}
