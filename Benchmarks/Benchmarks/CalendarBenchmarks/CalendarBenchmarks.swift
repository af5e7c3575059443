// Benchmarks of the working-time engine (issue 4): due dates for a realistic mix, and recomputing the due dates
// of 1,000,000 open dossiers after an admin edits the calendar.
//
// Run:  cd Benchmarks && swift package benchmark --target CalendarBenchmarks   (README.md has the figures)

import Benchmark
import Domain

/// A deterministic generator, so every run measures the same mix.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One open dossier as the recompute sees it: when it was accepted, its period, and a supplement pause if any.
struct OpenDossier {
    var accepted: LocalMinute
    var amount: Int
    var pause: Range<LocalMinute>?
}

/// The realistic mix: accepted at any minute of 2025, 1–60 working days, one in five paused for a supplement
/// (one to ten working days' worth of calendar time, starting within its first weeks).
func makeDossiers(_ count: Int) -> [OpenDossier] {
    var random = SplitMix64(state: 2025)
    let first = LocalMinute(date: CivilDate(year: 2025, month: 1, day: 1) ?? CivilDate(julianDay: 2_460_677), minute: 0)
    return (0..<count).map { _ in
        let accepted = LocalMinute(first.value + Int.random(in: 0..<(365 * 1440), using: &random))
        var pause: Range<LocalMinute>?
        if Int.random(in: 0..<5, using: &random) == 0 {
            let start = LocalMinute(accepted.value + Int.random(in: 60...(20 * 1440), using: &random))
            pause = start..<LocalMinute(start.value + Int.random(in: 1440...(14 * 1440), using: &random))
        }
        return OpenDossier(accepted: accepted, amount: Int.random(in: 1...60, using: &random), pause: pause)
    }
}

func makeCalendar(adjustments: [CalendarAdjustment]) -> WorkingTimeCalendar {
    let years = (2024...2027).compactMap { year in
        try? YearCalendar(year: year, adjustments: year == 2025 ? adjustments : [])
    }
    return WorkingTimeCalendar(calendars: years)
}

let benchmarks: @Sendable () -> Void = {
    let dossiers = makeDossiers(1_000_000)
    let calendar = makeCalendar(adjustments: CalendarAdjustment.example2025)

    // Throughput: one iteration computes 1,000 due dates of the mix (so scaledIterations is due dates).
    Benchmark(
        "Due dates, realistic mix (1-60 working days, 20% paused)",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(5))
    ) { benchmark in
        var checksum = 0
        for round in benchmark.scaledIterations {
            let dossier = dossiers[round % dossiers.count]
            let due = calendar.due(
                from: dossier.accepted, amount: dossier.amount, unit: .workingDays,
                pauses: dossier.pause.map { [$0] } ?? [])
            checksum &+= due?.value ?? 0
        }
        blackHole(checksum)
    }

    // After an edit: build the new calendar (four years, the edit applied) and recompute every open dossier.
    Benchmark(
        "Recompute 1,000,000 open dossiers after a calendar edit",
        configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(30), maxIterations: 5)
    ) { benchmark in
        let edited = makeCalendar(
            adjustments: CalendarAdjustment.example2025 + [
                CalendarAdjustment(
                    date: CivilDate(year: 2025, month: 9, day: 3) ?? CivilDate(julianDay: 2_460_922), kind: .dayOff,
                    reference: "benchmark: an extra day off")
            ])
        var due = [Int](repeating: 0, count: dossiers.count)
        for (index, dossier) in dossiers.enumerated() {
            due[index] = edited.due(
                from: dossier.accepted, amount: dossier.amount, unit: .workingDays,
                pauses: dossier.pause.map { [$0] } ?? [])?.value ?? 0
        }
        blackHole(due)
    }
}
