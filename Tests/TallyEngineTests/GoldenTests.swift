import Foundation
import XCTest

/// Runs every `Golden/**/*.test` file through the real `tally` binary, one process per case, so that a
/// crash in one case is reported as that case's failure and cannot hide the others. Each case is a query
/// (statements and dot-commands, run as `tally --format csv -c QUERY`) and the exact output expected,
/// standard output and errors together:
///
///     === revenue by region
///     sales | agg revenue = sum(amount) by region
///     ---
///     region,revenue
///     …
///
/// A failure is reported as `path:line` of the case's `===` line, with its query and both outputs.
/// `GOLDEN=errors/nulls.test` runs one file; `GOLDEN=errors/nulls.test:12` runs the case at (or around)
/// line 12. `RECORD=1` rewrites expectations; a case without one is recorded and fails, so nothing passes unseen.
/// The same cases run again over copies of seeds/ (the demo data as files) written by `tally convert` as Parquet and as
/// Excel workbooks, loaded with `--data`: every format must give the same answers.
final class GoldenTests: XCTestCase {
    struct Case {
        var name: String
        var line: Int
        var query: [String] = []
        var expected: [String] = []
        var hasSeparator = false
    }

    static var goldenDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    static var repositoryRoot: URL {
        goldenDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `tally` built beside the test bundle.
    static var binary: String {
        URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().appendingPathComponent("tally").path
    }

    static func parse(_ text: String) -> (header: [String], cases: [Case]) {
        var header: [String] = []
        var cases: [Case] = []
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("=== ") {
                cases.append(Case(name: String(line.dropFirst(4)), line: number + 1))
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

    /// Output of one case in a fresh process: standard output and errors interleaved as printed, or why it died.
    static func run(_ query: String, queriesFile: String, data: String?, connect: String? = nil, applicationName: String? = nil) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = (data.map { ["--data", $0] } ?? []) + (connect.map { ["--connect", $0] } ?? []) + ["--format", "csv", "-c", query]
        process.currentDirectoryURL = repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["TALLY_TODAY"] = "2025-11-15"
        env["TALLY_QUERIES"] = queriesFile
        env["NO_COLOR"] = "1"
        env["TALLY_CONNECT"] = nil
        env["PGAPPNAME"] = applicationName
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return "could not start \(binary): \(error)" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var out = String(decoding: data, as: UTF8.self)
        if process.terminationReason == .uncaughtSignal { out = "CRASHED (signal \(process.terminationStatus))\n" + out }
        return out
    }

    /// The files and cases `GOLDEN` selects (all without it).
    static func selected(_ files: [URL]) -> (files: [URL], line: Int?) {
        guard let spec = ProcessInfo.processInfo.environment["GOLDEN"], !spec.isEmpty else { return (files, nil) }
        let parts = spec.split(separator: ":")
        let chosen = files.filter { $0.path.hasSuffix("/" + parts[0]) }
        return (chosen, parts.count > 1 ? Int(parts[1]) : nil)
    }

    func testGoldenFiles() throws {
        try runGoldenFiles(data: nil, record: ProcessInfo.processInfo.environment["RECORD"] == "1")
    }

    func testGoldenFilesOverParquetCopies() throws {
        try runGoldenFiles(data: try GoldenTests.seedCopies(as: "parquet"), record: false)
    }

    func testGoldenFilesOverExcelCopies() throws {
        try runGoldenFiles(data: try GoldenTests.seedCopies(as: "xlsx"), record: false)
    }

    /// A folder of seeds/ tables converted by `tally convert` to the given extension (`runGoldenFiles` removes it).
    static func seedCopies(as ext: String) throws -> String {
        let seeds = repositoryRoot.appendingPathComponent("seeds")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seeds-as-\(ext)-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: seeds.path) where file.hasSuffix(".csv") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["convert", seeds.appendingPathComponent(file).path, folder.appendingPathComponent(file.dropLast(4) + "." + ext).path]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "tally convert \(file) to .\(ext)")
        }
        return folder.path
    }

    /// Runs the golden files (all, or those `GOLDEN` names) with `--data data`, or over the demo data.
    func runGoldenFiles(data: String?, record: Bool) throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: GoldenTests.binary), "build the tally binary first (swift build): \(GoldenTests.binary)")
        defer { if let data { try? FileManager.default.removeItem(atPath: data) } }
        let all = FileManager.default.enumerator(at: GoldenTests.goldenDirectory, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "test" }.sorted { $0.path < $1.path }
        let (files, line) = GoldenTests.selected(all)
        XCTAssertFalse(files.isEmpty, "no golden files found (GOLDEN=\(ProcessInfo.processInfo.environment["GOLDEN"] ?? ""))")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tally-golden-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var total = 0
        for file in files {
            var (header, cases) = GoldenTests.parse(try String(contentsOf: file, encoding: .utf8))
            let chosen = cases.indices.filter { i in
                guard let line else { return true }
                let end = i + 1 < cases.count ? cases[i + 1].line : Int.max
                return cases[i].line <= line && line < end
            }
            var outputs = [String](repeating: "", count: cases.count)
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: chosen.count) { k in
                let i = chosen[k]
                let out = GoldenTests.run(cases[i].query.joined(separator: "\n"), queriesFile: scratch.appendingPathComponent("q\(i).tq").path, data: data)
                lock.lock()
                outputs[i] = out
                lock.unlock()
            }
            var changed = false
            let relative = file.path.replacingOccurrences(of: GoldenTests.repositoryRoot.path + "/", with: "")
            for i in chosen {
                total += 1
                var lines = outputs[i].components(separatedBy: "\n")
                while lines.last == "" { lines.removeLast() }
                let missing = !cases[i].hasSeparator || cases[i].expected.isEmpty
                guard lines != cases[i].expected else { continue }
                if data == nil, record || missing {
                    cases[i].expected = lines
                    cases[i].hasSeparator = true
                    changed = true
                }
                if !record {
                    let over = data.map { " (over \(URL(fileURLWithPath: $0).lastPathComponent))" } ?? ""
                    XCTFail("\(relative):\(cases[i].line): \(cases[i].name)\(over)\(missing ? " (no expectation; recorded)" : "")\n--- query\n"
                            + cases[i].query.joined(separator: "\n") + "\n--- expected\n" + cases[i].expected.joined(separator: "\n")
                            + "\n--- actual\n" + outputs[i])
                }
            }
            if changed {
                while header.last == "" { header.removeLast() }
                var out = header.isEmpty ? "" : header.joined(separator: "\n") + "\n\n"
                out += cases.map { c in "=== \(c.name)\n" + c.query.joined(separator: "\n") + "\n---\n" + c.expected.map { $0 + "\n" }.joined() }
                    .joined(separator: "\n")
                try out.write(to: file, atomically: true, encoding: .utf8)
            }
        }
        print("golden cases\(data.map { " over \(URL(fileURLWithPath: $0).lastPathComponent)" } ?? ""): \(total)")
    }
}
