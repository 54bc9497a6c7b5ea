import Foundation
import TallyCore
import TallyEngine
import TallyLang
import XCTest

/// Writes random pipelines from the grammar (every verb, every registered function, edge-case literals,
/// columns that exist and some that do not) and runs each on the demo data. Each must answer or fail with
/// a positioned error; an internal error fails the test, and a trap would end it. `GENERATED=N` runs more
/// (CI runs the default count); `GENERATED_VERBOSE=1` prints each pipeline before it runs.
final class GeneratedPipelineTests: XCTestCase {
    struct Generator {
        var rng: SplitMix64
        var columns: [String] = []
        let tables: [String: [String]]

        static let functions = Array(ScalarFunctions.all.keys.filter { $0 != "~" }) + Array(AggregateFunctions.all.keys)
            + Array(WindowFunctions.all.keys)
            + Array(WindowFunctions.all.keys)
        static let literals = ["0", "1", "-1", "2.5", "1e308", "-9223372036854775807", "9223372036854775807", "null", "true", "\"\"",
                               "\"East\"", "\"a,b\"", "\"#,##0.00%\"", "\"'Q'Q yyyy MMMM EEEE\"", "\"month\"", "2025-11-03", "2025-11", "2025-Q3",
                               "2025", "10%", "1k", "0.0"]
        static let operators = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or", "~"]

        mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

        mutating func column() -> String {
            chance(8) || columns.isEmpty ? pick(["nosuch", "amout", "p3", "n", "value", "segment"]) : pick(columns)
        }

        mutating func expr(_ depth: Int = 0) -> String {
            switch depth > 2 ? rng.next() % 2 : rng.next() % 9 {
            case 0: return column()
            case 1: return pick(Generator.literals)
            case 2, 3: return "\(expr(depth + 1)) \(pick(Generator.operators)) \(expr(depth + 1))"
            case 4, 5:
                let f = pick(Generator.functions)
                let args = (0..<Int(rng.next() % 3)).map { _ in expr(depth + 1) }
                return "\(f)(\(([chance(70) ? column() : expr(depth + 1)] + args).joined(separator: ", ")))" + (chance(10) ? " over \(column())" : "")
            case 6: return "\(column()) in (\(pick(Generator.literals)), \(pick(Generator.literals)))"
            case 7: return "\(column()) in \(pick(Generator.literals))..\(pick(Generator.literals))"
            default: return chance(50) ? "not \(expr(depth + 1))" : "case [\(expr(depth + 1)) => \(expr(depth + 1)), true => \(pick(Generator.literals))]"
            }
        }

