import TallyCore
import TallyLang
import XCTest

final class ParserTests: XCTestCase {
    func expression(_ text: String) -> Expr {
        let (e, d) = Parser.parseExpression(SourceText(name: "t", text: text))
        XCTAssertEqual(d, [], text)
        return e!
    }

    /// Fully bracketed form of an expression, to check precedence.
    func shape(_ e: Expr) -> String {
        switch e.kind {
        case .literal(let v): return v.text
        case .column(let c): return c
        case .parameter(let p): return "$" + p
        case .unary(let op, let a): return "(\(op.rawValue) \(shape(a)))"
        case .binary(let op, let a, let b): return "(\(shape(a)) \(op.rawValue) \(shape(b)))"
        case .call(let f, let args, let over):
            return "\(f)(\(args.map(shape).joined(separator: ", ")))" + (over.map { " over " + $0.map(shape).joined(separator: ", ") } ?? "")
        case .list(let items): return "[" + items.map(shape).joined(separator: ", ") + "]"
        case .range(let a, let b): return "\(shape(a))..\(shape(b))"
        case .arrow(let a, let b): return "\(shape(a)) => \(shape(b))"
        case .caseWhen(let arms): return "case[" + arms.map { "\(shape($0.0)) => \(shape($0.1))" }.joined(separator: ", ") + "]"
        case .isNull(let a, let neg): return "(\(shape(a)) is \(neg ? "not " : "")null)"
        case .subquery: return "(subquery)"
        }
    }

    func testPrecedence() {
        XCTAssertEqual(shape(expression("a + b * c - d")), "((a + (b * c)) - d)")
        XCTAssertEqual(shape(expression("a or b and not c == 1")), "(a or (b and (not (c == 1))))")
        XCTAssertEqual(shape(expression("-a * b")), "((- a) * b)")
        XCTAssertEqual(shape(expression("x in 1..2 + 3")), "(x in 1..(2 + 3))")
        XCTAssertEqual(shape(expression("x is not null and y ~ \"z\"")), "((x is not null) and (y ~ z))")
        XCTAssertEqual(shape(expression("d in (\"a\", \"b\")")), "(d in [a, b])")
        XCTAssertEqual(shape(expression("case [a > 1 => \"x\", true => \"y\"]")), "case[(a > 1) => x, true => y]")
        XCTAssertEqual(shape(expression("tiered(x, (0 => 5%, 100k => 6%))")), "tiered(x, [0 => 0.05, 100000 => 0.06])")
        XCTAssertEqual(shape(expression("pct_change(r) over rep")), "pct_change(r) over rep")
        XCTAssertEqual(shape(expression("x not in (1)")), "(not (x in 1))")
    }

    func testPipelinesAndStatements() {
        let (s, d) = Parser.parse(SourceText(name: "t", text: """
        param m = 2025-11
        let east = sales | where region == "East"
        east
        | agg revenue = sum(amount), n = count() by rep, q = quarter(date)
        | sort -revenue, rep desc
        | top 3 by revenue per q; _ | count
        """))
        XCTAssertEqual(d, [])
        XCTAssertEqual(s.count, 4)
        guard case .query(let p) = s[2] else { return XCTFail() }
        XCTAssertEqual(p.stages.map(\.verb), [.agg, .sort, .top])
        guard case .agg(let items, let by) = p.stages[0].kind else { return XCTFail() }
        XCTAssertEqual(items.map(\.outputName), ["revenue", "n"])
        XCTAssertEqual(by.map(\.outputName), ["rep", "q"])
        guard case .sort(let keys) = p.stages[1].kind else { return XCTFail() }
        XCTAssertEqual(keys.map(\.descending), [true, true])
    }

    func testAutoNames() {
        XCTAssertEqual(expression("sum(amount)").autoName, "sum_amount")
        XCTAssertEqual(expression("count()").autoName, "n")
        XCTAssertEqual(expression("month(date)").autoName, "month_date")
    }

    func testRecoversAndReportsSeveralErrors() {
        let (s, d) = Parser.parse(SourceText(name: "t", text: "sales | where | take 1\nsales | frob\nsales | count"))
        XCTAssertEqual(d.count, 2)
        XCTAssertEqual(s.count, 1, "only the good statement survives")
    }

    func testJoinForms() {
        let (s, d) = Parser.parse(SourceText(name: "t", text: "a | join left (b | where x > 1) on k == k2, j | join anti c on k"))
        XCTAssertEqual(d, [])
        guard case .query(let p) = s[0], case .join(let kind, _, let keys) = p.stages[0].kind else { return XCTFail() }
        XCTAssertEqual(kind, .left)
        XCTAssertEqual(keys.count, 2)
    }

    func testAnalyticsVerbsParse() {
        for q in [
            "s | segment spend into 3 as tier labels (\"low\", \"mid\", \"high\")",
            "s | segment amount at (100, 1k)",
            "s | rfm by customer_id date date amount amount",
            "s | abc amount by product at (70%, 90%)",
            "s | cohort by customer_id per quarter",
            "s | whatif price *= 1.05, qty -= 1 where region == \"East\" | agg r = sum(price * qty) by team",
            "s | goal sum(amount) = 12m vary g in 0..1 with amount *= 1 + g where region == \"East\" by team",
            "s | simulate sum(amount) per month(date) next 3 runs 100 seed 1 target 4.5m",
            "s | chart hist amount bins 20",
        ] {
            let (_, d) = Parser.parse(SourceText(name: "t", text: q))
            XCTAssertEqual(d, [], q)
        }
    }
}
