import Foundation
import TallyCore
import TallyEngine
import TallyLang
import XCTest

/// Statements as deep or as long as the parser accepts run to an answer (binding, planning and evaluation
/// recurse over expressions); one level more is a positioned error, never a crashed process.
final class DepthTests: XCTestCase {
    static let catalog: Catalog = {
        var c = Catalog()
        c.add(Table(names: ["x"], columns: [Column(ints: Array(0..<100))]), as: "t")
        return c
    }()

    func run(_ query: String) throws -> Table {
        let (statements, diagnostics) = Parser.parse(SourceText(name: "t", text: query))
        if let d = diagnostics.first { throw d }
        return try Session(catalog: DepthTests.catalog).execute(statements[0])!.table
    }

    func testThousandsOfOrTermsAreBalanced() throws {
        let terms = (0..<5_000).map { "x == \($0 * 2)" }.joined(separator: " or ")
        XCTAssertEqual(try run("t | where \(terms) | count").columns[0].ints, [50])
        let (statements, _) = Parser.parse(SourceText(name: "t", text: "t | where \(terms)"))
        guard case .query(let p) = statements[0], case .whereRows(let e) = p.stages[0].kind else { return XCTFail("not a where") }
        XCTAssertLessThanOrEqual(e.depth, 15, "5,000 `or` terms make a tree about log2(5,000) deep")
    }

    func testTheDeepestAcceptedExpressionEvaluates() throws {
        // A bracketed chain of 990 additions that starts a chain of 998 more (left-deep): about 1,990 levels.
        let inner = Array(repeating: "x", count: 990).joined(separator: " + ")
        let outer = Array(repeating: "1", count: 998).joined(separator: " + ")
        let t = try run("t | select y = (\(inner)) + \(outer) | take 2")
        XCTAssertEqual(t.columns[0].ints, [998, 998 + 990])
    }

    func testOneLevelTooDeepIsAPositionedError() {
        let inner = Array(repeating: "x", count: 999).joined(separator: " + ")
        let outer = Array(repeating: "1", count: 999).joined(separator: " + ")
        XCTAssertThrowsError(try run("t | select y = ((\(inner)) + \(inner)) + \(outer)")) { e in
            XCTAssertTrue((e as? Diagnostic)?.message.hasPrefix("expression too deep") ?? false, "\(e)")
        }
        let nested = String(repeating: "abs(", count: 250) + "x" + String(repeating: ")", count: 250)
        XCTAssertThrowsError(try run("t | select \(nested)")) { e in
            XCTAssertEqual((e as? Diagnostic)?.range.start, "t | select ".count + 4 * 200)
        }
    }

    func testDeepSubQueriesCountTowardsTheDepth() throws {
        var q = "(t | agg max(x))"
        for _ in 0..<60 { q = "(t | where x <= \(q) | agg max(x))" }
        XCTAssertEqual(try run("t | where x == \(q) | count").columns[0].ints, [1])
    }
}
