@testable import TallyShell
import TallyCore
import TallyEngine
import TallyLang
import XCTest

final class CompleterTests: XCTestCase {
    static let session: Session = {
        var c = Catalog()
        for (n, t) in DemoData.generate(scale: 200) { c.add(t, as: n) }
        return Session(catalog: c)
    }()

    func complete(_ line: String, pending: String = "") -> Completion {
        Completer(session: CompleterTests.session, dotCommands: Shell.commands.map(\.name), queryNames: { ["on_track", "commission"] })
            .complete(pending: pending, line: line)
    }

    func testColumnsOfTheCurrentStage() {
        XCTAssertEqual(complete("sales | where amo").insert, "unt")
        XCTAssertEqual(complete("sales | derive net = amount - cost | where ne").candidates, ["net"])
        XCTAssertEqual(complete("sales | agg revenue = sum(amount) by region | sort rev").insert, "enue")
        XCTAssertEqual(complete("sales | agg revenue = sum(amount) by region | sort re").candidates, ["region", "revenue"])
        XCTAssertEqual(complete("customers | join sales on customer_id | select sig").insert, "nup_date")
    }

    func testColumnsAcrossLinesOfOneStatement() {
        XCTAssertEqual(complete("| where disc", pending: "sales\n| derive x = 1").insert, "ount")
    }

    /// `why` and `pvm` complete their words and the input's columns, and the next stage sees their result's columns.
    func testWhyAndPvmCompleteLikeOtherVerbs() {
        XCTAssertEqual(complete("sales | why sum(amount) fr").insert, "om")
        XCTAssertEqual(complete("sales | why sum(amount) from 2025-10 to 2025-11 by reg").insert, "ion")
        XCTAssertEqual(complete("sales | why sum(amount) from 2025-10 to 2025-11 by region | where sha").insert, "re")
        XCTAssertEqual(complete("sales | pvm unit_price, quantity from 2025-10 to 2025-11 by category | sort -vol").insert, "ume")
    }

    func testVerbsTablesAndCommands() {
        XCTAssertEqual(complete("sales | whe").insert, "re ")
        XCTAssertEqual(complete("sales | wh").candidates, ["whatif", "where", "why"])
        XCTAssertEqual(complete("cust").insert, "omers ")
        XCTAssertEqual(complete("sales | join rev").insert, "iews ")
        XCTAssertEqual(complete(".sch").insert, "ema ")
        XCTAssertEqual(complete(".run on").insert, "_track ")
        XCTAssertEqual(complete(".mode js").candidates, ["json", "jsonl"])
    }

    func testParametersAfterDollar() throws {
        let session = CompleterTests.session
        let source = SourceText(name: "t", text: "param region_name = \"East\"")
        _ = try session.execute(Parser.parse(source).statements[0])
        XCTAssertEqual(complete("sales | where region == $reg").insert, "ion_name")
    }

    func testEveryKeywordOfTheGrammarIsOffered() {
        XCTAssertEqual(complete("sales | chart bar region amount stac").insert, "ked")
        XCTAssertEqual(complete("sales | chart hist amount bi").insert, "ns")
        XCTAssertEqual(complete("sales | sort amount as").candidates, ["as", "asc"])
        XCTAssertEqual(complete("sales | simulate sum(amount) per month(date) next 3 ru").candidates, ["running_sum", "runs"])
        XCTAssertEqual(complete("sales | simulate sum(amount) per month(date) next 3 se").insert, "ed")
        XCTAssertEqual(complete("sales | derive r = row_number() ov").insert, "er")
    }

    func testColumnsInsideASubQueryBeingTyped() {
        XCTAssertEqual(complete("sales | join (customers | where indu").insert, "stry")
        XCTAssertEqual(complete("sales | derive net = amount - cost | agg m = sum(ne").insert, "t", "a call's bracket is no sub-query")
        XCTAssertEqual(complete("let big = sales | where amo").insert, "unt")
        XCTAssertEqual(complete("sales | join se").candidates, ["semi"])
    }

    func testFunctionsWhenNoColumnMatches() {
        XCTAssertEqual(complete("sales | select count_d").insert, "istinct")
    }

    func testUnderSafeOnlyTheDataFolderIsListed() throws {
        let dir = NSTemporaryDirectory() + "tally-complete-safe-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/orders_2025.csv", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let safe = Completer(session: CompleterTests.session, dotCommands: Shell.commands.map(\.name), queryNames: { [] }, fileFolder: .only(dir))
        XCTAssertEqual(safe.complete(pending: "", line: ".load \(dir)/ord").insert, "ers_2025.csv")
        XCTAssertEqual(safe.complete(pending: "", line: ".load /etc/pass").candidates, [], "a folder outside the data is not listed")
        XCTAssertEqual(safe.complete(pending: "", line: ".load \(dir)/../").candidates, [])
        let noData = Completer(session: CompleterTests.session, dotCommands: Shell.commands.map(\.name), queryNames: { [] }, fileFolder: .only(nil))
        XCTAssertEqual(noData.complete(pending: "", line: ".load /etc/pass").candidates, [])
    }

    func testFilePathsAfterLoad() throws {
        let dir = NSTemporaryDirectory() + "tally-complete-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/orders_2025.csv", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(complete(".load \(dir)/ord").insert, "ers_2025.csv")
    }
}

