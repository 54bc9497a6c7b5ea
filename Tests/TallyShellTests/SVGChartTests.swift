#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
@testable import TallyShell
import TallyCore
import TallyEngine
import XCTest

/// One SVG per kind of chart, compared with the files in `Charts/` (rendered by Chromium and looked at when they were
/// recorded; `RECORD=1` writes them again). Every SVG must parse as XML.
final class SVGChartTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Charts")

    static let regions: [Value] = ["Central", "East", "North", "South", "West"].map { .string($0) }
    static let months: [Value] = (1...12).map { .period(.month(2025, Int64($0))) }

    static let specs: [(name: String, spec: ChartSpec)] = [
        ("bar", ChartSpec(kind: .bar, xTitle: "region", yTitle: "revenue", x: regions,
                          series: [ChartSeries(name: "revenue", values: [1_627_896.05, 1_702_440.82, 1_733_806.52, 2_076_446.27, 2_026_909.07])])),
        ("bar-grouped", ChartSpec(kind: .bar, xTitle: "region", yTitle: "revenue, target", x: regions,
                                  series: [ChartSeries(name: "revenue", values: [320, 410, nil, 515, 480]),
                                           ChartSeries(name: "target", values: [400, 400, 450, 450, 500])], yIsWhole: true)),
        ("bar-stacked", ChartSpec(kind: .bar, xTitle: "q", yTitle: "new customers", x: (1...4).map { .period(.quarter(2025, Int64($0))) },
                                  series: [ChartSeries(name: "web", values: [28, 25, 23, 16]), ChartSeries(name: "referral", values: [25, 15, 20, 12]),
                                           ChartSeries(name: "event", values: [12, 8, 13, 4])], stacked: true, yIsWhole: true)),
        ("bar-negative", ChartSpec(kind: .bar, xTitle: "team", yTitle: "gap", x: regions,
                                   series: [ChartSeries(name: "gap", values: [-495_358.45, 362_255.9, -583_994.81, 891_887.55, 988_571.85])])),
        ("line", ChartSpec(kind: .line, xTitle: "month", yTitle: "online, phone", x: months,
                           series: [ChartSeries(name: "online", values: [190, 170, 230, 220, nil, 240, 250, 245, 260, 280, 300, 330]),
                                    ChartSeries(name: "phone", values: [150, 120, 150, 150, 150, 140, 130, 135, 150, 150, 148, 190])], yIsWhole: true)),
        ("line-percent", ChartSpec(kind: .line, xTitle: "month", yTitle: "growth", x: months,
                                   series: [ChartSeries(name: "growth", values: [nil, -0.28, -0.157, 0.468, -0.042, -0.073, -0.061, 0.066, -0.08,
                                                                                 0.306, 0.042, 0.162])], yIsPercent: true)),
        ("scatter", ChartSpec(kind: .scatter, xTitle: "orders", yTitle: "revenue", x: [250, 300, 320, 410, 450, 520, 600].map { .int($0) },
                              series: [ChartSeries(name: "revenue", values: [290_000, 330_000, 410_000, 480_000, 500_000, 610_000, 720_000])])),
        ("hist", ChartSpec(kind: .hist, xTitle: "quantity", yTitle: "count", x: [0, 5, 10].map { .float($0) },
                           series: [ChartSeries(name: "count", values: [14_542, 4_123, 1_335])], yIsWhole: true, binWidth: 5)),
        ("bar-many", ChartSpec(kind: .bar, xTitle: "rep", yTitle: "revenue", x: (1...50).map { .string("Rep number \($0)") },
                               series: [ChartSeries(name: "revenue", values: (1...50).map { Double(50_455 - $0 * 731) })])),
        ("bar-long-labels", ChartSpec(kind: .bar, xTitle: "rep", yTitle: "deals", x: (1...12).map { .string("Representative \($0)") },
                                      series: [ChartSeries(name: "deals", values: (1...12).map { Double(10 + $0 * 3) })], yIsWhole: true)),
        ("line-daily", ChartSpec(kind: .line, xTitle: "date", yTitle: "revenue",
                                 x: (0..<365).map { .date(CivilDate.days(year: 2025, month: 1, day: 1) + Int64($0)) },
                                 series: [ChartSeries(name: "revenue", values: (0..<365).map { 20_000 + 9_000 * sin(Double($0) / 20) })])),
        ("bridge", ChartSpec(kind: .bridge, xTitle: "region", yTitle: "value", x: ["before", "Central", "West", "East", "after"].map { .string($0) },
                             series: [ChartSeries(name: "value", values: [863_995.16, 61_882.97, 59_348.78, -41_315.97, 943_910.94])],
                             isTotal: [true, false, false, false, true])),
        ("funnel", ChartSpec(kind: .funnel, xTitle: "step", yTitle: "reached", x: ["lead", "qualified", "proposal", "negotiation", "won"].map { .string($0) },
                             series: [ChartSeries(name: "reached", values: [5_000, 3_556, 2_529, 1_682, 1_248])], yIsWhole: true)),
    ]

    func testChartsMatchTheReviewedFiles() throws {
        let record = ProcessInfo.processInfo.environment["RECORD"] == "1"
        for (name, spec) in SVGChartTests.specs {
            let svg = SVGChart.render(spec)
            let file = SVGChartTests.folder.appendingPathComponent("\(name).svg")
            if record { try svg.write(to: file, atomically: true, encoding: .utf8); continue }
            let expected = try String(contentsOf: file, encoding: .utf8)
            XCTAssertEqual(svg, expected, "\(name).svg differs; look at both, then RECORD=1 to accept")
        }
    }

    func testEverySVGParsesAsXML() {
        for (name, spec) in SVGChartTests.specs {
            let parser = XMLParser(data: Data(SVGChart.render(spec).utf8))
            XCTAssertTrue(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "")")
        }
    }

    func testNullValuesDrawNothing() {
        let svg = SVGChart.render(SVGChartTests.specs[1].spec)
        XCTAssertEqual(svg.components(separatedBy: "<rect x=").count - 1 - 2, 9, "nine bars and two legend swatches:\n\(svg)")
    }
}
