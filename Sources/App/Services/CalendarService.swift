import Domain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Year calendars with the adjustments recorded in the database, kept between requests and rebuilt when the
/// adjustments change (their count and newest creation differ).
final class CalendarService: Sendable {
    private struct Stamp: Equatable {
        var count: Int
        var newest: Date?
    }

    private let state = NIOLockedValueBox<(stamp: Stamp, years: [Int: YearCalendar])>((Stamp(count: -1), [:]))

    /// The calendar of `year` (1900–2199), with its adjustments.
    func year(_ year: Int, on database: any Database) async throws -> YearCalendar {
        try await years(year...year, on: database)[0]
    }

    /// Working time over `years`, with `hours`.
    func workingTime(_ years: ClosedRange<Int>, hours: OfficeHours, on database: any Database) async throws
        -> WorkingTimeCalendar
    {
        WorkingTimeCalendar(calendars: try await self.years(years, on: database), hours: hours)
    }

    /// The calendars of `range`, checking once whether the adjustments changed and loading only missing years.
    private func years(_ range: ClosedRange<Int>, on database: any Database) async throws -> [YearCalendar] {
        let stamp = Stamp(
            count: try await CalendarAdjustmentModel.query(on: database).count(),
            newest: try await CalendarAdjustmentModel.query(on: database).max(\.$createdAt) ?? nil)
        var calendars: [YearCalendar] = []
        for year in range {
            if let cached = state.withLockedValue({ $0.stamp == stamp ? $0.years[year] : nil }) {
                calendars.append(cached)
                continue
            }
            let adjustments = try await CalendarAdjustmentModel.query(on: database).filter(\.$year == year).all()
                .compactMap(\.adjustment)
            let calendar = try YearCalendar(year: year, adjustments: adjustments)
            state.withLockedValue { cache in
                if cache.stamp != stamp { cache = (stamp, [:]) }
                cache.years[year] = calendar
            }
            calendars.append(calendar)
        }
        return calendars
    }
}

extension Application {
    private struct CalendarServiceKey: StorageKey {
        typealias Value = CalendarService
    }

    var calendars: CalendarService {
        get { storage[CalendarServiceKey.self] ?? CalendarService() }
        set { storage[CalendarServiceKey.self] = newValue }
    }
}

extension LocalMinute {
    /// Vietnam is UTC+7 all year.
    static let offsetSeconds = 7 * 3600

    init(_ date: Date) {
        let minutes = ((date.timeIntervalSince1970 + Double(Self.offsetSeconds)) / 60).rounded(.down)
        // An instant no calendar covers (or no number at all) becomes the nearest end of the supported range.
        let limit = 1e15
        self.init(minutes.isFinite ? Int(min(max(minutes, -limit), limit)) : 0)
    }

    /// `2025-05-05T16:00:00+07:00`.
    var iso8601: String {
        let minute = minuteOfDay
        return "\(date)T\(minute / 60 < 10 ? "0" : "")\(minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60):00+07:00"
    }
}
