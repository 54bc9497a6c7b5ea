import Foundation
import TallyCore

extension ScalarFunctions {
    static let conversion: [ScalarFunction] = [
        ScalarFunction(name: "pct", signature: "pct(x)", doc: "x, a fraction, shown as a percentage (0.185 as 18.5%); CSV and JSON keep 0.185",
                       arity: 1...1, resultType: { t in
            if let p = Expect.numeric("pct", t, [0]) { return .failure(p) }
            return .success(.float)
        }, eval: { a, _ in
            a[0].asFloat().percent()
        }, showsAsPercent: true).sql { c in c.float(c.arguments[0]) },
        ScalarFunction(name: "int", signature: "int(x)", doc: "to an integer (floats truncate; unparsable text is null)", arity: 1...1, resultType: { t in
            if let p = Expect.type("int", t, 0, .int, .float, .string, .bool) { return .failure(p) }
            return .success(.int)
        }, eval: { a, _ in
            let c = a[0]
            switch c.type {
            case .float:
                let bad = c.floats.map { !$0.isFinite || abs($0) >= 9.2e18 }
                return Column(ints: c.floats.map { $0.isFinite && abs($0) < 9.2e18 ? Int64($0) : 0 }, validity: c.validity).nulling(where: bad)
            case .string: return Dictionaries.mapToInts(c, type: .int) { Int64($0.trimmingCharacters(in: .whitespaces)) }
            default: return Column(ints: c.ints, type: .int, validity: c.validity)
            }
        }).sql { c in
            switch c.argumentTypes[0] {
            case .float: return c.dialect.truncatedToInteger(c.arguments[0])
            case .string: return nil
            default: return .cast(c.arguments[0], .tally(.int))
            }
        },
        ScalarFunction(name: "float", signature: "float(x)", doc: "to a float (unparsable text is null)", arity: 1...1, resultType: { t in
            if let p = Expect.type("float", t, 0, .int, .float, .string, .bool) { return .failure(p) }
            return .success(.float)
        }, eval: { a, n in
            let c = a[0]
            switch c.type {
            case .string:
                let parsed = c.dictionary.map { Double($0.trimmingCharacters(in: .whitespaces)) }
                var out = [Double](repeating: 0, count: n)
                var bad = [Bool](repeating: false, count: n)
                for i in 0..<n { if let v = parsed[Int(c.codes[i])] { out[i] = v } else { bad[i] = true } }
                return Column(floats: out, validity: c.validity).nulling(where: bad)
            case .float: return c
            default: return Column(floats: c.ints.map(Double.init), validity: c.validity)
            }
        }).sql { c in c.float(c.arguments[0]) },
        ScalarFunction(name: "str", signature: "str(x)", doc: "as text (dates ISO, periods as written)", arity: 1...1, resultType: { _ in .success(.string) },
            eval: { a, n in
            let c = a[0]
            if c.type == .string { return c }
            return Dictionaries.build((0..<n).map { c.isNull($0) ? nil : c.value(at: $0).text })
        }),
        ScalarFunction(name: "date", signature: "date(x)", doc: "to a date: text YYYY-MM-DD, or the first day of a period", arity: 1...1, resultType: { t in
            if let p = Expect.type("date", t, 0, .string, .date, .period) { return .failure(p) }
            return .success(.date)
        }, eval: { a, _ in
            let c = a[0]
            switch c.type {
            case .string: return Dictionaries.mapToInts(c, type: .date) { CivilDate.parse(Substring($0.trimmingCharacters(in: .whitespaces))) }
            case .period: return Column(ints: c.ints.map { Period(encoded: $0).startDay }, type: .date, validity: c.validity)
            default: return c
            }
        }),
    ]