        mutating func stage() -> String {
            let name = pick(["a", "b", "n2", "x"])
            switch rng.next() % 25 {
            case 0: return "where \(expr())"
            case 1: let s = "select \(column()), \(name) = \(expr())"; columns = [columns.first ?? "x", name]; return s
            case 2: columns.append(name); return "derive \(name) = \(expr())"
            case 3: return "drop \(column())"
            case 4: let s = "rename \(name) = \(column())"; columns.append(name); return s
            case 5:
                let key = column()
                columns = [key, name]
                return "agg \(name) = \(pick(["sum", "avg", "min", "max", "count", "count_distinct", "quantile", "median"]))(\(expr())) by \(key)"
            case 6: return "sort \(chance(50) ? "-" : "")\(column()), \(expr())"
            case 7: return "take \(pick(["0", "3", "-1", "9223372036854775807", "2.5"]))"
            case 8: return "top \(pick(["1", "5", "0"])) by \(column())" + (chance(40) ? " per \(column())" : "")
            case 9: return chance(30) ? "distinct" : "distinct \(column())"
            case 10: columns = ["n"]; return "count"
            case 11: return "join \(pick(["", "left ", "semi ", "anti "]))\(pick(["customers", "targets", "(sales | select customer_id)"])) on \(column())"
            case 12: return "union \(pick(["sales", "_", "(sales | take 2)"]))"
            case 13:
                columns.append("segment")
                return "segment \(expr()) " + (chance(50) ? "into \(pick(["3", "0", "1000000"]))" : "at (\(pick(Generator.literals)), 100)")
            case 14: columns = ["customer_id", "recency", "frequency", "monetary", "r", "f", "m", "rfm", "segment", "tier"]; return "rfm"
            case 15: columns += ["value", "share", "cumulative", "class"]; return "abc \(column())" + (chance(50) ? " by \(column())" : "")
            case 16: columns = ["cohort", "size", "p0", "p1"]; return "cohort" + (chance(50) ? " per \(pick(["quarter", "week", "day"]))" : "")
            case 17: return "whatif \(column()) \(pick(["*=", "=", "+="])) \(expr())"
            case 18: return "goal sum(\(column())) = \(pick(["1e6", "0", "-5"])) vary g in \(pick(["0..1", "-1..10", "1..0"])) with \(column()) *= 1 + g"
            case 19: return "simulate sum(\(column())) per \(pick(["month(date)", "date", "region"])) next \(pick(["1", "3"])) runs 50"
            case 20:
                return "chart \(pick(["bar", "line", "scatter"])) \(column()) \(column())" + (chance(30) ? ", \(column())" : "")
                    + (chance(30) ? " by \(column())" : "") + (chance(20) ? " stacked" : "")
            case 22:
                columns = ["term", "documents", "share"]
                return "terms \(column())" + (chance(40) ? " top \(pick(["0", "3"]))" : "") + (chance(30) ? " stop (\(pick(Generator.literals)))" : "")
            case 21:
                let s = "funnel \(column()) steps (\"lead\", \(pick(Generator.literals)), \"won\")" + (chance(50) ? " key \(column()) date \(column())" : "")
                columns = ["step", "step_no", "reached", "conversion", "overall", "dropped", "median_days"]
                return s + (chance(30) ? " by \(column())" : "")
            case 23:
                let key = column(), group = column()
                let values = chance(50) ? " in (\(pick(Generator.literals)), \(pick(Generator.literals)))" : ""
                columns = [group]
                return "pivot \(key)\(values) \(pick(["count()", "sum(\(column()))", "avg(\(expr()))"])) by \(group)"
            default: return "chart hist \(column()) bins \(pick(["1", "5", "200"]))"
            }
        }

        mutating func pipeline() -> String {
            let table = pick(Array(tables.keys).sorted())
            columns = tables[table]!
            return ([table] + (0..<(1 + Int(rng.next() % 4))).map { _ in stage() }).joined(separator: " | ")
        }
    }

    func testGeneratedPipelinesAnswerOrFailWithAPosition() {
        var catalog = Catalog()
        for (n, t) in DemoData.generate(scale: 1_000) { catalog.add(t, as: n) }
        let tables = Dictionary(uniqueKeysWithValues: catalog.names.map { ($0, catalog[$0]!.names) })
        let env = ProcessInfo.processInfo.environment
        let count = env["GENERATED"].flatMap(Int.init) ?? 1_500
        var generator = Generator(rng: SplitMix64(seed: UInt64(env["GENERATED_SEED"].flatMap(Int.init) ?? 7)), tables: tables)
        var answered = 0, refused = 0
        for _ in 0..<count {
            let text = generator.pipeline()
            if env["GENERATED_VERBOSE"] == "1" { print(text) }
            let session = Session(catalog: catalog)
            let (statements, diagnostics) = Parser.parse(SourceText(name: "g", text: text))
            guard diagnostics.isEmpty, let statement = statements.first else { refused += 1; continue }
            do {
                _ = try session.execute(statement)
                answered += 1
            } catch let d as Diagnostic {
                XCTAssertFalse(d.message.hasPrefix("internal"), "\(text)\n\(d.message)")
                refused += 1
            } catch let list as DiagnosticList {
                XCTAssertFalse(list.diagnostics.contains { $0.message.hasPrefix("internal") }, text)
                refused += 1
            } catch {
                XCTFail("\(text)\nunexpected error: \(error)")
            }
        }
        print("generated pipelines: \(count), answered \(answered), refused with an error \(refused)")
        XCTAssertGreaterThan(answered, count / 10, "the generator should mostly write pipelines that run")
    }
}
