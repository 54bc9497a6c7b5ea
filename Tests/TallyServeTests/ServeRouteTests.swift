import TallyWeb
import XCTest

final class ServeRouteTests: XCTestCase {
    func route(_ path: String) -> ServeRoute? { ServeRoute(path: Substring(path)) }

    func testPagesDataAndDownloads() {
        XCTAssertEqual(route("/"), .index)
        XCTAssertEqual(route("/index.json"), .indexJSON)
        XCTAssertEqual(route("/q/on_track"), .script(name: "on_track", format: .page))
        XCTAssertEqual(route("/q/on_track.json"), .script(name: "on_track", format: .json))
        XCTAssertEqual(route("/q/price-scenario.xlsx"), .script(name: "price-scenario", format: .xlsx))
        XCTAssertEqual(route("/q/on_track.parquet"), .script(name: "on_track", format: .parquet))
        XCTAssertEqual(route("/query.csv"), .adHoc(format: .csv))
        XCTAssertEqual(route("/login"), .login)
    }

    func testNoPathEverNamesAFile() {
        for path in ["/q/../etc/passwd", "/q/..", "/q/a/b", "/q/%2e%2e", "/q/on_track.exe", "/q/on_track.", "/q/", "/q", "q/on_track",
                     "/q/on track", "/q/.json", "/query.xlsx", "//q/on_track", "/q/" + String(repeating: "a", count: 101)] {
            XCTAssertNil(route(path), path)
        }
    }
}
