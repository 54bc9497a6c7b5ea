import Foundation
import XCTest

/// Every golden case again on a live PostgreSQL server holding seeds/ and the fixtures the cases `.load` (uploaded by
/// `tally upload`; a case's `.load` of an uploaded fixture is dropped, with its `loaded …` line, so the query reads the
/// server's table), run with `--connect`: the output must be the in-memory expectation (numbers equal to 1e-9 relative,
/// as the server adds floats in its own order), or a difference — a refusal naming what PostgreSQL cannot run, or other
/// output — listed with its reason in `Golden/postgres.differences`. A listed case that now matches fails too, so the list only shrinks.
/// The server's URL comes from `TALLY_TEST_POSTGRES` (scripts/test starts one); without it the test is skipped. With
/// `TALLY_TEST_POSTGRES_LOG` (the server's statement log) it also counts the cases that sent SQL to the server.
final class PostgresGoldenTests: XCTestCase {
    static var differencesFile: URL { GoldenTests.goldenDirectory.appendingPathComponent("postgres.differences") }

    /// `file.test: case name` → why it differs on PostgreSQL.
    static func listedDifferences() throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try String(contentsOf: differencesFile, encoding: .utf8).components(separatedBy: "\n") {
            guard !line.hasPrefix("#"), let bar = line.range(of: " | ") else { continue }
            out[String(line[..<bar.lowerBound])] = String(line[bar.upperBound...])
        }
        return out
    }

    func testGoldenFilesOnPostgreSQL() throws {
        guard let url = ProcessInfo.processInfo.environment["TALLY_TEST_POSTGRES"], !url.isEmpty else {
            throw XCTSkip("set TALLY_TEST_POSTGRES to a PostgreSQL URL (scripts/test starts a server and sets it)")
        }
        let fixtures = try PostgresGoldenTests.fixtureFolder()
        defer { try? FileManager.default.removeItem(at: fixtures) }
        for folder in [GoldenTests.repositoryRoot.appendingPathComponent("seeds"), fixtures] {
            let upload = Process()
            upload.executableURL = URL(fileURLWithPath: GoldenTests.binary)
            upload.arguments = ["upload", url, "--from", folder.path]
            try upload.run()
            upload.waitUntilExit()
            XCTAssertEqual(upload.terminationStatus, 0, "tally upload \(folder.path) to \(url)")
        }
        let listed = try PostgresGoldenTests.listedDifferences()
        let all = FileManager.default.enumerator(at: GoldenTests.goldenDirectory, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "test" }.sorted { $0.path < $1.path }
        let (files, _) = GoldenTests.selected(all)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tally-golden-pg-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var (same, refused, different) = (0, 0, 0)
        var seen = Set<String>()
        for file in files {
            let cases = GoldenTests.parse(try String(contentsOf: file, encoding: .utf8)).cases.map(PostgresGoldenTests.readingUploads)
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
                if PostgresGoldenTests.matches(lines, c.expected) {
                    same += 1
                    if listed[key] != nil { XCTFail("\(key) is listed in postgres.differences but now matches: remove it") }
                } else if outputs[i].contains("cannot be compiled to SQL for postgres") {
                    // A refusal is listed like a difference, so that a new one fails until it is.
                    if listed[key] == nil {
                        let message = outputs[i].split(separator: "\n").first { $0.contains("cannot be compiled") } ?? ""
                        XCTFail("\(key) is refused on PostgreSQL and not listed in postgres.differences: \(message)")
                    }
                    refused += 1
                } else if listed[key] != nil {
                    different += 1
                } else {
                    XCTFail("\(key) differs on PostgreSQL\n--- query\n" + c.query.joined(separator: "\n") + "\n--- expected\n"
                            + c.expected.joined(separator: "\n") + "\n--- actual\n" + outputs[i])
                }
            }
        }
        if ProcessInfo.processInfo.environment["GOLDEN"] == nil {
            for key in listed.keys where !seen.contains(key) { XCTFail("postgres.differences lists `\(key)`, which is no golden case") }
        }
        let log = ProcessInfo.processInfo.environment["TALLY_TEST_POSTGRES_LOG"].flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        // A case's own statements, not the catalog query and settings every connection sends.
        let sent = log.map { text in Set(text.split(separator: "\n").compactMap { line -> Substring? in
            guard line.hasPrefix("golden-"), line.contains("statement: WITH ") || line.contains("statement: SELECT "),
                  !line.contains("statement: SELECT c.relname"), !line.contains("statement: SELECT version()") else { return nil }
            return line.split(separator: "|").first
        }).count }
        print("golden cases on PostgreSQL: \(same) identical, \(refused) refused, \(different) listed differences, of \(same + refused + different)"
              + (sent.map { "; \($0) sent SQL to the server" } ?? ""))
    }

    /// The fixtures that golden cases `.load` into tables (not those whose loading is the error a case expects), in a
    /// folder of files named after the tables they become.
    static func fixtureFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tally-pg-fixtures-\(getpid())")
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
