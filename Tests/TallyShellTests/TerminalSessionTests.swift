import CTestPTY
import Foundation
import XCTest

/// Drives the real `tally` binary through a pseudo-terminal, as a person at a keyboard would:
/// Tab completion of a column, a multi-line statement recalled whole with Up, Ctrl-C on a line and
/// on a running query, CJK text lined up in a table, and history kept on disk.
final class TerminalSessionTests: XCTestCase {
    var master: Int32 = -1
    var pid: pid_t = 0
    var screen = ""
    var home = ""

    static var binary: String {
        let beside = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().appendingPathComponent("tally").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/tally").path
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TerminalSessionTests.binary), "build the tally binary first (swift build)")
        home = NSTemporaryDirectory() + "tally-pty-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let env = ["HOME=\(home)", "PAGER=sed s/^/PAGED:/", "TALLY_QUERIES=\(home)/queries.tq", "TERM=xterm", "LANG=C.UTF-8", "PATH=/usr/bin:/bin",
                   "PGAPPNAME=tally-pty-\(getpid())"]
        var args = [TerminalSessionTests.binary] + (name.contains("SafeMode") ? ["--safe"] : [])
        if name.contains("PostgreSQL") {
            guard let url = ProcessInfo.processInfo.environment["TALLY_TEST_POSTGRES"], !url.isEmpty else {
                throw XCTSkip("set TALLY_TEST_POSTGRES to a PostgreSQL URL (scripts/test starts a server and sets it)")
            }
            XCTAssertEqual(try ChildProcess.run(TerminalSessionTests.binary, ["upload", url]).output, "", "tally upload")
            args += ["--connect", url]
        }
        if name.contains("Spark") {
            guard let url = ProcessInfo.processInfo.environment["TALLY_TEST_SPARK"], !url.isEmpty else {
                throw XCTSkip("set TALLY_TEST_SPARK to a Spark Connect URL (scripts/test starts a server and sets it)")
            }
            XCTAssertEqual(try ChildProcess.run(TerminalSessionTests.binary, ["upload", url]).output, "", "tally upload")
            args += ["--connect", url]
        }
        var cArgs = args.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        pid = pid_t(tly_spawn_on_pty(TerminalSessionTests.binary, &cArgs, &cEnv, 120, 40, &master))
        XCTAssertGreaterThan(pid, 0)
        try expect("tally> ")
    }

    override func tearDown() {
        if pid > 0 { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0) }
        if master >= 0 { close(master) }
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Types `keys` (again, if the first press was lost to the terminal being reset) until the process exits.
    func exits(afterTyping keys: String) -> Bool {
        for _ in 0..<5 {
            type(keys)
            let deadline = Date().addingTimeInterval(2)
            while Date() < deadline {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { pid = 0; return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        return false
    }

    func type(_ text: String) {
        // Let the line editor finish drawing the prompt and switching the terminal mode first.
        Thread.sleep(forTimeInterval: 0.05)
        _ = text.withCString { write(master, $0, strlen($0)) }
    }

    /// Reads the terminal until `text` appears after the current mark, or fails after `seconds`.
    @discardableResult
    func expect(_ text: String, seconds: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            if let r = screen.range(of: text) {
                let seen = String(screen[..<r.upperBound])
                screen = String(screen[r.upperBound...])
                return seen
            }
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 100) > 0 {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                screen += String(decoding: buffer[0..<n], as: UTF8.self)
            }
        }
        throw Failure(expected: text, screen: screen)
    }

    struct Failure: Error, CustomStringConvertible {
        let expected: String
        let screen: String
        var description: String { "expected \(expected.debugDescription) on the terminal; it showed:\n\(screen)" }
    }

    func testEditingSession() throws {
        // Tab completes a column that exists at this stage (derived in the previous stage).
        // (libedit redraws the completed text with cursor moves, so judge it by the result and the history.)
        type("sales | derive net = amount - cost | agg m = sum(ne\t")
        Thread.sleep(forTimeInterval: 0.3)
        type(") by region\r")
        try expect("Central")
        try expect("tally> ")

        // A multi-line statement: continuation prompt, then run.
        type("sales\r")
        try expect("sales")
        type("customers |\r")
        try expect("...>")
        type("count\r")
        try expect("2,000")
        try expect("tally> ")

        // Up recalls the whole multi-line statement as one line.
        type("\u{1B}[A")
        try expect("customers | count")
        type("\r")
        try expect("2,000")
        try expect("tally> ")

        // Ctrl-C clears the line being edited.
        type("sales | where nothing")
        type("\u{03}")
        try expect("tally> ")

        // Ctrl-C cancels a running query and the prompt returns.
        type("sales | simulate sum(amount) per date next 200 runs 5000000\r")
        Thread.sleep(forTimeInterval: 0.8)
        type("\u{03}")
        try expect("cancelled")
        try expect("tally> ")

        // Chinese text lines up: every row of the box is as wide as the top border.
        type("reviews | where text == \"很好\" or text == \"très bien\" | select text, rating | take 4\r")
        let table = try expect("4 rows")
        let rows = table.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n").filter { $0.hasPrefix("│") || $0.hasPrefix("┌") }
        XCTAssertGreaterThanOrEqual(rows.count, 5, table)
        let widths = Set(rows.map { line in
            let plain = line.replacingOccurrences(of: "\u{1B}[2m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
            return plain.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x4E00 && $1.value <= 0x9FFF) ? 2 : 1) }
        })
        XCTAssertEqual(widths.count, 1, "rows differ in display width:\n\(rows.joined(separator: "\n"))")
        try expect("tally> ")

        // Ctrl-D leaves; history holds the statements, the multi-line one whole.
        XCTAssertTrue(exits(afterTyping: "\u{04}"), "Ctrl-D on an empty line did not end the shell")
        let history = try String(contentsOfFile: "\(home)/.local/state/tally/history", encoding: .utf8)
        XCTAssertTrue(history.contains("customers |\\ncount"), history)
        XCTAssertTrue(history.contains("sales | derive net = amount - cost | agg m = sum(net) by region"), history)
    }

    func testCtrlCInterruptsTheOperationOnSpark() throws {
        // Hundreds of billions of joined rows: it would keep both of the local server's cores busy for hours.
        type("sales | join (sales | select region) on region | join (customers | select region) on region | count\r")
        Thread.sleep(forTimeInterval: 3)
        let pressed = Date()
        type("\u{03}")
        try expect("cancelled", seconds: 5)
        try expect("tally> ")
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 2, "the prompt came back late")
        // Spark stopped the operation: a query after it gets the cores and answers at once.
        let next = Date()
        type("sales | count\r")
        try expect("20,000", seconds: 30)
        try expect("tally> ")
        XCTAssertLessThan(Date().timeIntervalSince(next), 10, "the interrupted join still held the server")
    }

    func testCtrlCStopsTheQueryOnPostgreSQL() throws {
        let url = ProcessInfo.processInfo.environment["TALLY_TEST_POSTGRES"]!
        // 82 million joined rows: seconds of work on the server.
        type("sales | join (sales | select region) on region | count\r")
        Thread.sleep(forTimeInterval: 0.8)
        let pressed = Date()
        type("\u{03}")
        try expect("cancelled", seconds: 5)
        try expect("tally> ")
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 2, "the prompt came back late")
        // The server stopped the query too (it was asked to cancel, not left to finish).
        let psql = try ChildProcess.run("/usr/bin/env", ["psql", url, "-tAc",
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%JOIN%' AND pid <> pg_backend_pid()"]).output
        XCTAssertEqual(psql.trimmingCharacters(in: .whitespacesAndNewlines), "0", "the server still runs the join")
        // The shell and the connection go on.
        type("sales | count\r")
        try expect("20,000")
        try expect("tally> ")
        // A dropped connection is an error that says so, and the next statement reconnects.
        _ = try ChildProcess.run("/usr/bin/env", ["psql", url, "-tAc",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tally-pty-\(getpid())'"])
        type("customers | count\r")
        try expect("was lost")
        try expect("tally> ")
        type("customers | count\r")
        try expect("2,000")
        try expect("tally> ")
    }

    /// Ctrl-C stops a `.load` of a large CSV (300 MB): nothing is loaded, the prompt returns, and the shell works on.
    func testCtrlCStopsALoad() throws {
        let path = "\(home)/big.csv"
        try ("n,x,label\n" + String(repeating: "1,2.5,abc\n", count: 30_000_000)).write(toFile: path, atomically: false, encoding: .utf8)
        type(".load \(path)\r")
        Thread.sleep(forTimeInterval: 0.5)
        type("\u{03}")
        try expect("cancelled: \(path) was not loaded")
        try expect("tally> ")
        type("big | count\r")
        try expect("unknown table `big`")
        type("customers | count\r")
        try expect("2,000")
    }

    func testPipeLineRefinesThePreviousStatementAndPasteRunsOnce() throws {
        // A line starting with `|` extends the statement before it and runs the longer pipeline.
        type("sales | where region == \"East\"\r")
        try expect("4,104 rows")
        try expect("tally> ")
        type("| agg orders = count() by channel | sort channel | take 1\r")
        try expect("1 row")
        try expect("tally> ")
        type("\u{1B}[A")
        try expect("sales | where region == \"East\" | agg orders = count() by channel")

        // Several lines pasted at once arrive as one statement: `sales` alone is never shown.
        type("\u{03}")
        try expect("tally> ")
        type("sales\r| where region == \"East\"\r| agg orders = count()\r")
        let shown = try expect("4,104")
        XCTAssertFalse(shown.contains("20,000 rows"), shown)
        try expect("tally> ")
    }

    func testPagerProgressAndResize() throws {
        // A result taller than the terminal (40 lines) goes through $PAGER; a short one does not.
        type(".maxrows all\r")
        try expect("tally> ")
        type("sales | select order_id | take 60\r")
        try expect("PAGED:60 rows")
        try expect("tally> ")
        type(".pager off\r")
        try expect("tally> ")
        type("sales | select order_id | take 60\r")
        let unpaged = try expect("60 rows")
        XCTAssertFalse(unpaged.contains("PAGED:"), unpaged)
        try expect("tally> ")

        // Work over a second shows a progress line on standard error, erased when the result arrives. (200 × 200,000
        // draws took under a second on a quiet machine: this is five times that.)
        type("sales | simulate sum(amount) per date next 400 runs 500000 seed 1\r")
        try expect("running sales | simulate sum(amount)")
        try expect("assumptions: bootstrap")
        try expect("tally> ")

        // Charts on a colour terminal are coloured (Okabe–Ito blue for the first series).
        type("sales | agg n = count() by region | chart bar region n\r")
        try expect("\u{1B}[38;5;25m")
        try expect("tally> ")

        // A narrower terminal takes effect at the next result: columns that do not fit are hidden.
        var size = winsize(ws_row: 40, ws_col: 50, ws_xpixel: 0, ws_ypixel: 0)
        XCTAssertEqual(ioctl(master, UInt(TIOCSWINSZ), &size), 0)
        type("sales | take 1\r")
        try expect("columns hidden")
        try expect("tally> ")
    }

    func testAPasswordIsNeverKeptInHistory() throws {
        type(".connect postgresql://alice:S3cr3t@127.0.0.1:notaport/tally\r")
        try expect("hint: postgresql://user@host:5432/database")
        try expect("tally> ")
        XCTAssertTrue(exits(afterTyping: "\u{04}"))
        let history = try String(contentsOfFile: "\(home)/.local/state/tally/history", encoding: .utf8)
        XCTAssertTrue(history.contains(".connect postgresql://alice:***@127.0.0.1:notaport/tally"), history)
        XCTAssertFalse(history.contains("S3cr3t"), history)
    }

    func testSafeModeKeepsNoHistory() throws {
        type("sales | count -- password=hunter2\r")
        try expect("20,000")
        try expect("tally> ")
        XCTAssertTrue(exits(afterTyping: "\u{04}"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(home)/.local/state/tally/history"), "--safe wrote history")
    }

    func testBadBytesAndNulsDoNotSwallowInput() throws {
        // A NUL is dropped; the rest of the line and Enter arrive.
        Thread.sleep(forTimeInterval: 0.05)
        let nul: [UInt8] = Array("targets | c".utf8) + [0] + Array("ount\r".utf8)
        _ = nul.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        try expect("1,800")
        try expect("tally> ")
        // A lone UTF-8 lead byte before Enter: the byte becomes U+FFFD and Enter still ends the line.
        let lead: [UInt8] = Array("targets | count ".utf8) + [0xC3, 0x0D]
        _ = lead.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        try expect("error")
        try expect("tally> ")
    }
}

