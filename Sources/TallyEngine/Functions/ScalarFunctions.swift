import Foundation
import TallyCore

/// The registry of row-wise functions; feeds the binder, completion and `.help functions`.
public enum ScalarFunctions {
    public static let all: [String: ScalarFunction] = {
        var d: [String: ScalarFunction] = [:]
        for f in math + text + calendar + periods + formatting + conversion + conditional + incentives { d[f.name] = f }
        return d
    }()

    static func numericUnary(_ name: String, _ doc: String, keepsInt: Bool, _ f: @escaping (Double) -> Double) -> ScalarFunction {
        ScalarFunction(name: name, signature: "\(name)(x)", doc: doc, arity: 1...1, resultType: { t in
            if let p = Expect.numeric(name, t, [0]) { return .failure(p) }
            return .success(keepsInt && t[0] == .int ? .int : .float)
        }, eval: { args, _ in
            let a = args[0]
            if keepsInt, a.type == .int {
                guard name == "abs" else { return a }
                if (0..<a.count).contains(where: { a.ints[$0] == .min && !a.isNull($0) }) {
                    throw KernelError(message: "integer overflow in `abs`", hints: ["convert to float first with float(x)"])
                }
                return Column(ints: a.ints.map { abs($0) }, validity: a.validity)
            }
            let x = a.doubles
            let out = x.map(f)
            let bad = out.map { !$0.isFinite }
            return Column(floats: out.map { $0.isFinite ? $0 : 0 }, validity: a.validity).nulling(where: bad)
        })
    }

    static let math: [ScalarFunction] = [
        numericUnary("abs", "absolute value", keepsInt: true, Swift.abs).sql { c in .call("abs", c.arguments) },
        numericUnary("floor", "largest whole number ≤ x", keepsInt: true) { $0.rounded(.down) }.sql { c in
            c.type == .int ? .cast(.call("floor", c.arguments), .tally(.int)) : .call("floor", c.arguments)
        },
        numericUnary("ceil", "smallest whole number ≥ x", keepsInt: true) { $0.rounded(.up) }.sql { c in
            c.type == .int ? .cast(.call("ceil", c.arguments), .tally(.int)) : .call("ceil", c.arguments)
        },
        numericUnary("sqrt", "square root (null for negatives)", keepsInt: false) { $0.squareRoot() }.sql { c in
            .when([(.binary(c.arguments[0], .greaterOrEqual, .integer(0)), .call("sqrt", c.arguments))])
        },
        numericUnary("ln", "natural logarithm (null for x ≤ 0)", keepsInt: false) { $0 > 0 ? Foundation.log($0) : .nan }.sql { c in
            .when([(.binary(c.arguments[0], .greater, .integer(0)), .call("ln", c.arguments))])
        },
        numericUnary("exp", "e to the power x", keepsInt: false) { Foundation.exp($0) }.sql { c in .call("exp", c.arguments) },
        ScalarFunction(name: "round", signature: "round(x[, digits])", doc: "round half away from zero to digits (default 0) decimals", arity: 1...2,
            resultType: { t in
            if let p = Expect.numeric("round", t, [0, 1]) { return .failure(p) }
            return .success(t[0] == .int ? .int : .float)
        }, eval: { args, n in
            let a = args[0]
            let digits = args.count > 1 ? args[1].doubles : [Double](repeating: 0, count: n)
            if a.type == .int { return try roundIntegers(a, digits: digits) }
            let x = a.floats
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n {
                // Beyond ±300 digits the scale is not a finite double: nothing to round, or everything rounds to 0.
                let d = digits[i].isNaN ? 0 : min(300, max(-300, digits[i].rounded()))
                let scale = Foundation.pow(10, d)
                let r = (x[i] * scale).rounded(.toNearestOrAwayFromZero) / scale
                out[i] = r.isFinite || !x[i].isFinite ? r : x[i]
            }
            return Column(floats: out, validity: args.count > 1 ? andValidity(a, args[1]) : a.validity)
        }).sql { c in
            // Half away from zero, as Tally rounds.
            .cast(c.dialect.roundHalfAwayFromZero(c.arguments[0], c.arguments.count > 1 ? c.arguments[1] : .integer(0)), .tally(c.type))
        },
        ScalarFunction(name: "pow", signature: "pow(x, y)", doc: "x to the power y", arity: 2...2, resultType: { t in
            if let p = Expect.numeric("pow", t, [0, 1]) { return .failure(p) }
            return .success(.float)
        }, eval: { args, n in
            let x = args[0].doubles, y = args[1].doubles
            let out = (0..<n).map { Foundation.pow(x[$0], y[$0]) }
            return Column(floats: out.map { $0.isFinite ? $0 : 0 }, validity: andValidity(args[0], args[1])).nulling(where: out.map { !$0.isFinite })
        }).sql { c in .call("power", c.float(c.arguments[0]), c.arguments[1]) },
        extreme("least", "smallest of the arguments (ignores nulls)", pickLarger: false).sql { c in .call("least", c.arguments) },
        extreme("greatest", "largest of the arguments (ignores nulls)", pickLarger: true).sql { c in .call("greatest", c.arguments) },
    ]

