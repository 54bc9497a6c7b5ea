import Foundation
import XCTest

/// Every golden case again on a live PostgreSQL server holding seeds/ (uploaded by `tally upload`), run with
/// `--connect`: the output must be the in-memory expectation (numbers equal to 1e-9 relative, as the server adds floats in
/// its own order), or a refusal naming what PostgreSQL cannot run, or a difference listed with its reason in
/// `Golden/postgres.differences`. A listed case that now matches fails too, so the list only shrinks.
/// The server's URL comes from `TALLY_TEST_POSTGRES` (scripts/test starts one); without it the test is skipped.
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
        let upload = Process()
        upload.executableURL = URL(fileURLWithPath: GoldenTests.binary)
        upload.arguments = ["upload", url, "--data", GoldenTests.repositoryRoot.appendingPathComponent("seeds").path]
        try upload.run()
        upload.waitUntilExit()
        XCTAssertEqual(upload.terminationStatus, 0, "tally upload seeds/ to \(url)")
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
            let (_, cases) = GoldenTests.parse(try String(contentsOf: file, encoding: .utf8))
            var outputs = [String](repeating: "", count: cases.count)
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: cases.count) { i in
                let out = GoldenTests.run(cases[i].query.joined(separator: "\n"), queriesFile: scratch.appendingPathComponent("q\(i).tq").path,
                                          data: nil, connect: url)
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
        print("golden cases on PostgreSQL: \(same) identical, \(refused) refused, \(different) listed differences, of \(same + refused + different)")
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
