import Foundation

/// Dates as people in Vietnam read them (UTC+7).
enum VietnamTime {
    private static let vietnam: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt
        return calendar
    }()

    /// "29/11/2026 14:35" in Vietnam.
    static func dateTime(_ date: Date) -> String {
        let parts = vietnam.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%02d/%02d/%04d %02d:%02d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// "14:35" in Vietnam.
    static func time(_ date: Date) -> String {
        let parts = vietnam.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// Today's date in Vietnam, the calendar a date of birth is written in.
    static func today(now: Date) -> DateComponents {
        vietnam.dateComponents([.year, .month, .day], from: now)
    }
}
