import Domain
import Foundation

/// The one mapping between Swift values and the JSON text columns (a procedure's parsed record, a job's payload,
/// a notification's arguments, an audit entry's details): sorted keys and unescaped slashes, so the same value is
/// always the same text (the audit chain hashes it), and one decoder. Each column's typed accessor below goes
/// through it, and `JSONColumnTests` round-trips every one.
enum JSONColumn {
    static func text<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func value<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

extension ProcedureModel {
    /// `data`: the procedure as parsed.
    func procedure() throws -> Procedure { try JSONColumn.value(Procedure.self, from: data) }
    func setProcedure(_ procedure: Procedure) throws { data = try JSONColumn.text(procedure) }

    /// `parse_issues`: what the parser could not read.
    func issues() throws -> [ParseIssue] { try JSONColumn.value([ParseIssue].self, from: parseIssues) }
    func setIssues(_ issues: [ParseIssue]) throws { parseIssues = try JSONColumn.text(issues) }
}

extension NotificationModel {
    /// `arguments`: the message's placeholders.
    func messageArguments() throws -> [String: String] { try JSONColumn.value([String: String].self, from: arguments) }
    func setMessageArguments(_ values: [String: String]) throws { arguments = try JSONColumn.text(values) }
}

extension AuditEntryModel {
    /// `details`, as hashed into the chain.
    func detailValues() throws -> [String: String] { try JSONColumn.value([String: String].self, from: details) }
}
