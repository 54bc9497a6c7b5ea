import Foundation
import XCTest

/// The real binary in a real terminal emulator (tmux, 120×30) with the pager users have (`less`), driven with
/// `send-keys` and read with `capture-pane` as a person types and reads: a bare table name taller than the window is
/// shown by the pager, `q` goes back to the prompt, and the next statement answers. (The pseudo-terminal harness, whose
/// pager is a `sed` filter, never saw that `less` in a process group of its own showed nothing.)
final class TmuxSessionTests: XCTestCase {
    let session = "tally-test-\(getpid())"
    var home = ""

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed (scripts/ensure-libraries installs it)")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/less"), "less is not installed")
        home = NSTemporaryDirectory() + "tally-tmux-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    override func tearDown() {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: home)
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try ChildProcess.run("/usr/bin/tmux", ["-L", session] + arguments).output
    }

    /// The screen once it shows `text`, waiting up to ten seconds.
    func screen(showing text: String) throws -> String {
        try screen(text.debugDescription) { $0.contains(text) }
    }

    /// The screen once the prompt waits on its last line (capture-pane drops trailing blanks: `tally>`).
    func prompt() throws -> String {
        try screen("the prompt on the last line") { $0.split(separator: "\n").last == "tally>" }
    }

    func screen(_ what: String, until done: (String) -> Bool) throws -> String {
        var shown = ""
        for _ in 0..<100 {
            shown = try tmux(["capture-pane", "-p", "-t", session])
            if done(shown) { return shown }
            usleep(100_000)
        }
        XCTFail("expected \(what) on the screen; it showed:\n\(shown)")
        return shown
    }

    func testATableTallerThanTheWindowIsPagedAndQGoesBackToThePrompt() throws {
        let command = "env HOME=\(home) TERM=xterm-256color LANG=C.UTF-8 PAGER='less -SR' \(TerminalSessionTests.binary)"
        // The server this starts outlives the call, so it is started through the shell with nothing of ours to hold.
        let start = "/usr/bin/tmux -L \(session) new-session -d -s \(session) -x 120 -y 30 \"\(command)\" < /dev/null > /dev/null 2>&1"
        XCTAssertEqual(system(start), 0, start)
        _ = try prompt()
        try tmux(["send-keys", "-t", session, "customers", "Enter"])
        let paged = try screen(showing: "Cedar Kite Partners")
        XCTAssertTrue(paged.contains("│ customer_id │ name"), paged)
        XCTAssertFalse(paged.contains("tally> customers\ntally>"), "the result was shown, not skipped:\n\(paged)")
        try tmux(["send-keys", "-t", session, "q"])
        _ = try prompt()
        try tmux(["send-keys", "-t", session, "sales | count", "Enter"])
        let answered = try screen(showing: "20,000")
        XCTAssertTrue(answered.contains("1 row"), answered)
    }

    /// `.connect sc://…` typed at the prompt: the catalog's tables are the sources, Tab completes a column of a Spark
    /// table at its pipeline stage, a query answers from the cluster, and `.disconnect` brings back the demo data.
    func testConnectingToSparkAtThePrompt() throws {
        guard let url = ProcessInfo.processInfo.environment["TALLY_TEST_SPARK"], !url.isEmpty else {
            throw XCTSkip("set TALLY_TEST_SPARK to a Spark Connect URL (scripts/test starts a server and sets it)")
        }
        XCTAssertEqual(try ChildProcess.run(TerminalSessionTests.binary, ["upload", url]).output, "", "tally upload")
        let command = "env HOME=\(home) TERM=xterm-256color LANG=C.UTF-8 PAGER='less -SR' \(TerminalSessionTests.binary)"
        let start = "/usr/bin/tmux -L \(session) new-session -d -s \(session) -x 120 -y 30 \"\(command)\" < /dev/null > /dev/null 2>&1"
        XCTAssertEqual(system(start), 0, start)
        _ = try prompt()
        try tmux(["send-keys", "-t", session, ".connect \(url)", "Enter"])
        _ = try screen(showing: "connected to \(url)")
        // `chan` completes to the one column of sales that starts so.
        try tmux(["send-keys", "-t", session, "sales | where chan", "Tab"])
        _ = try screen(showing: "sales | where channel")
        try tmux(["send-keys", "-t", session, " == \"online\" | agg n = count() by region | sort region", "Enter"])
        let answered = try screen(showing: "5 rows")
        XCTAssertTrue(answered.contains("│ Central │"), answered)
        _ = try prompt()
        try tmux(["send-keys", "-t", session, ".disconnect", "Enter"])
        _ = try screen(showing: "disconnected from \(url)")
    }
}