    static func extreme(_ name: String, _ doc: String, pickLarger: Bool) -> ScalarFunction {
        ScalarFunction(name: name, signature: "\(name)(a, b, ...)", doc: doc, arity: 2...64, resultType: { t in
            var r: DataType = .null
            for (i, x) in t.enumerated() {
                guard let u = DataType.unify(r, x) else {
                    return .failure(ArgumentProblem(i, "`\(name)` arguments must share a type, argument \(i + 1) is \(Expect.article(x))"))
                }
                r = u
            }
            return .success(r)
        }, eval: { args, n in
            let type = args.reduce(DataType.null) { DataType.unify($0, $1.type) ?? $0 }
            let cols = args.map { $0.coerced(to: type) }
            var choice = [Int32](repeating: -1, count: n)
            for k in 0..<cols.count {
                let c = cols[k]
                for i in 0..<n where !c.isNull(i) {
                    let cur = Int(choice[i])
                    if cur < 0 { choice[i] = Int32(k); continue }
                    let better: Bool
                    switch type {
                    case .float: better = pickLarger ? c.floats[i] > cols[cur].floats[i] : c.floats[i] < cols[cur].floats[i]
                    case .string:
                        let s = c.dictionary[Int(c.codes[i])], t = cols[cur].dictionary[Int(cols[cur].codes[i])]
                        better = pickLarger ? s > t : s < t
                    default: better = pickLarger ? c.ints[i] > cols[cur].ints[i] : c.ints[i] < cols[cur].ints[i]
                    }
                    if better { choice[i] = Int32(k) }
                }
            }
            return pick(cols, choice: choice, type: type)
        })
    }

    static func stringFunction(_ name: String, _ signature: String, _ doc: String, arity: ClosedRange<Int>, result: DataType,
                               stringArgs: [Int], eval: @escaping ([Column], Int) throws -> Column) -> ScalarFunction {
        ScalarFunction(name: name, signature: signature, doc: doc, arity: arity, resultType: { t in
            for i in stringArgs where i < t.count {
                if let p = Expect.type(name, t, i, .string) { return .failure(p) }
            }
            for i in t.indices where !stringArgs.contains(i) {
                if let p = Expect.numeric(name, t, [i]) { return .failure(p) }
            }
            return .success(result)
        }, eval: eval)
    }

