import Foundation
import TallyCore
@testable import TallyEngine
import TallyLang
import XCTest

/// Shared helpers: a small catalog, planning a pipeline, and a plan as indented lines.
enum PlanFixture {
    /// `t(x int, y float, g string)` with 6 rows and `u(g string, w int)` with 3.
    static let catalog: Catalog = {
        var c = Catalog()
        c.add(Table(names: ["x", "y", "g"], columns: [Column(ints: [5, 3, 1, 4, 2, 6]), Column(floats: [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]),
                                                      Dictionaries.build(["a", "b", "a", "c", "b", "a"])]), as: "t")
        c.add(Table(names: ["g", "w"], columns: [Dictionaries.build(["a", "b", "d"]), Column(ints: [10, 20, 30])]), as: "u")
        return c
    }()

    static func pipeline(_ text: String) -> Pipeline {
        let (statements, diagnostics) = Parser.parse(SourceText(name: "t", text: text))
        precondition(diagnostics.isEmpty, "\(diagnostics)")
        guard case .query(let p) = statements[0] else { preconditionFailure("not a query") }
        return p
    }

    static func plan(_ text: String, catalog: Catalog = catalog) throws -> LogicalPlan {
        try Planner(catalog: catalog, params: [:], previous: nil).plan(pipeline(text))
    }

    /// Each node as `indent + description`, root first.
    static func lines(_ plan: LogicalPlan) -> [String] {
        plan.explain().map { String(repeating: "  ", count: $0.depth) + $0.description }
    }

    /// The rule of that name.
    static func rule(_ name: String) -> (LogicalPlan) -> LogicalPlan {
        Optimizer.rules.first { $0.name == name }!.apply
    }
}

/// The planner: schemas per node, every static error at once, nothing run.
final class PlannerTests: XCTestCase {
    func testSchemasFlowThroughEveryNode() throws {
        let plan = try PlanFixture.plan("t | derive d = 2025-01-01 + x | agg total = sum(y), last = max(d) by g | rfm by g date last amount total")
        XCTAssertEqual(plan.schema.names, ["g", "recency", "frequency", "monetary", "r", "f", "m", "rfm", "segment", "tier"])
    }

    func testRfmNeedsADateColumn() {
        XCTAssertThrowsError(try PlanFixture.plan("t | rfm by g date x amount y")) { e in
            XCTAssertEqual((e as? Diagnostic)?.message, "`rfm` needs a date column, `x` is an int")
        }
    }

    func testIndependentErrorsOfSeveralStagesAreReportedTogether() {
        XCTAssertThrowsError(try PlanFixture.plan("t | where nosuch > 0 | sort alsonot | select x, zz")) { e in
            let messages = (e as? DiagnosticList)?.diagnostics.map(\.message) ?? []
            XCTAssertEqual(messages, ["unknown column `nosuch`", "unknown column `alsonot`", "unknown column `zz`"])
        }
    }

    func testTypesAreKnownAfterAnalyticVerbs() throws {
        let plan = try PlanFixture.plan("t | segment y into 3 as band labels (\"low\", \"mid\", \"high\") | abc y by band")
        XCTAssertEqual(plan.schema.names, ["band", "value", "share", "cumulative", "class"])
        XCTAssertEqual(plan.schema.types, [.string, .float, .float, .float, .string])
        XCTAssertThrowsError(try PlanFixture.plan("t | abc y by g | where class > 1"))
    }

    func testCohortColumnsAreBoundByPosition() throws {
        var c = PlanFixture.catalog
        c.add(Table(names: ["k", "d"], columns: [Column(ints: [1, 1, 2]), Column(ints: [20_000, 20_040, 20_010], type: .date)]), as: "e")
        let plan = try PlanFixture.plan("e | cohort by k date d | select cohort, p1", catalog: c)
        XCTAssertEqual(plan.schema.types, [.period, .float])
        let result = try Executor(catalog: c, previous: nil, isCancelled: { false }).run(plan).table
        // Days 20000 and 20010 are in 2024-10, day 20040 in 2024-11: one cohort of two, one of whom came back a month later.
        XCTAssertEqual(result.rowCount, 1)
        XCTAssertEqual(result.columns[1].double(at: 0), 0.5)
        // Beyond the span of the dates (two months): refused while planning.
        XCTAssertThrowsError(try PlanFixture.plan("e | cohort by k date d | select p9", catalog: c)) { e in
            XCTAssertEqual((e as? Diagnostic)?.message, "`p9` is beyond the data: the dates it reads span 2024-10…2024-11, so the columns go up to p1")
        }
        // Within the span but beyond what the filtered rows hold (key 2 has one month): refused when it runs.
        let beyond = try PlanFixture.plan("e | where k == 2 | cohort by k date d | select p1", catalog: c)
        XCTAssertThrowsError(try Executor(catalog: c, previous: nil, isCancelled: { false }).run(beyond)) { e in
            XCTAssertTrue((e as? Diagnostic)?.message.contains("does not exist") ?? false, "\(e)")
        }
    }

