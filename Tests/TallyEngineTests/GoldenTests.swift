import Foundation
import TallyCore
import TallyEngine
import TallyShell
import XCTest

/// Runs every `Golden/**/*.test` file: each case is a query (statements and dot-commands) and the
/// exact output expected in CSV mode, errors included. `RECORD=1 swift test` rewrites expectations;
/// a case without one is recorded and fails, so nothing passes unseen.
///
///     === revenue by region
///     sales | agg revenue = sum(amount) by region
///     ---
///     region,revenue
///     …
final class GoldenTests: XCTestCase {
    struct Case {
        var name: String
        var query: [String] = []
        var expected: [String] = []
        var hasSeparator = false
    }

    static let demo: Catalog = {
        var c = Catalog()
        for (n, t) in DemoData.generate() { c.add(t, as: n) }
        return c
    }()

    static var goldenDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    static func parse(_ text: String) -> (header: [String], cases: [Case]) {
        var header: [String] = []
        var cases: [Case] = []
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("=== ") {
                cases.append(Case(name: String(line.dropFirst(4))))
            } else if cases.isEmpty {
                header.append(line)
            } else if line == "---", !cases[cases.count - 1].hasSeparator {
                cases[cases.count - 1].hasSeparator = true
            } else if cases[cases.count - 1].hasSeparator {
                cases[cases.count - 1].expected.append(line)
            } else {
                cases[cases.count - 1].query.append(line)
            }
        }
        for i in cases.indices {
            while cases[i].expected.last == "" { cases[i].expected.removeLast() }
            while cases[i].query.last == "" { cases[i].query.removeLast() }
        }
        return (header, cases)
    }

    /// Output of one case in a fresh session: stdout and stderr interleaved as printed.
    static func run(_ query: String) -> String {
        var out = ""
        let shell = Shell(session: Session(catalog: demo), write: { out += $0 }, writeError: { out += $0 })
        shell.mode = .csv
        shell.run(query, name: "<test>")
        return out
    }

    func testGoldenFiles() throws {
        setenv("TALLY_TODAY", "2025-11-15", 1)
        setenv("TALLY_QUERIES", NSTemporaryDirectory() + "tally-golden-queries.tq", 1)
        try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "tally-golden-queries.tq")
        let record = ProcessInfo.processInfo.environment["RECORD"] == "1"
        let files = FileManager.default.enumerator(at: GoldenTests.goldenDirectory, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "test" }.sorted { $0.path < $1.path }
        XCTAssertFalse(files.isEmpty, "no golden files found")
        var total = 0
        let previousDirectory = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(GoldenTests.goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)
        defer { FileManager.default.changeCurrentDirectoryPath(previousDirectory) }
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            var (header, cases) = GoldenTests.parse(text)
            var changed = false
            for i in cases.indices {
                total += 1
                let actual = GoldenTests.run(cases[i].query.joined(separator: "\n"))
                var lines = actual.components(separatedBy: "\n")
                while lines.last == "" { lines.removeLast() }
                let missing = !cases[i].hasSeparator || cases[i].expected.isEmpty
                if lines != cases[i].expected {
                    if record || missing {
                        cases[i].expected = lines
                        cases[i].hasSeparator = true
                        changed = true
                    }
                    if !record {
                        XCTFail("\(file.lastPathComponent): \(cases[i].name)\(missing ? " (no expectation; recorded)" : "")\n--- expected\n\(cases[i].expected.joined(separator: "\n"))\n--- actual\n\(actual)")
                    }
                }
            }
            if changed {
                while header.last == "" { header.removeLast() }
                var out = header.isEmpty ? "" : header.joined(separator: "\n") + "\n\n"
                out += cases.map { c in "=== \(c.name)\n" + c.query.joined(separator: "\n") + "\n---\n" + c.expected.map { $0 + "\n" }.joined() }.joined(separator: "\n")
                try out.write(to: file, atomically: true, encoding: .utf8)
            }
        }
        print("golden cases: \(total)")
    }
}
