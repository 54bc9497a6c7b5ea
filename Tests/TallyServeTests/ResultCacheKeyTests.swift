@testable import TallyServe
import TallyWeb
import XCTest

final class ResultCacheKeyTests: XCTestCase {
    let script = ServedScript(name: "on_track", group: "examples", path: "examples/on_track.tq", text: "param month = 2025-11", title: "On track",
                              about: "", parameters: ScriptParameters(script: "param month = 2025-11"))

    func key(_ pairs: [(String, String)]) -> String { ScriptEngine.key(script, pairs.map { QueryString.Pair(name: $0.0, value: $0.1) }) }

    func testTheSameRunHasOneKey() {
        XCTAssertEqual(key([("month", "2025-10"), ("day", "5")]), key([("day", "5"), ("month", "2025-10"), ("_table", "2")]))
        XCTAssertEqual(key([("month", "")]), key([]), "an empty value is the default")
    }

    func testDifferentValuesNeverShareAKey() {
        XCTAssertNotEqual(key([("month", "2025-10")]), key([("month", "2025-11")]))
        XCTAssertNotEqual(key([("x", "1"), ("y", "2")]), key([("x", "1&y=2")]))
        XCTAssertNotEqual(key([("x", "1"), ("y", "2")]), key([("x", "1\u{0}y=2")]))
    }
}
