import Foundation
import XCTest

/// Every golden case on a live database holding seeds/ and the fixtures the cases `.load` (uploaded by `tally upload`; a
/// case's `.load` of an uploaded fixture is dropped, with its `loaded …` line, so the query reads the server's table), run
/// with `--connect`: the output must be the in-memory expectation (numbers equal to 1e-9 relative, as the server adds
/// floats in its own order), or a difference — a refusal naming what the engine cannot run, or other output — listed with
/// its reason in `Golden/DIALECT.differences`. A listed case that now matches fails too, so the list only shrinks.
/// Where the pipeline defines no order the rows are compared as a multiset: a case that reads a table without a key
/// (whose rows come in the engine's order), or one Tally warned depends on the engine's order (the warning is dropped).
struct DatabaseGoldenSuite {
    /// The SQL dialect's name, as refusals spell it (`postgres`, `spark`).
    let dialect: String
    /// The engine's name, for messages.
    let engine: String
    let url: String

    var differencesFile: URL { GoldenTests.goldenDirectory.appendingPathComponent("\(dialect).differences") }

    /// How the cases came out.
    struct Counts {
        var same = 0, sameRows = 0, refused = 0, different = 0
        let engine: String
        var summary: String {
            "golden cases on \(engine): \(same) identical, \(sameRows) with the same rows in an order the pipeline leaves open, "
                + "\(refused) refused, \(different) listed differences, of \(same + sameRows + refused + different)"
        }
    }

