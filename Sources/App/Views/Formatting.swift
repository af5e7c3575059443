import Domain
import Foundation
import Vapor

/// How catalogue values read on a page or in an API summary, in the reader's language.
struct Formatting {
    let localization: Localization
    let language: Language

    func processingTime(_ time: Parsed<ProcessingTime>) -> String? {
        switch time {
        case .absent:
            return nil
        case .unparsed(let original):
            // The portal sometimes publishes a bare number: say the unit is missing rather than guess it.
            if Double(original.replacingOccurrences(of: ",", with: ".")) != nil {
                return localization.string("unit_unstated", language, ["n": original])
            }
            return original
        case .parsed(let time):
            // `Int(exactly:)`: a value too large for an Int (a typo in a portal record) must not trap the page.
            let value = Int(exactly: time.value).map(String.init) ?? number(time.value)
            return localization.string("unit_\(time.unit.rawValue)", language, ["n": value])
        }
    }

    func fees(_ fees: Parsed<[Fee]>) -> String? {
        switch fees {
        case .absent:
            return nil
        case .unparsed(let original):
            return original
        case .parsed(let fees):
            let parts = fees.map { fee -> String in
                if let amount = fee.amount, amount > 0 { return money(amount) }
                return localization.string(fee.freeOfCharge ? "fee_free" : "fee_unknown", language)
            }
            return parts.isEmpty ? nil : parts.joined(separator: "; ")
        }
    }

    func channel(_ channel: SubmissionChannel) -> String {
        localization.string("channel_\(channel.rawValue)", language)
    }

    func level(_ level: ImplementationLevel) -> String {
        localization.string("level_\(level.rawValue)", language)
    }

    /// A day as its readers write it, with the weekday: "29/01/2025 (Thứ Tư)", "2025-01-29 (Wed)".
    func day(_ date: CivilDate) -> String {
        let weekday = localization.string("weekday_\(date.weekday)", language)
        guard language == .vi else { return "\(date) (\(weekday))" }
        let (year, month, day) = date.components
        return "\(day < 10 ? "0" : "")\(day)/\(month < 10 ? "0" : "")\(month)/\(year) (\(weekday))"
    }

    /// 100000 → "100.000 đ" in Vietnamese, "100,000 VND" in English.
    func money(_ amount: Int) -> String {
        language == .vi ? "\(grouped(amount)) đ" : "\(grouped(amount)) VND"
    }

    /// 1500000 → "1.500.000" in Vietnamese, "1,500,000" in English; a minus sign stays in front.
    func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(language == .vi ? "." : ",") }
            grouped.append(digit)
        }
        return grouped
    }

    private func number(_ value: Double) -> String {
        let text = String(value)
        return language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}

extension Request {
    /// Values written for this request's reader, in their language.
    var formatting: Formatting { Formatting(localization: application.localization, language: language) }
}
