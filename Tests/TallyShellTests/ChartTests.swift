@testable import TallyShell
import TallyCore
import TallyEngine
import XCTest

/// Charts draw nulls as gaps, never as zeros.
final class ChartTests: XCTestCase {
    let spec = ChartSpec(kind: .line, xTitle: "m", yTitle: "growth", x: (1...5).map { Value.int(Int64($0)) }, values: [nil, 0.2, nil, 0.1, 0.3])

    func testSVGLineBreaksAtNullsAndMarksLonePoints() {
        let svg = SVGChart.render(spec)
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 1, svg)
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 1, svg)
        let points = svg.components(separatedBy: "points=\"")[1].prefix { $0 != "\"" }
        XCTAssertEqual(points.split(separator: " ").count, 2, "only the 4th and 5th values are joined: \(points)")
    }

    func testTerminalLineHasOnePointPerValueAndNoZeroForNull() {
        let text = ChartRenderer(width: 60, unicode: false).render(spec)
        XCTAssertEqual(text.filter { $0 == "*" }.count, 3, text)
        XCTAssertFalse(text.contains("0 |"), "the y-axis would reach 0 only if a null were drawn as 0:\n\(text)")
    }

    func testTerminalBarsShowNullWithoutABar() {
        let bars = ChartSpec(kind: .bar, xTitle: "m", yTitle: "v", x: [.string("a"), .string("b")], values: [2, nil])
        let lines = ChartRenderer(width: 40, unicode: false).render(bars).split(separator: "\n")
        XCTAssertEqual(lines[2], "b | NULL")
    }
}