    /// Row-wise string function of the first argument and constant-per-row others, evaluated per distinct (code, args).
    static func perRow(_ args: [Column], _ n: Int, _ f: (String, Int) -> String?) -> Column {
        let a = args[0]
        var out: [String?] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            if args.contains(where: { $0.isNull(i) }) { out.append(nil); continue }
            out.append(f(a.dictionary[Int(a.codes[i])], i))
        }
        return Dictionaries.build(out)
    }

    static let text: [ScalarFunction] = [
        stringFunction("lower", "lower(s)", "lower case", arity: 1...1, result: .string, stringArgs: [0]) { a,
            _ in Dictionaries.mapEntries(a[0]) { $0.lowercased() } }
            .sql { c in .call("lower", c.arguments) },
        stringFunction("upper", "upper(s)", "upper case", arity: 1...1, result: .string, stringArgs: [0]) { a,
            _ in Dictionaries.mapEntries(a[0]) { $0.uppercased() } }
            .sql { c in .call("upper", c.arguments) },
        stringFunction("trim", "trim(s)", "without leading and trailing white space", arity: 1...1, result: .string, stringArgs: [0]) { a, _ in
            Dictionaries.mapEntries(a[0]) { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }.sql { c in .call("trim", c.arguments) },
        stringFunction("len", "len(s)", "number of characters", arity: 1...1, result: .int, stringArgs: [0]) { a, _ in
            Dictionaries.mapToInts(a[0], type: .int) { Int64($0.count) }
        }.sql { c in .cast(.call("length", c.arguments), .tally(.int)) },
        predicate("contains", "contains(s, part)", "whether s contains part (case-sensitive)") { $0.contains($1) }
            .sql { c in c.dialect.contains(c.arguments[0], c.arguments[1]) },
        predicate("starts_with", "starts_with(s, prefix)", "whether s starts with prefix") { $0.hasPrefix($1) }
            .sql { c in c.dialect.startsWith(c.arguments[0], c.arguments[1]) },
        predicate("ends_with", "ends_with(s, suffix)", "whether s ends with suffix") { $0.hasSuffix($1) }.sql { c in
            .binary(.call("right", c.arguments[0], .call("length", c.arguments[1])), .equal, c.arguments[1])
        },
        stringFunction("replace", "replace(s, from, to)", "every `from` replaced by `to`", arity: 3...3, result: .string, stringArgs: [0, 1, 2]) { a, n in
            perRow(a, n) { s, i in
                let from = a[1].dictionary[Int(a[1].codes[i])]
                return from.isEmpty ? s : s.replacingOccurrences(of: from, with: a[2].dictionary[Int(a[2].codes[i])])
            }
        }.sql { c in .call("replace", c.arguments) },
        stringFunction("substr", "substr(s, start[, length])", "characters from start (1-based)", arity: 2...3, result: .string, stringArgs: [0]) { a, n in
            let start = a[1].doubles, length = a.count > 2 ? a[2].doubles : nil
            return perRow(a, n) { s, i in
                let chars = Array(s)
                // Positions and lengths beyond the text (or not numbers at all) are clamped to it.
                let from = max(0, clampedIndex(start[i]) - 1)
                guard from < chars.count else { return "" }
                let count = length.map { max(0, clampedIndex($0[i])) } ?? chars.count
                return String(chars[from..<min(chars.count, from + count)])
            }
        }.sql { c in .call("substr", [c.arguments[0]] + c.arguments.dropFirst().map(SQLExpr.clampedToInt32)) },
    ]

    static func predicate(_ name: String, _ sig: String, _ doc: String, _ f: @escaping (String, String) -> Bool) -> ScalarFunction {
        stringFunction(name, sig, doc, arity: 2...2, result: .bool, stringArgs: [0, 1]) { a, n in
            let s = a[0], p = a[1]
            var out = [Int64](repeating: 0, count: n)
            if p.dictionary.count == 1 {
                let hits = s.dictionary.map { f($0, p.dictionary[0]) }
                for i in 0..<n { out[i] = hits[Int(s.codes[i])] ? 1 : 0 }
            } else {
                for i in 0..<n { out[i] = f(s.dictionary[Int(s.codes[i])], p.dictionary[Int(p.codes[i])]) ? 1 : 0 }
            }
            return Column(ints: out, type: .bool, validity: andValidity(s, p))
        }
    }
}

/// A character position or count from a number: NaN is 0 and values beyond ±2³¹ are clamped, so huge
/// arguments mean "to the end" instead of overflowing.
func clampedIndex(_ v: Double) -> Int {
    guard !v.isNaN else { return 0 }
    return Int(max(-2_147_483_648, min(2_147_483_647, v.rounded(.towardZero))))
}

/// `round(x, digits)` on integers: unchanged for digits ≥ 0, to tens, hundreds, … (half away from zero) below;
/// a result beyond the int range is an overflow error.
func roundIntegers(_ a: Column, digits: [Double]) throws -> Column {
    var out = a.ints
    for i in 0..<a.count where !a.isNull(i) && digits[i] < 0 {
        let places = digits[i].isNaN ? 0 : -digits[i].rounded()
        guard places < 19 else { out[i] = 0; continue }
        var p: Int64 = 1
        for _ in 0..<Int(places) { p *= 10 }
        let (q, r) = a.ints[i].quotientAndRemainder(dividingBy: p)
        let step: Int64 = abs(r) * 2 >= p ? (a.ints[i] < 0 ? -1 : 1) : 0
        let (v, o) = (q + step).multipliedReportingOverflow(by: p)
        if o { throw KernelError(message: "integer overflow in `round`", hints: ["convert to float first with float(x)"]) }
        out[i] = v
    }
    return Column(ints: out, validity: a.validity)
}