    static let conditional: [ScalarFunction] = [
        ScalarFunction(name: "coalesce", signature: "coalesce(a, b, ...)", doc: "the first argument that is not null", arity: 1...64, resultType: { t in
            var r: DataType = .null
            for (i, x) in t.enumerated() {
                guard let u = DataType.unify(r, x) else {
                    return .failure(ArgumentProblem(i, "`coalesce` arguments must share a type, argument \(i + 1) is \(Expect.article(x))"))
                }
                r = u
            }
            return .success(r)
        }, eval: { a, n in
            let type = a.reduce(DataType.null) { DataType.unify($0, $1.type) ?? $0 }
            var choice = [Int32](repeating: -1, count: n)
            for i in 0..<n { choice[i] = Int32(a.firstIndex { !$0.isNull(i) } ?? -1) }
            return pick(a, choice: choice, type: type)
        }, takesNullType: true).sql { c in .call("coalesce", c.arguments) },
        ScalarFunction(name: "if", signature: "if(cond, then, else)", doc: "then where cond is true, else otherwise (also when null)", arity: 3...3,
            resultType: { t in
            if let p = Expect.type("if", t, 0, .bool) { return .failure(p) }
            guard let r = DataType.unify(t[1], t[2]) else {
                return .failure(ArgumentProblem(2, "`if` branches must share a type: \(Expect.article(t[1])) and \(Expect.article(t[2]))"))
            }
            return .success(r)
        }, eval: { a, n in
            let type = DataType.unify(a[1].type, a[2].type) ?? .null
            let choice = (0..<n).map { a[0].isTrue($0) ? Int32(0) : Int32(1) }
            return pick([a[1], a[2]], choice: choice, type: type)
        }, takesNullType: true).sql { c in .when([(c.arguments[0], c.arguments[1])], otherwise: c.arguments[2]) },
    ]

    static func bandFunction(_ name: String, _ doc: String, flat: Bool) -> ScalarFunction {
        ScalarFunction(name: name, signature: "\(name)(x, (0 => 5%, 100k => 6%, ...))", doc: doc, arity: 2...2, resultType: { t in
            if let p = Expect.numeric(name, t, [0]) { return .failure(p) }
            return .success(.float)
        }, eval: { a, n in
            // The binder passes the bands as one float column: threshold, rate, threshold, rate, …
            let flatBands = a[1].floats
            let bands = stride(from: 0, to: flatBands.count - 1, by: 2).map { (flatBands[$0], flatBands[$0 + 1]) }
            let x = a[0].doubles
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n { out[i] = flat ? Incentives.flat(x[i], bands) : Incentives.marginal(x[i], bands) }
            return Column(floats: out, validity: a[0].validity)
        }).sql { c in
            guard let bands = c.bands, !bands.isEmpty else { throw SQLRefusal("its bands are not constant") }
            return Incentives.sql(c.float(c.arguments[0]), bands, flat: flat)
        }.setting(\.bandsArgument, 1)
    }

    static let incentives: [ScalarFunction] = [
        bandFunction("tiered", "marginal commission: each band's rate applies to the part of x inside it", flat: false),
        bandFunction("tiered_flat", "the rate of the highest band reached applies to all of x", flat: true),
    ]
}

/// Commission arithmetic over `(threshold, rate)` bands sorted by threshold.
enum Incentives {
    /// `tiered(x, bands)` in SQL (each band's rate on the part of x inside it), or `tiered_flat` (the highest band reached
    /// on all of x).
    static func sql(_ x: SQLExpr, _ bands: [(Double, Double)], flat: Bool) -> SQLExpr {
        if flat { return .when(bands.reversed().map { (.binary(x, .greaterOrEqual, .float($0.0)), x * .float($0.1)) }, otherwise: .float(0)) }
        let parts = bands.enumerated().map { k, band -> SQLExpr in
            let above = SQLExpr.call("GREATEST", x - .float(band.0), .integer(0))
            let inside = k + 1 < bands.count ? .call("LEAST", above, .float(bands[k + 1].0 - band.0)) : above
            return inside * .float(band.1)
        }
        return .when([(.isNull(x, negated: false), .null)], otherwise: parts.dropFirst().reduce(parts[0], +))
    }

    static func marginal(_ x: Double, _ bands: [(Double, Double)]) -> Double {
        var total = 0.0
        for (k, band) in bands.enumerated() {
            let upper = k + 1 < bands.count ? bands[k + 1].0 : .infinity
            if x > band.0 { total += (min(x, upper) - band.0) * band.1 }
        }
        return total
    }

    static func flat(_ x: Double, _ bands: [(Double, Double)]) -> Double {
        guard let band = bands.last(where: { x >= $0.0 }) else { return 0 }
        return x * band.1
    }
}