    /// `file.test: case name` → why it differs on this engine.
    func listedDifferences() throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try String(contentsOf: differencesFile, encoding: .utf8).components(separatedBy: "\n") {
            guard !line.hasPrefix("#"), let bar = line.range(of: " | ") else { continue }
            out[String(line[..<bar.lowerBound])] = String(line[bar.upperBound...])
        }
        return out
    }

    /// Uploads the data, runs every selected case (`GOLDEN` selects as for the in-memory run) and fails each unlisted
    /// difference.
    func run() throws -> Counts {
        let fixtures = try DatabaseGoldenSuite.fixtureFolder()
        defer { try? FileManager.default.removeItem(at: fixtures) }
        for folder in [GoldenTests.repositoryRoot.appendingPathComponent("seeds"), fixtures] {
            let upload = Process()
            upload.executableURL = URL(fileURLWithPath: GoldenTests.binary)
            upload.arguments = ["upload", url, "--from", folder.path]
            try upload.run()
            upload.waitUntilExit()
            XCTAssertEqual(upload.terminationStatus, 0, "tally upload \(folder.path) to \(url)")
        }
        let listed = try listedDifferences()
        let all = FileManager.default.enumerator(at: GoldenTests.goldenDirectory, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "test" }.sorted { $0.path < $1.path }
        let (files, _) = GoldenTests.selected(all)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tally-golden-\(dialect)-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var counts = Counts(engine: engine)
        var seen = Set<String>()
        let refusal = "cannot be compiled to SQL for \(dialect)"
        for file in files {
            let cases = GoldenTests.parse(try String(contentsOf: file, encoding: .utf8)).cases.map(DatabaseGoldenSuite.readingUploads)
            var outputs = [String](repeating: "", count: cases.count)
            let lock = NSLock()
            let tag = file.deletingPathExtension().lastPathComponent
            DispatchQueue.concurrentPerform(iterations: cases.count) { i in
                let out = GoldenTests.run(cases[i].query.joined(separator: "\n"), queriesFile: scratch.appendingPathComponent("q\(i).tq").path,
                                          data: nil, connect: url, applicationName: "golden-\(tag)-\(i)")
                lock.lock()
                outputs[i] = out
                lock.unlock()
            }
            for (i, c) in cases.enumerated() {
                let key = "\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent): \(c.name)"
                seen.insert(key)
                var lines = outputs[i].components(separatedBy: "\n")
                while lines.last == "" { lines.removeLast() }
                let (kept, warned) = DatabaseGoldenSuite.withoutOrderWarnings(lines)
                let orderIsOpen = warned || DatabaseGoldenSuite.readsTableWithoutKey(c.query)
                if DatabaseGoldenSuite.matches(kept, c.expected) || orderIsOpen && DatabaseGoldenSuite.matches(kept.sorted(), c.expected.sorted()) {
                    if DatabaseGoldenSuite.matches(kept, c.expected) { counts.same += 1 } else { counts.sameRows += 1 }
                    if listed[key] != nil { XCTFail("\(key) is listed in \(dialect).differences but now matches: remove it") }
                } else if outputs[i].contains(refusal) {
                    // A refusal is listed like a difference, so that a new one fails until it is.
                    if listed[key] == nil {
                        let message = outputs[i].split(separator: "\n").first { $0.contains("cannot be compiled") } ?? ""
                        XCTFail("\(key) is refused on \(engine) and not listed in \(dialect).differences: \(message)")
                    }
                    counts.refused += 1
                } else if listed[key] != nil {
                    counts.different += 1
                } else {
                    XCTFail("\(key) differs on \(engine)\n--- query\n" + c.query.joined(separator: "\n") + "\n--- expected\n"
                            + c.expected.joined(separator: "\n") + "\n--- actual\n" + outputs[i])
                }
            }
        }
        if ProcessInfo.processInfo.environment["GOLDEN"] == nil {
            for key in listed.keys where !seen.contains(key) { XCTFail("\(dialect).differences lists `\(key)`, which is no golden case") }
        }
        return counts
    }

    /// The fixtures that golden cases `.load` into tables (not those whose loading is the error a case expects), in a
    /// folder of files named after the tables they become.
    static func fixtureFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tally-db-fixtures-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = GoldenTests.goldenDirectory.deletingLastPathComponent().appendingPathComponent("Fixtures")
        for (file, table) in uploadedFixtures {
            let ext = URL(fileURLWithPath: file).pathExtension
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent("\(table).\(ext)"))
        }
        return folder
    }

    /// Fixture file and the table it becomes, as the golden cases load them.
    static let uploadedFixtures: [(String, String)] = [("tiny.csv", "tiny"), ("tiny.csv", "t2"), ("quoted.csv", "quoted"),
                                                       ("widen.csv", "widen"), ("pairs.tsv", "kv")]

    /// A case whose `.load` of an uploaded fixture is blanked (keeping the lines' numbers) and the `loaded NAME: …` line it
    /// prints dropped, so it reads the server's table of that name.
    static func readingUploads(_ c: GoldenTests.Case) -> GoldenTests.Case {
        var out = c
        for line in c.query where line.hasPrefix(".load Tests/TallyEngineTests/Fixtures/") {
            let words = line.split(separator: " ").map(String.init)
            let file = URL(fileURLWithPath: words[1]).lastPathComponent
            let table = words.count == 4 && words[2] == "as" ? words[3] : URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            guard words.count == 2 || words.count == 4, uploadedFixtures.contains(where: { $0 == (file, table) }) else { continue }
            out.query = out.query.map { $0 == line ? "" : $0 }
            if let i = out.expected.firstIndex(where: { $0.hasPrefix("loaded \(table): ") }) { out.expected.remove(at: i) }
        }
        return out
    }

    /// The uploaded tables without a key, whose rows come in the engine's order (`LoadOrderKeyTests` checks that `targets`
    /// and `trainings` have none; the fixtures all have one).
    static let tablesWithoutKey = ["targets", "trainings"]

    /// Whether a case's lines, or the saved queries it `.run`s, name a table without a key.
    static func readsTableWithoutKey(_ query: [String]) -> Bool {
        let examples = GoldenTests.repositoryRoot.appendingPathComponent("examples")
        let text = query.map { line in
            guard line.hasPrefix(".run "), let name = line.split(separator: " ").dropFirst().first else { return line }
            return (try? String(contentsOf: examples.appendingPathComponent("\(name).tq"), encoding: .utf8)) ?? line
        }
        return tablesWithoutKey.contains { table in text.contains { $0.contains(table) } }
    }

    /// Output lines without the warnings that an answer depends on the engine's row order (each a `warning:` line and its
    /// indented source, caret and hint lines), and whether there was one.
    static func withoutOrderWarnings(_ lines: [String]) -> (lines: [String], warned: Bool) {
        var kept: [String] = [], warned = false, inWarning = false
        for line in lines {
            if line.contains(": warning: "), line.contains("depends on the database's order") {
                warned = true
                inWarning = true
                continue
            }
            if inWarning, line.hasPrefix("  ") { continue }
            inWarning = false
            kept.append(line)
        }
        return (kept, warned)
    }

    /// Whether output lines are the expected ones, numbers allowed 1e-9 relative difference.
    static func matches(_ actual: [String], _ expected: [String]) -> Bool {
        guard actual.count == expected.count else { return false }
        for (a, e) in zip(actual, expected) where a != e {
            let x = a.split(separator: ",", omittingEmptySubsequences: false), y = e.split(separator: ",", omittingEmptySubsequences: false)
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) where u != v {
                guard let p = Double(u), let q = Double(v), abs(p - q) <= 1e-9 * max(abs(p), abs(q)) else { return false }
            }
        }
        return true
    }
}
