#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import TallyShell
import XCTest

/// The `tally` binary as scripts and new users call it: help and version, saved queries found from any
/// folder, and settings from the environment.
final class CommandLineTests: XCTestCase {
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs the built `tally` with `arguments`, in `folder`, with `environment` added to a minimal one.
    func tally(_ arguments: [String], in folder: String? = nil, environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TerminalSessionTests.binary)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": scratch, "LANG": "C.UTF-8"].merging(environment) { _, new in new }
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
    }

    var scratch = ""

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TerminalSessionTests.binary), "build the tally binary first (swift build)")
        scratch = NSTemporaryDirectory() + "tally-cli-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    func testUnderSafeATableFileLinkingOutsideTheDataFolderIsRefused() throws {
        let data = scratch + "/data", outside = scratch + "/outside"
        for folder in [data, outside, data + "/parts"] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try "k,v\n1,2\n".write(toFile: outside + "/secret.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: data + "/secret.csv", withDestinationPath: outside + "/secret.csv")
        let linked = try tally(["--safe", "--data", data, "-c", "secret | count"])
        XCTAssertEqual(linked.status, 1)
        XCTAssertTrue(linked.errors.contains("links outside the data folder, which --safe forbids"), linked.errors)
        XCTAssertFalse(linked.output.contains("n"), "nothing of the file is shown")
        XCTAssertEqual(try tally(["--data", data, "--format", "csv", "-c", "secret | count"]).output, "n\n1\n", "without --safe a link is followed")
        // A part of a Parquet part folder, linked outside.
        try FileManager.default.removeItem(atPath: data + "/secret.csv")
        let parquet = outside + "/p.parquet"
        XCTAssertEqual(try tally(["convert", outside + "/secret.csv", parquet]).status, 0)
        try FileManager.default.createSymbolicLink(atPath: data + "/parts/part-0.parquet", withDestinationPath: parquet)
        let part = try tally(["--safe", "--data", data, "-c", "parts | count"])
        XCTAssertEqual(part.status, 1)
        XCTAssertTrue(part.errors.contains("part-0.parquet") && part.errors.contains("links outside the data folder"), part.errors)
    }

    func testControlCharactersInHelpTopicsAndPlansAreShownNotSent() throws {
        let help = try tally(["-c", ".help a\u{1B}[2J"])
        XCTAssertTrue(help.errors.contains("no help for `a\\x1b[2J`"), help.errors)
        let explain = try tally(["-c", ".explain sales | where region == \"a\u{1B}]0;owned\u{07}b\""])
        XCTAssertTrue(explain.output.contains(#"filter region == "a\x1b]0;owned\x07b""#), explain.output)
        for text in [help.output, help.errors, explain.output, explain.errors] {
            XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, text)
        }
        // To a pipe, .sql stays the SQL to run, as `tally sql` does.
        let sql = try tally(["-c", ".sql duckdb sales | where region == \"a\u{1B}b\" | count"])
        XCTAssertTrue(sql.output.contains("(region = 'a\u{1B}b')"), sql.output)
    }

    func testAReportNamesItsScriptNotTheFoldersItSitsIn() throws {
        let root = DocumentedQueriesTests.root.path
        let page = scratch + "/report.html"
        XCTAssertEqual(try tally(["report", root + "/examples/revenue_vs_target.tq", "-o", page], in: scratch).status, 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("<p class=\"meta\">revenue_vs_target.tq"), html)
        XCTAssertFalse(html.contains(root), "the author's folders are not in the page")
    }

    func testAnInstalledBinaryFindsItsExamplesCompletionsAndManPage() throws {
        let root = DocumentedQueriesTests.root.path, prefix = scratch + "/prefix"
        let install = Process()
        install.executableURL = URL(fileURLWithPath: root + "/scripts/install")
        install.arguments = [prefix, "--binary", TerminalSessionTests.binary]
        install.standardOutput = FileHandle.nullDevice
        try install.run()
        install.waitUntilExit()
        XCTAssertEqual(install.terminationStatus, 0)
        for file in ["bin/tally", "share/tally/examples/revenue_vs_target.tq", "share/bash-completion/completions/tally",
                     "share/zsh/site-functions/_tally", "share/fish/vendor_completions.d/tally.fish"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/" + file), file)
        }
        let manual = try String(contentsOfFile: prefix + "/share/man/man1/tally.1", encoding: .utf8)
        XCTAssertTrue(manual.contains(".TH TALLY \"1\"") && manual.contains("tally report"), manual)
        // Run from a folder with no examples, away from the source tree: the installed examples are found.
        let away = scratch + "/away"
        try FileManager.default.createDirectory(atPath: away, withIntermediateDirectories: true)
        let run = Process()
        run.executableURL = URL(fileURLWithPath: prefix + "/bin/tally")
        run.arguments = ["--format", "csv", "-c", ".run new_customers_vs_goal month=2025-06"]
        run.currentDirectoryURL = URL(fileURLWithPath: away)
        run.environment = ["PATH": "/usr/bin:/bin", "HOME": scratch]
        let out = Pipe()
        run.standardOutput = out
        try run.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        XCTAssertEqual(run.terminationStatus, 0)
        XCTAssertTrue(output.hasPrefix("channel,new_customers,goal,attainment,gap\npartner,9,10,90.0,1\n"), output)
    }

    func testAReportShowsTheParametersEachStatementRanWith() throws {
        let root = DocumentedQueriesTests.root.path
        let script = scratch + "/two_quarters.tq", page = scratch + "/two_quarters.html"
        let text = "-- Two quarters\nparam m = 2025-06\n.run new_customers_vs_goal month=$m\n.run new_customers_vs_goal month=2025-11\n"
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(try tally(["report", script, "-o", page], in: root).status, 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        // The goal is 10 for both statements: the header says so once. The months differ: each statement shows its own.
        XCTAssertTrue(html.contains("<p class=\"meta\">two_quarters.tq · <code>goal = 10</code></p>"), html)
        XCTAssertTrue(html.contains("</pre>\n<p class=\"meta\"><code>month = 2025-06</code></p>"), html)
        XCTAssertTrue(html.contains("</pre>\n<p class=\"meta\"><code>month = 2025-11</code></p>"), html)
    }

    /// A parameter declared as a percentage shows as one (given values too), and a warning stands above its numbers.
    func testAReportShowsPercentagesAsWrittenAndWarningsBesideTheNumbers() throws {
        let root = DocumentedQueriesTests.root.path
        let script = scratch + "/scale.tq", page = scratch + "/scale.html"
        let text = "-- Satisfaction\nparam lift = 5%\nreviews | agg c = csat(rating * 2), l = count() * $lift\n"
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(try tally(["report", script, "--param", "lift=12.5%", "-o", page], in: root).status, 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("<code>lift = 12.5%</code>"), html)
        let warning = try XCTUnwrap(html.range(of: "csat reads ratings on the 1–5 scale")), table = try XCTUnwrap(html.range(of: "<table"))
        XCTAssertLessThan(warning.lowerBound, table.lowerBound, "the warning comes before the numbers it qualifies")
    }

    /// Control characters from a file's header, its cells, a script's title or a file name reach neither a page nor the
    /// terminal raw: pages show them escaped (and stay well-formed), messages too.
    func testControlCharactersReachNoPageAndNoMessageRaw() throws {
        let root = DocumentedQueriesTests.root.path
        let csv = scratch + "/esc.csv", script = scratch + "/esc.tq", page = scratch + "/esc.html"
        try "id,\"\u{1B}[2Jbad\u{07}name\"\n1,2\n".write(toFile: csv, atomically: true, encoding: .utf8)
        try "-- Hostile \u{1B}[2J title\u{07}\n.load \(csv)\nesc | derive t = \"a\u{07}b\u{9B}c\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(try tally(["report", script, "-o", page], in: root).status, 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let raw = html.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) }
        XCTAssertEqual(raw.count, 0, "raw control characters in the page: \(raw.map { String($0.value, radix: 16) })")
        XCTAssertTrue(html.contains("Hostile \\x1b[2J title\\x07"), html)
        let missing = try tally(["-c", ".load \(scratch)/\u{1B}[31mnope.csv"], in: root)
        XCTAssertEqual(missing.status, 1)
        XCTAssertFalse(missing.errors.contains("\u{1B}"), missing.errors)
        XCTAssertTrue(missing.errors.contains("\\x1b[31mnope.csv"), missing.errors)
    }

    func testSubcommandsThatWriteRefuseSafeRatherThanIgnoreIt() throws {
        let root = DocumentedQueriesTests.root.path
        let out = scratch + "/written"
        let refused: [(String, [String])] = [("convert", ["convert", "\(root)/seeds/targets.csv", out + ".csv"]),
                                            ("pack", ["pack", "\(root)/seeds", "-o", out + ".tally"]),
                                            ("report", ["report", "revenue_vs_target", "-o", out + ".html"]),
                                            ("gen", ["gen", "--out", out]),
                                            ("upload", ["upload", "postgresql://nobody@127.0.0.1:1/none"])]
        for (command, arguments) in refused {
            for placed in [arguments + ["--safe"], ["--safe"] + arguments] {
                let outcome = try tally(placed, in: root)
                XCTAssertEqual(outcome.status, 2, "\(placed): \(outcome.errors)")
                XCTAssertTrue(outcome.errors.contains("`tally \(command)`") && outcome.errors.contains("which --safe forbids"), outcome.errors)
            }
        }
        let written = (try? FileManager.default.contentsOfDirectory(atPath: scratch).filter { $0.hasPrefix("written") }) ?? []
        XCTAssertEqual(written, [], "nothing was written")
    }

    func testAPasswordInAURLIsNeverPrinted() throws {
        // Refused before a server is reached: a port that is no number, a bracket never closed, another database, a
        // password libpq splits at its `@`.
        for url in ["postgresql://alice:S3cr3t@127.0.0.1:notaport/tally", "postgresql://alice:S3cr3t@[::1/tally", "mysql://alice:S3cr3t@host/db",
                    "postgresql://alice:p@S3cr3t@127.0.0.1:1/tally"] {
            let outcome = try tally(["--connect", url, "-c", "sales | count"])
            XCTAssertEqual(outcome.status, 1, url)
            XCTAssertFalse((outcome.output + outcome.errors).contains("S3cr3t"), outcome.errors)
            XCTAssertTrue(outcome.errors.contains("alice"), "the user is still named: \(outcome.errors)")
        }
        let dot = try tally(["-c", ".connect postgresql://alice:S3cr3t@127.0.0.1:notaport/tally"])
        XCTAssertFalse(dot.errors.contains("S3cr3t"), dot.errors)
        XCTAssertTrue(dot.errors.contains(".connect postgresql://alice:***@127.0.0.1:notaport/tally"), dot.errors)
    }

    func testHelpListsQueryAndScriptOptionsAndVersion() throws {
        let help = try tally(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.output.contains("-c <query>"), help.output)
        XCTAssertTrue(help.output.contains("-f <file>"), help.output)
        XCTAssertTrue(help.output.contains("--param <name=value>"), help.output)
        let version = try tally(["--version"])
        XCTAssertEqual(version.output.trimmingCharacters(in: .whitespacesAndNewlines), TallyVersion.current)
    }

    func testExamplesAreFoundFromAnyFolder() throws {
        let run = try tally(["--format", "csv", "-c", ".run win_rate"], in: scratch)
        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertTrue(run.output.hasPrefix("rep,won,lost,win_rate"), run.output)
        let list = try tally(["--format", "csv", "-c", ".queries"], in: scratch)
        XCTAssertTrue(list.output.contains("\nwin_rate,example,"), list.output)
    }

    func testTallyPathComesFirst() throws {
        let folder = scratch + "/mine"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "-- my own win rate\nsales | where region == \"East\" | count\n".write(toFile: folder + "/win_rate.tq", atomically: true, encoding: .utf8)
        let run = try tally(["--format", "csv", "-c", ".run win_rate"], in: scratch, environment: ["TALLY_PATH": "/nonexistent:" + folder])
        XCTAssertEqual(run.output, "n\n4104\n", run.errors)
        let list = try tally(["--format", "csv", "-c", ".queries"], in: scratch, environment: ["TALLY_PATH": folder])
        XCTAssertTrue(list.output.contains("\nwin_rate,example,my own win rate\n"), list.output)
    }

    func testParametersAreCheckedByNameAndType() throws {
        let typo = try tally(["--param", "top_rat=9%", "--param", "quarter=2025-Q2", "-c", ".run win_rate"], in: scratch)
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.errors.contains("unknown parameter `top_rat` (--param); it takes: quarter"), typo.errors)
        XCTAssertEqual(typo.output, "")
        let month = try tally(["--param", "month=2025-13", "-f", "examples/best_customers.tq"], in: DocumentedQueriesTests.root.path)
        XCTAssertEqual(month.status, 1)
        XCTAssertTrue(month.errors.contains("parameter month takes a period (like its default 2025-11), but was given `2025-13`"), month.errors)
        let number = try tally(["--param", "n=abc", "-f", "examples/best_customers.tq"], in: DocumentedQueriesTests.root.path)
        XCTAssertTrue(number.errors.contains("parameter n takes an int (like its default 15), but was given `abc`"), number.errors)
        let fine = try tally(["--format", "csv", "--param", "n=2", "--param", "month=2025-10", "-f", "examples/best_customers.tq"],
                             in: DocumentedQueriesTests.root.path)
        XCTAssertEqual(fine.status, 0, fine.errors)
        XCTAssertEqual(fine.output.split(separator: "\n").count, 3, fine.output)
    }

    func testEveryExampleRendersToASelfContainedReport() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: DocumentedQueriesTests.root.path + "/examples").filter { $0.hasSuffix(".tq") }
        XCTAssertGreaterThan(examples.count, 30)
        var charts = 0
        for file in examples.sorted() {
            let name = String(file.dropLast(3)), page = scratch + "/\(name).html"
            let run = try tally(["report", name, "-o", page], in: scratch, environment: ["TALLY_TODAY": "2025-11-15"])
            XCTAssertEqual(run.status, 0, "\(name): \(run.errors)")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            let parser = XMLParser(data: Data(html.utf8))
            XCTAssertTrue(parser.parse(), "\(name).html is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
            let script = try String(contentsOfFile: DocumentedQueriesTests.root.path + "/examples/\(file)", encoding: .utf8)
            // The title is the comment's first sentence, whole: never a line cut mid-phrase.
            let title = html.components(separatedBy: "<h1>").dropFirst().first?.components(separatedBy: "</h1>").first ?? ""
            let comment = script.components(separatedBy: "\n").prefix { $0.hasPrefix("--") }.map { $0.dropFirst(2).trimmingCharacters(in: .whitespaces) }
            XCTAssertTrue(comment.joined(separator: " ").replacingOccurrences(of: "&", with: "&amp;").hasPrefix(title), "\(name): \(title)")
            XCTAssertTrue(title.hasSuffix(".") || title.hasSuffix("?") || comment.contains(title), "\(name): \(title) is cut mid-phrase")
            XCTAssertFalse(html.contains("<script"), name)
            let outside = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                .replacingOccurrences(of: "http://www.w3.org/1999/xhtml", with: "")
            XCTAssertFalse(outside.contains("http://") || outside.contains("https://") || outside.contains("url("), "\(name) refers outside itself")
            XCTAssertTrue(html.contains("@media print"), name)
            if script.contains("| chart ") {
                charts += 1
                XCTAssertTrue(html.contains("<svg"), "\(name) ends in a chart but its report has none")
            }
        }
        XCTAssertGreaterThanOrEqual(charts, 4)
    }

    func testReportNeedsItsScriptAndTakesParameters() throws {
        let missing = try tally(["report", "no_such_example", "-o", scratch + "/x.html"], in: scratch)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.errors.contains("no script, example or saved query named `no_such_example`"), missing.errors)
        let typo = try tally(["report", "win_rate", "--param", "quartr=2025-Q1", "-o", scratch + "/x.html"], in: scratch)
        XCTAssertEqual(typo.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/x.html"))
        let fine = try tally(["report", "win_rate", "--param", "quarter=2025-Q1", "-o", scratch + "/x.html"], in: scratch)
        XCTAssertEqual(fine.status, 0, fine.errors)
        let html = try String(contentsOfFile: scratch + "/x.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<code>quarter = 2025-Q1</code>"), html)
    }

    func testControlCharactersNeverReachTheTerminal() throws {
        let fixture = DocumentedQueriesTests.root.path + "/Tests/TallyEngineTests/Fixtures/hostile.csv"
        for mode in ["table", "line", "markdown"] {
            let shown = try tally(["--format", mode, "-c", ".load \(fixture)\nhostile"], in: scratch)
            XCTAssertEqual(shown.status, 0, shown.errors)
            XCTAssertFalse(shown.output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }, "\(mode): \(shown.output)")
            XCTAssertTrue(shown.output.contains("\\x1b]0;pwned\\x07\\x1b[2J"), "\(mode): \(shown.output)")
            XCTAssertTrue(shown.output.contains("abc\\u{202e}def"), "\(mode): \(shown.output)")
        }
        let error = try tally(["-c", "sales | where \u{1B}]0;pwned\u{07} > 1"], in: scratch)
        XCTAssertEqual(error.status, 1)
        XCTAssertFalse(error.errors.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, error.errors)
        XCTAssertTrue(error.errors.contains("\\x1b"), error.errors)
        let lines = error.errors.components(separatedBy: "\n")
        let caret = lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("^") }!
        XCTAssertEqual(caret.firstIndex(of: "^")!.utf16Offset(in: caret), lines[1].range(of: "\\x1b")!.lowerBound.utf16Offset(in: lines[1]),
                       "the caret points at the escaped character:\n\(error.errors)")
    }

    func testDataFolderRefusesFifosAndNamesThatClash() throws {
        let folder = scratch + "/data"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "a\n1\n".write(toFile: folder + "/a b.csv", atomically: true, encoding: .utf8)
        try "a\n2\n".write(toFile: folder + "/a_b.csv", atomically: true, encoding: .utf8)
        let clash = try tally(["--data", folder, "-c", ".tables"])
        XCTAssertEqual(clash.status, 1)
        XCTAssertTrue(clash.errors.contains("this file and `a b.csv` would both be table `a_b`"), clash.errors)
        try FileManager.default.removeItem(atPath: folder + "/a_b.csv")
        XCTAssertEqual(mkfifo(folder + "/f.csv", 0o600), 0)
        let fifo = try tally(["--data", folder, "-c", ".tables"])
        XCTAssertEqual(fifo.status, 1)
        XCTAssertTrue(fifo.errors.contains("f.csv: error: not a regular file"), fifo.errors)
        let load = try tally(["-c", ".load \(folder)/f.csv"])
        XCTAssertEqual(load.status, 1)
        XCTAssertTrue(load.errors.contains("not a regular file"), load.errors)
        try FileManager.default.removeItem(atPath: folder + "/f.csv")
        try "a\n3\n".write(toFile: folder + "/..csv", atomically: true, encoding: .utf8)
        let unnamed = try tally(["--data", folder, "-c", ".tables"])
        XCTAssertTrue(unnamed.errors.contains("no table name can be made from this file name"), unnamed.errors)
    }

    func testSafeModeReadsNoFileOutsideTheDataAndScriptFolders() throws {
        try "root:x:0:0:secret\n".write(toFile: scratch + "/passwd", atomically: true, encoding: .utf8)
        for command in [".read \(scratch)/passwd", ".run \(scratch)/passwd"] {
            let run = try tally(["--safe", "-c", command], in: scratch)
            XCTAssertEqual(run.status, 1, command)
            XCTAssertTrue(run.errors.contains("--safe:"), run.errors)
            XCTAssertFalse(run.errors.contains("root:x"), "\(command) showed the file: \(run.errors)")
        }
        let example = try tally(["--safe", "--format", "csv", "-c", ".run win_rate"], in: scratch)
        XCTAssertEqual(example.status, 0, example.errors)
    }
}
