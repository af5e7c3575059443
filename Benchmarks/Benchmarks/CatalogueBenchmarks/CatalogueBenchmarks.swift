// Benchmarks of the catalogue's hot paths in Domain: folding Vietnamese text, building the in-memory search index,
// and ranking a search over the whole catalogue (2,378 real procedures from Resources/Seed/procedures).
//
// Run:  cd Benchmarks && swift package benchmark          (README.md has the details and the measured figures)

import Benchmark
import Domain
import Foundation

/// The search mix the project's targets are set against: with and without diacritics, a bare code, short and
/// long phrases, words that match many procedures ("cap lai", "xay dung") and a query that matches few.
let searchMix = [
    "dang ky khai sinh",
    "Đăng ký khai sinh",
    "khai sinh",
    "1.001193",
    "giay phep lai xe",
    "thue thu nhap ca nhan",
    "cap lai",
    "xay dung",
]

/// The whole catalogue, parsed once before any measured iteration.
struct Catalogue {
    var names: [String]
    var entries: [CatalogueEntry]
    var index: CatalogueIndex
}

struct SeedError: Error, CustomStringConvertible {
    var description: String
}

/// The repository root: `MOTCUA_ROOT` if set, else four levels above this file
/// (Benchmarks/Benchmarks/CatalogueBenchmarks/CatalogueBenchmarks.swift). Not the working directory: the benchmark
/// plugin runs the executable from a directory of its own choosing.
func repositoryRoot() -> URL {
    if let root = ProcessInfo.processInfo.environment["MOTCUA_ROOT"], !root.isEmpty {
        return URL(fileURLWithPath: root, isDirectory: true)
    }
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url
}

/// Reads and parses every seed record the way the importer does: the managing ministry is the one whose
/// catalogue file the record is in (ministries.json maps file → code and name).
func loadCatalogue() throws -> Catalogue {
    struct Ministry: Decodable {
        var code: String
        var name: String
        var catalogueFile: String
    }
    let seed = repositoryRoot().appendingPathComponent("Resources/Seed")
    let ministries = try JSONDecoder().decode(
        [Ministry].self, from: Data(contentsOf: seed.appendingPathComponent("ministries.json")))
    let folder = seed.appendingPathComponent("procedures")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        .filter { $0.hasSuffix(".jsonl") }.sorted()

    let decoder = JSONDecoder()
    var entries: [CatalogueEntry] = []
    for file in files {
        let stem = String(file.dropLast(".jsonl".count))
        guard let ministry = ministries.first(where: { $0.catalogueFile == stem }) else {
            throw SeedError(description: "\(file): no ministry in ministries.json has catalogueFile \(stem)")
        }
        let data = try Data(contentsOf: folder.appendingPathComponent(file))
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let record = try decoder.decode(PortalProcedureRecord.self, from: Data(line))
            // A record without code or name is skipped by the importer too.
            guard let parsed = try? ProcedureParser.parse(record, managingAgencyCode: ministry.code) else { continue }
            entries.append(CatalogueEntry(parsed.procedure, agencyName: ministry.name))
        }
    }
    guard !entries.isEmpty else {
        throw SeedError(description: "no procedures found under \(folder.path); set MOTCUA_ROOT to the repository")
    }
    return Catalogue(names: entries.map(\.name), entries: entries, index: CatalogueIndex(entries: entries))
}

let benchmarks: @Sendable () -> Void = {
    // Wall clock and throughput are what the targets are about; the malloc count helps explain a change (CPU time
    // is left out: on Linux it ticks in 10 ms steps, coarser than a search). Fixed units, so that runs and
    // benchmarks read alike: microseconds, and throughput in plain iterations per second.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        units: [.throughput: .count],
        warmupIterations: 10,
        maxDuration: .seconds(5),
        maxIterations: 1_000_000
    )

    // (a) One iteration folds all 2,378 procedure names: the work the index build does per name, and that every
    // query does once.
    Benchmark("Fold all procedure names (2,378)") { benchmark, catalogue in
        for name in catalogue.names {
            blackHole(VietnameseText.folded(name))
        }
    } setup: {
        try loadCatalogue()
    }

    // (b) One iteration builds the index over the whole catalogue: what a server does at start and whenever the
    // catalogue changes.
    Benchmark(
        "Build CatalogueIndex (2,378 entries)",
        configuration: .init(warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 200)
    ) { benchmark, catalogue in
        blackHole(CatalogueIndex(entries: catalogue.entries))
    } setup: {
        try loadCatalogue()
    }

    // (c) One iteration is one query of the mix, in turn, 20 results a page (the API's default).
    Benchmark("Search mix (1 query/iteration, per=20)") { benchmark, catalogue in
        let text = searchMix[benchmark.currentIteration % searchMix.count]
        blackHole(catalogue.index.search(CatalogueQuery(text: text, per: 20)))
    } setup: {
        try loadCatalogue()
    }

    // (d) The same mix with a managing-agency filter (Ministry of Finance), as the catalogue page's filter sends.
    Benchmark("Search mix, agency=BTC (1 query/iteration, per=20)") { benchmark, catalogue in
        let text = searchMix[benchmark.currentIteration % searchMix.count]
        blackHole(catalogue.index.search(CatalogueQuery(text: text, agency: "BTC", per: 20)))
    } setup: {
        try loadCatalogue()
    }

    // Each query of the mix alone, shorter runs: which query makes the mix's tail.
    for text in searchMix {
        Benchmark(
            "Search \"\(text)\"",
            configuration: .init(warmupIterations: 5, maxDuration: .seconds(2), maxIterations: 100_000)
        ) { benchmark, catalogue in
            blackHole(catalogue.index.search(CatalogueQuery(text: text, per: 20)))
        } setup: {
            try loadCatalogue()
        }
    }
}
