@testable import TallyShell
import Foundation
import XCTest

/// History and saved queries are private: 0600 files in 0700 folders, symbolic links not followed, and the saved-query
/// file cannot be confused by its own delimiter.
final class PrivateFileTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tally-private-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    func testHistoryAndSavedQueriesAreOwnerOnly() throws {
        let old = umask(0o022)
        defer { umask(old) }
        let history = HistoryStore(path: folder + "/state/tally/history")
        history.append("sales | count")
        history.compact(history.load())
        XCTAssertEqual(mode(history.path), 0o600)
        XCTAssertEqual(mode(folder + "/state/tally"), 0o700)
        XCTAssertEqual(history.load(), ["sales | count"])
        let saved = SavedQueries(path: folder + "/config/tally/queries.tq")
        try saved.save("q", "sales | count")
        XCTAssertEqual(mode(saved.path), 0o600)
        XCTAssertEqual(mode(folder + "/config/tally"), 0o700)
    }

    func testSymbolicLinksAreNotFollowed() throws {
        let secret = folder + "/secret"
        try "do not copy\n".write(toFile: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/history", withDestinationPath: secret)
        let history = HistoryStore(path: folder + "/history")
        XCTAssertEqual(history.load(), [], "a linked history is not read")
        history.append("sales | count")
        history.compact(["sales | count"])
        XCTAssertEqual(try String(contentsOfFile: secret, encoding: .utf8), "do not copy\n")
        try FileManager.default.createSymbolicLink(atPath: folder + "/queries.tq", withDestinationPath: secret)
        XCTAssertThrowsError(try SavedQueries(path: folder + "/queries.tq").save("q", "sales"))
        XCTAssertEqual(try String(contentsOfFile: secret, encoding: .utf8), "do not copy\n")
    }

    func testASavedQueryCannotHoldTheFilesDelimiter() throws {
        let saved = SavedQueries(path: folder + "/queries.tq")
        try saved.save("real", "sales | count")
        XCTAssertThrowsError(try saved.save("evil", "sales\n-- query: real\n| take 1"))
        XCTAssertEqual(saved.load().map(\.name), ["real"])
        XCTAssertEqual(saved.query("real"), "sales | count")
    }
}
