@testable import TallyShell
import TallyCore
import TallyEngine
import TallyLang
import XCTest

/// Charts draw nulls as gaps, never as zeros.
final class ChartTests: XCTestCase {
    let spec = ChartSpec(kind: .line, xTitle: "m", yTitle: "growth", x: (1...5).map { Value.int(Int64($0)) },
                          series: [ChartSeries(name: "growth", values: [nil, 0.2, nil, 0.1, 0.3])])

    func testSVGLineBreaksAtNullsAndMarksLonePoints() {
        let svg = SVGChart.render(spec)
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 1, svg)
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3, "a dot per point, the lone one too: \(svg)")
        let points = svg.components(separatedBy: "points=\"")[1].prefix { $0 != "\"" }
        XCTAssertEqual(points.split(separator: " ").count, 2, "only the 4th and 5th values are joined: \(points)")
    }

    func testTerminalLineHasOnePointPerValueAndNoZeroForNull() {
        let text = ChartRenderer(width: 60, unicode: false).render(spec)
        XCTAssertEqual(text.filter { $0 == "*" }.count, 3, text)
        XCTAssertFalse(text.contains("0 |"), "the y-axis would reach 0 only if a null were drawn as 0:\n\(text)")
    }

    func testTerminalBarsShowNullWithoutABar() {
        let bars = ChartSpec(kind: .bar, xTitle: "m", yTitle: "v", x: [.string("a"), .string("b")], series: [ChartSeries(name: "v", values: [2, nil])])
        let lines = ChartRenderer(width: 40, unicode: false).render(bars).split(separator: "\n")
        XCTAssertTrue(lines[2].hasPrefix("b "), lines.joined(separator: "\n"))
        XCTAssertTrue(lines[2].hasSuffix(" NULL"), lines.joined(separator: "\n"))
        XCTAssertFalse(lines[2].contains("#"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines[1].contains("#"), lines.joined(separator: "\n"))
    }

    func testBrailleLineUsesTheFullWidthWithTicksAndLabels() {
        let c = SVGChartTests.specs.first { $0.name == "line" }!.spec
        let text = ChartRenderer(width: 100, unicode: true).render(c)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, text)
        let plotRows = lines.filter { $0.contains("┤") || $0.contains("│") }
        XCTAssertEqual(plotRows.count, 12, text)
        XCTAssertTrue(plotRows.allSatisfy { DisplayWidth.of($0) == 100 }, "every row fills the 100 columns:\n\(text)")
        XCTAssertGreaterThanOrEqual(plotRows.filter { $0.contains("┤") }.count, 3, "y ticks:\n\(text)")
        let xLabels = lines.last { !$0.isEmpty }!.split(separator: " ")
        XCTAssertTrue((4...7).contains(xLabels.count), "x labels: \(xLabels)")
        XCTAssertTrue(text.contains("● online  ○ phone"), "legend, with marks that tell the series apart without colour:\n\(text)")
    }

    /// No line of a chart is wider than the terminal, whatever the labels: the last x label ends at the edge.
    func testNoLineIsWiderThanTheTerminal() {
        let x: [Value] = ["a", "b", "c", "a rather long last label"].map { .string($0) }
        for kind in [ChartKind.line, .scatter, .bar] {
            let values: [Value] = kind == .scatter ? [1, 2, 3, 123_456_789].map { .int($0) } : x
            let c = ChartSpec(kind: kind, xTitle: "x", yTitle: "y", x: values, series: [ChartSeries(name: "y", values: [1, 5, 2, 8])])
            for width in [40, 61, 80] {
                let text = ChartRenderer(width: width, unicode: true).render(c)
                for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(DisplayWidth.of(String(line)), width, "\(kind) at \(width):\n\(text)") }
            }
        }
    }

    func testColourOnlyWhenAsked() {
        let c = SVGChartTests.specs.first { $0.name == "bar-grouped" }!.spec
        XCTAssertFalse(ChartRenderer(width: 80, unicode: true).render(c).contains("\u{1B}["))
        let coloured = ChartRenderer(width: 80, unicode: true, colour: true).render(c)
        XCTAssertTrue(coloured.contains("\u{1B}[38;5;25m█"), coloured)
        XCTAssertTrue(coloured.contains("\u{1B}[38;5;214m█"), coloured)
    }

    func testNegativeBarsGrowLeftOfTheZeroLine() {
        let c = SVGChartTests.specs.first { $0.name == "bar-negative" }!.spec
        let lines = ChartRenderer(width: 80, unicode: false).render(c).split(separator: "\n").map(String.init)
        let central = lines.first { $0.hasPrefix("Central") }!, east = lines.first { $0.hasPrefix("East") }!
        let zero = central.firstIndex(of: "|")!
        XCTAssertTrue(central[..<zero].hasSuffix("#"), "Central's bar ends at the zero line: \(central)")
        XCTAssertEqual(east.firstIndex(of: "#")!.utf16Offset(in: east), zero.utf16Offset(in: central), "East's bar starts at the zero line")
    }
}