final class RenderingTests: XCTestCase {
    func testNumberFormats() {
        XCTAssertEqual(TableRenderer.cell(.int(1_234_567)), "1,234,567")
        XCTAssertEqual(TableRenderer.cell(.int(-1_000)), "-1,000")
        XCTAssertEqual(TableRenderer.cell(.float(1234.5)), "1,234.50")
        XCTAssertEqual(TableRenderer.cell(.float(0.0523)), "0.0523")
        XCTAssertEqual(TableRenderer.cell(.float(-0.5)), "-0.5")
        XCTAssertEqual(TableRenderer.cell(.null), "NULL")
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("很好"), 4)
        XCTAssertEqual(DisplayWidth.of("très"), 4)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining accent takes no column")
        XCTAssertEqual(DisplayWidth.truncate("很好很好", to: 5), "很好…")
    }

    func testTablesAlignWideCharactersAndAnnounceHiddenRows() {
        var b = ColumnBuilder(type: .string)
        for s in ["很好", "ok", "très bien"] { b.append(string: s) }
        let t = Table(names: ["text", "n"], columns: [b.finish(), Column(ints: [1, 22, 333])])
        let out = TableRenderer(options: RenderOptions(maxRows: 2, width: nil, fancy: true)).render(t)
        let lines = out.split(separator: "\n").filter { $0.hasPrefix("│") || $0.hasPrefix("┌") }
        XCTAssertEqual(Set(lines.map { DisplayWidth.of(String($0)) }).count, 1, out)
        XCTAssertTrue(out.contains("3 rows, showing the first 1 and the last 1"), out)
    }

    func testHiddenColumnsAreNamed() {
        let t = Table(names: ["a", "b", "c"], columns: [Column(ints: [1]), Column(ints: [2]), Column(ints: [3])])
        let out = TableRenderer(options: RenderOptions(maxRows: 10, width: 14, fancy: false)).render(t)
        XCTAssertTrue(out.contains("hidden: b, c") || out.contains("hidden: c"), out)
    }

    func testOutputModes() {
        var b = ColumnBuilder(type: .string)
        b.append(string: "a\"b")
        b.appendNull()
        let t = Table(names: ["s", "x"], columns: [b.finish(), Column(floats: [1.5, 2])])
        XCTAssertEqual(Renderer.render(t, mode: .json, options: RenderOptions()), "[{\"s\":\"a\\\"b\",\"x\":1.5},{\"s\":null,\"x\":2.0}]\n")
        XCTAssertEqual(Renderer.render(t, mode: .csv, options: RenderOptions()), "s,x\n\"a\"\"b\",1.5\n,2.0\n")
        XCTAssertEqual(Renderer.render(t, mode: .markdown, options: RenderOptions()), "| s | x |\n| --- | ---: |\n| a\"b | 1.5 |\n|  | 2.0 |\n")
    }
}

final class HistoryTests: XCTestCase {
    func testEntriesRoundTripAndDeduplicate() {
        let path = NSTemporaryDirectory() + "tally-history-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = HistoryStore(path: path)
        store.append("sales\n| count")
        store.append("a \\ b")
        store.append("sales\n| count")
        XCTAssertEqual(store.load(), ["a \\ b", "sales\n| count"])
    }

    func testRecallFormDropsComments() {
        XCTAssertEqual(REPL.recallForm("sales -- all\n| where text ~ \"a--b\" # note\n| count"), "sales | where text ~ \"a--b\" | count")
    }

    func testDotCommandArguments() {
        XCTAssertEqual(DotArguments.split(".load \"my file.csv\" as t"), [".load", "my file.csv", "as", "t"])
    }
}

final class SafeModeTests: XCTestCase {
    func testSafeModeRefusesWritesAndOutsideLoads() {
        var errors = ""
        var c = Catalog()
        for (n, t) in DemoData.generate(scale: 100) { c.add(t, as: n) }
        let shell = Shell(session: Session(catalog: c), write: { _ in }, writeError: { errors += $0 })
        shell.safe = true
        shell.dataDirectory = NSTemporaryDirectory() + "tally-safe-data"
        XCTAssertTrue(shell.run("sales | count", name: "t"))
        XCTAssertFalse(shell.run(".export /tmp/tally-safe.csv", name: "t"))
        XCTAssertFalse(shell.run(".save q", name: "t"))
        XCTAssertFalse(shell.run(".load /etc/passwd", name: "t"))
        XCTAssertEqual(errors.components(separatedBy: "--safe").count - 1, 3, errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/tally-safe.csv"))
    }
}

final class ExplainTests: XCTestCase {
    func explain(_ command: String) -> [String] {
        var out = ""
        var c = Catalog()
        for (n, t) in DemoData.generate(scale: 1_000) { c.add(t, as: n) }
        let shell = Shell(session: Session(catalog: c), write: { out += $0 }, writeError: { out += $0 })
        XCTAssertTrue(shell.run("sales | where quantity > 100 | count", name: "t"))
        out = ""
        XCTAssertTrue(shell.run(command, name: "t"), out)
        return out.split(separator: "\n").map(String.init)
    }

    func testExplainPrintsTheOptimizedPlanWithColumns() {
        XCTAssertEqual(explain(".explain"), [
            "count  → n int",
            "  filter quantity > 100  → quantity int",
            "    scan sales  → quantity int",
        ], "columns no later node reads are dropped at the scan")
    }

    func testExplainAnalyzeAddsRowsPerNode() {
        let lines = explain(".explain analyze")
        let rows = lines.map { $0.components(separatedBy: "(").last!.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(rows, ["1", "0", "1000"], lines.joined(separator: "\n"))
        XCTAssertTrue(lines.allSatisfy { $0.hasSuffix(" ms)") }, lines.joined(separator: "\n"))
    }
}
