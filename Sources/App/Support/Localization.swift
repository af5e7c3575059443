import Foundation
import Vapor

/// The languages of the interface. Vietnamese is the default; English is a choice remembered in a cookie.
enum Language: String, CaseIterable, Sendable, Codable {
    case vi
    case en

    static let cookieName = "lang"
}

/// Every interface string, per language, from `Resources/Localization/{vi,en}.json`. Loaded once at boot;
/// a key missing from one language is a boot error, not a blank on a citizen's screen.
struct Localization: Sendable {
    let tables: [Language: [String: String]]

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(directory: String) throws {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let path = directory + language.rawValue + ".json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Invalid(description: "localization file missing: \(path)")
            }
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        let keys = Language.allCases.map { Set((tables[$0] ?? [:]).keys) }
        if let first = keys.first, let mismatch = keys.first(where: { $0 != first }) {
            let missing = first.symmetricDifference(mismatch).sorted().joined(separator: ", ")
            throw Invalid(description: "localization files disagree on keys: \(missing)")
        }
        self.tables = tables
    }

    init(tables: [Language: [String: String]]) {
        self.tables = tables
    }

    func table(_ language: Language) -> [String: String] {
        tables[language] ?? [:]
    }

    /// The string for `key`, with `{name}` placeholders replaced; the key itself if it is missing.
    func string(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        var text = tables[language]?[key] ?? key
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }
}

extension Application {
    private struct LocalizationKey: StorageKey {
        typealias Value = Localization
    }

    var localization: Localization {
        get { storage[LocalizationKey.self] ?? Localization(tables: [:]) }
        set { storage[LocalizationKey.self] = newValue }
    }
}

extension Request {
    /// The reader's language: the cookie set by the language switch, else Vietnamese.
    var language: Language {
        cookies[Language.cookieName].flatMap { Language(rawValue: $0.string) } ?? .vi
    }

    func localized(_ key: String, _ arguments: [String: String] = [:]) -> String {
        application.localization.string(key, language, arguments)
    }
}
