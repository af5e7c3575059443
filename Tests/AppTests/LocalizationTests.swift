import Domain
import Foundation
import Testing
import VaporTesting

@testable import App

/// Keys built from an enum's cases (`"role_" + role.rawValue`) exist in both languages, and every key a template
/// names exists: a new case or a typo shows here, not as a raw key on a citizen's screen.
@Suite struct LocalizationTests {
    static let localization: Localization = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources/Localization/").path + "/"
        return (try? Localization(directory: directory)) ?? Localization(tables: [:])
    }()

    /// Every key the code builds from an enum, as it builds it.
    static var builtKeys: [String] {
        var keys: [String] = []
        keys += Domain.Role.allCases.map { "role_" + $0.rawValue }
        keys += AgencyKind.allCases.map { "kind_" + $0.rawValue }
        keys += PauseRule.allCases.map { "pause_rule_" + $0.rawValue }
        keys += CalendarAdjustment.Kind.allCases.map { "adjustment_kind_" + $0.rawValue }
        keys += Holiday.Kind.allCases.map { "holiday_kind_" + $0.rawValue }
        keys += JobModel.State.allCases.map { "job_state_" + $0.rawValue }
        keys += ImplementationLevel.allCases.map { "level_" + $0.rawValue }
        keys += SubmissionChannel.allCases.map { "channel_" + $0.rawValue }
        keys += Notifier.Kind.allCases.flatMap { ["message_\($0.rawValue)_subject", "message_\($0.rawValue)_body"] }
        keys += Notice.allCases.map(\.localizationKey)
        let reasons: [DenialReason] = [
            .signInRequired, .notTheOwner, .outsideTheActorsAgencies, .roleDoesNotAllow, .auditorsOnlyRead, .neverAllowed,
        ]
        for reason in reasons {
            // A new reason fails to compile here until it is listed above.
            switch reason {
            case .signInRequired, .notTheOwner, .outsideTheActorsAgencies, .roleDoesNotAllow, .auditorsOnlyRead,
                .neverAllowed:
                keys.append("error_denied_" + reason.code)
            }
        }
        return keys
    }

    @Test func everyKeyBuiltFromAnEnumExistsInBothLanguages() {
        for language in Language.allCases {
            let table = Self.localization.table(language)
            #expect(!table.isEmpty)
            for key in Self.builtKeys {
                #expect(table[key] != nil, "\(language): \(key) is missing")
            }
        }
    }

    @Test func everyPublicHolidayAndTimeUnitHasItsName() throws {
        let table = Self.localization.table(.vi)
        for year in VietnameseLunarCalendar.supportedYears.lowerBound...(VietnameseLunarCalendar.supportedYears.lowerBound + 2) {
            for holiday in try YearCalendar(year: year, adjustments: []).holidays {
                #expect(table["holiday_" + holiday.name] != nil, "holiday_\(holiday.name)")
            }
        }
        for unit in TimeUnit.allCases {
            #expect(table["unit_" + unit.rawValue] != nil, "unit_\(unit.rawValue)")
        }
    }

    @Test func everyKeyATemplateNamesExists() throws {
        let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources/Views")
        let files = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".leaf") }
        #expect(!files.isEmpty)
        let pattern = try Regex(#"#t\("([A-Za-z0-9_]+)"\)"#)
        for file in files {
            let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                let key = String(text[match.range]).dropFirst(4).dropLast(2)
                for language in Language.allCases {
                    #expect(Self.localization.table(language)[String(key)] != nil, "\(file): \(key) missing in \(language)")
                }
            }
        }
    }
}