    func testPlanningRunsNothing() throws {
        // Planning and completion never ask whether to stop, because they never run anything.
        let session = Session(catalog: PlanFixture.catalog, isCancelled: { XCTFail("a plan ran"); return true })
        XCTAssertEqual(session.schema(of: PlanFixture.pipeline("t | join u on g | agg s = sum(w) by g | segment s into 2")), ["g", "s", "segment"])
        XCTAssertNotNil(try session.plan(PlanFixture.pipeline("t | whatif y *= 1.1 | agg s = sum(y) by g")))
        XCTAssertNotNil(try session.plan(PlanFixture.pipeline("t | where x > (u | agg max(w)) | count")))
    }
}

/// Each optimizer rule on plans: the shape it produces and the cases it must leave alone.
final class OptimizerRuleTests: XCTestCase {
    func apply(_ rule: String, _ text: String) throws -> [String] {
        PlanFixture.lines(PlanFixture.rule(rule)(try PlanFixture.plan(text)))
    }

    func testConstantConditionsDropAlwaysTrueConjuncts() throws {
        XCTAssertEqual(try apply("constant conditions", "t | where 1 < 2 and x > 1"), ["filter x > 1", "  scan t"])
        XCTAssertEqual(try apply("constant conditions", "t | where 1 < 2 | count"), ["count", "  scan t"])
        XCTAssertEqual(try apply("constant conditions", "t | where 1 > 2"), ["filter false", "  scan t"])
    }

    func testFiltersMoveBelowSortsAndProjections() throws {
        XCTAssertEqual(try apply("filter pushdown", "t | sort x | where y > 2"), ["sort x", "  filter y > 2", "    scan t"])
        XCTAssertEqual(try apply("filter pushdown", "t | select a = x * 2, g | where a > 4 and g == \"a\""),
                       ["project a = x * 2, g", "  filter ((x * 2) > 4) and (g == \"a\")", "    scan t"])
        XCTAssertEqual(try apply("filter pushdown", "t | where x > 1 | where y > 2"), ["filter (x > 1) and (y > 2)", "  scan t"])
    }

    func testFiltersStayAboveWindowsLimitsAndGroups() throws {
        XCTAssertEqual(try apply("filter pushdown", "t | derive r = running_sum(x) | where x > 1"),
                       ["filter x > 1", "  project x, y, g, r = running_sum(x)", "    scan t"])
        XCTAssertEqual(try apply("filter pushdown", "t | take 3 | where x > 1"), ["filter x > 1", "  limit 3", "    scan t"])
        XCTAssertEqual(try apply("filter pushdown", "t | segment y into 2 | where x > 1"), ["filter x > 1", "  segment y into 2", "    scan t"])
    }

    func testFiltersGoToTheJoinSideTheyRead() throws {
        XCTAssertEqual(try apply("filter pushdown", "t | join u on g | where x > 1 and w > 10 and x < w"), [
            "filter x < w",
            "  inner join on g == g",
            "    filter x > 1",
            "      scan t",
            "    filter w > 10",
            "      scan u",
        ])
        // After a left join the right side's columns can be null for unmatched rows: such a filter stays above.
        XCTAssertEqual(try apply("filter pushdown", "t | join left u on g | where w > 10 and x > 1"), [
            "filter w > 10",
            "  left join on g == g",
            "    filter x > 1",
            "      scan t",
            "    scan u",
        ])
    }

    func testSortThenTakeBecomesTopN() throws {
        XCTAssertEqual(try apply("top-n", "t | sort -y, x | take 2"), ["top 2 by -y, x", "  scan t"])
        XCTAssertEqual(try apply("top-n", "t | take 4 | take 2"), ["limit 2", "  scan t"])
        XCTAssertEqual(try apply("top-n", "t | sort x | derive z = 1 | take 2"), ["limit 2", "  project x, y, g, z = 1", "    sort x", "      scan t"])
    }

    func testColumnPruningKeepsWhatLaterNodesRead() throws {
        let plan = PlanFixture.rule("column pruning")(try PlanFixture.plan("t | join u on g | where w > 10 | agg s = sum(x) by g"))
        let scans = plan.explain().filter { $0.description.hasPrefix("scan") }.map { $0.columns.map(\.name) }
        XCTAssertEqual(scans, [["x", "g"], ["g", "w"]])
        let whatif = PlanFixture.rule("column pruning")(try PlanFixture.plan("t | whatif y *= 2 where x > 2 | agg s = sum(y)"))
        XCTAssertEqual(whatif.explain().last?.columns.map(\.name), ["x", "y"])
    }
}

/// Every rule keeps results the same: each pipeline runs unoptimized and optimized on the demo data.
final class OptimizerEquivalenceTests: XCTestCase {
    static let queries = [
        "sales | where region == \"East\" and date in 2025-Q3 | count",
        "sales | sort -amount, order_id | take 7",
        "sales | derive net = amount * (1 - discount), big = net > 100 | where big and region == \"West\" | select order_id, net | take 20",
        "sales | join customers on customer_id | where industry == \"Retail\" and region == \"East\" and quantity > 2 | agg n = count() by city",
        "sales | join left customers on customer_id | where name != \"x\" and amount > 500 | agg n = count(), s = sum(amount) by industry",
        "sales | join semi (customers | where industry == \"Retail\") on customer_id | where channel == \"Online\" | count",
        "sales | join anti (customers | where industry == \"Retail\") on customer_id | count",
        "sales | rename who = rep | where who ~ \"^A\" | agg s = sum(amount) by who | top 3 by s",
        "sales | drop cost | derive r = running_sum(amount) over rep | where rep == \"Zoe Evans\" | take 5",
        "sales | agg spend = sum(amount) by customer_id | segment spend into 3 as tier | agg customers = count(), total = sum(spend) by tier",
        "sales | rfm | where tier == \"high-value\" | agg n = count() by segment",
        "sales | abc amount by product | where class == \"A\" | count",
        "sales | cohort per quarter | select cohort, size, p1",
        "sales | whatif unit_price *= 1.05 where region == \"East\" | agg revenue = sum(unit_price * quantity) by region",
        "sales | where date in 2025 | goal sum(amount) = 1e6 vary g in -1..100 with amount *= 1 + g",
        "sales | goal sum(quantity * unit_price) = 1e6 vary g in -1..10 with quantity *= 1 + g by region",
        "sales | where date in 2025 | simulate sum(amount) per month(date) next 3 runs 200 seed 1",
        "sales | union (sales | where region == \"East\") | where region == \"East\" | count",
        "sales | distinct rep, team | where team == \"Comet\" | sort rep",
        "sales | agg revenue = sum(amount) by month(date) | sort month_date | take 3 | chart bar month_date revenue",
        "reviews | where text ~ \"late\" and rating <= 2 | agg n = count() by product | sort -n, product | take 3",
        "sales | where amount > (sales | agg avg(amount)) | count",
    ]

    func testOptimizedPlansGiveTheSameResults() throws {
        var catalog = Catalog()
        for (n, t) in DemoData.generate(scale: 20_000) { catalog.add(t, as: n) }
        let session = Session(catalog: catalog)
        for q in OptimizerEquivalenceTests.queries {
            let bound = try session.planner.plan(PlanFixture.pipeline(q))
            let plain = try session.run(bound, over: nil).table
            let optimized = try session.run(Optimizer.optimize(bound), over: nil).table
            XCTAssertGreaterThan(plain.rowCount, 0, q)
            XCTAssertEqual(plain.names, optimized.names, q)
            XCTAssertEqual(render(plain), render(optimized), q)
        }
    }

    func render(_ t: Table) -> [String] {
        (0..<t.rowCount).map { r in t.columns.map { $0.value(at: r).text }.joined(separator: "|") }
    }
}
