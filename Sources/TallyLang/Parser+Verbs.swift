import TallyCore

extension Parser {
    /// Every verb the parser knows (from ``Verb``), for completion and "did you mean" hints.
    public static let verbs = Verb.allCases.map(\.rawValue)

    // MARK: Verbs

    mutating func stage(_ verb: Name) throws -> (Verb, StageKind) {
        guard let v = Verb(rawValue: verb.text) else {
            if let known = Verb.named(inOtherLanguages: verb.text) {
                throw fail("unknown verb `\(verb.text)`", at: verb.range, hints: ["Tally calls it `\(known.rawValue)`: \(known.syntax)"])
            }
            throw fail("unknown verb `\(verb.text)`", at: verb.range, hints: unknownNameHints(verb.text, candidates: Parser.verbs, kind: "verbs"))
        }
        return (v, try v.parse(&self))
    }

    var atStageEnd: Bool { atStatementEnd || current.isSymbol(.pipe) || current.isSymbol(.closeParen) }

    mutating func items() throws -> [Item] {
        var out: [Item] = []
        repeat {
            out.append(try item())
        } while accept(symbol: .comma)
        return out
    }

    mutating func item() throws -> Item {
        if current.identifier != nil, peek().isSymbol(.assign) {
            let n = try name("a column name")
            pos += 1
            return Item(name: n.text, nameRange: n.range, expr: try expression())
        }
        return Item(name: nil, nameRange: nil, expr: try expression())
    }

    mutating func names(_ what: String) throws -> [Name] {
        var out: [Name] = []
        repeat { out.append(try name(what)) } while accept(symbol: .comma)
        return out
    }

    mutating func renames() throws -> [(Name, Name)] {
        var out: [(Name, Name)] = []
        repeat {
            let new = try name("the new name")
            _ = try expect(symbol: .assign, "in `rename new = old`")
            out.append((new, try name("the old name")))
        } while accept(symbol: .comma)
        return out
    }

    mutating func agg() throws -> StageKind {
        var aggregates: [Item] = []
        if !current.isWord(.by) {
            repeat {
                aggregates.append(try item())
            } while accept(symbol: .comma)
        }
        var keys: [Item] = []
        if accept(.by) { keys = try items() }
        return .agg(aggregates, by: keys)
    }

    mutating func sortKey() throws -> SortKey {
        var descending = false
        if current.isSymbol(.minus) { pos += 1; descending = true }
        let e = try additive()
        if accept(.desc) { descending.toggle() } else { _ = accept(.asc) }
        return SortKey(expr: e, descending: descending)
    }

    mutating func top() throws -> StageKind {
        let n = try additive()
        try expect(.by, "in `top N by KEY`")
        var key = try sortKey()
        key.descending.toggle()
        var per: [Expr] = []
        if accept(.per) { per = try commaList(until: .pipe) { try $0.expression() } }
        return .top(n, key, per: per)
    }

    mutating func join() throws -> StageKind {
        var kind = JoinKind.inner
        if let w = current.identifier, !current.quoted, let k = JoinKind(rawValue: w), peek().identifier != nil || peek().isSymbol(.openParen) {
            kind = k
            pos += 1
        }
        let source = try pipelineSource()
        try expect(.on, "in `join SOURCE on KEY`")
        var keys: [(Expr, Expr)] = []
        repeat {
            let left = try additive()
            if accept(symbol: .equal) {
                keys.append((left, try additive()))
            } else {
                keys.append((left, left))
            }
        } while accept(symbol: .comma)
        return .join(kind, source, keys: keys)
    }

    mutating func parenList(_ what: String) throws -> [Expr] {
        _ = try expect(symbol: .openParen, "before \(what)")
        let list = try commaList(until: .closeParen) { try $0.expression() }
        _ = try expect(symbol: .closeParen, "after \(what)")
        return list
    }

    mutating func segment() throws -> StageKind {
        let e = try additive()
        var name: Name? = nil
        var labels: [Expr] = []
        func tail(_ p: inout Parser) throws {
            if p.accept(.as) { name = try p.name("a column name after `as`") }
            if p.accept(.labels) { labels = try p.parenList("the labels") }
        }
        if accept(.into) {
            let n = try additive()
            try tail(&self)
            return .segmentInto(e, n, name: name, labels: labels)
        }
        if accept(.at) {
            let cuts = try parenList("the cut points")
            try tail(&self)
            return .segmentAt(e, cuts, name: name, labels: labels)
        }
        throw fail("expected `into N` or `at (c1, c2, …)` after the segment expression, found \(describe(current))", at: current.range)
    }

    /// Optional `word NAME` clauses in any order, e.g. `by customer_id date order_date`.
    mutating func options(_ words: [Keyword]) throws -> [Keyword: Name] {
        var out: [Keyword: Name] = [:]
        while let w = current.identifier.flatMap(Keyword.init(rawValue:)), !current.quoted, words.contains(w) {
            pos += 1
            out[w] = try name("a column after `\(w.rawValue)`")
        }
        return out
    }

    mutating func rfm() throws -> StageKind {
        let o = try options([.by, .date, .amount])
        return .rfm(key: o[.by], date: o[.date], amount: o[.amount])
    }

    mutating func abc() throws -> StageKind {
        let e = try additive()
        var key: Name? = nil
        var cuts: [Expr] = []
        if accept(.by) { key = try name("a key column") }
        if accept(.at) { cuts = try parenList("the class limits") }
        return .abc(e, key: key, cuts: cuts)
    }

    mutating func cohort() throws -> StageKind {
        let o = try options([.by, .date, .per])
        return .cohort(key: o[.by], date: o[.date], per: o[.per])
    }

    mutating func funnel() throws -> StageKind {
        let stage = try name("the stage column")
        try expect(.steps, "after the stage column")
        let steps = try parenList("the steps")
        let o = try options([.key, .date])
        var by: [Item] = []
        if accept(.by) { by = try items() }
        return .funnel(stage: stage, steps: steps, key: o[.key], date: o[.date], by: by)
    }

    mutating func terms() throws -> StageKind {
        let text = try additive()
        var top: Expr?
        var stop: [Expr] = []
        if accept(.top) { top = try additive() }
        if accept(.stop) { stop = try parenList("the stop words") }
        var by: [Item] = []
        if accept(.by) { by = try items() }
        return .terms(text, top: top, stop: stop, by: by)
    }

    mutating func pivot() throws -> StageKind {
        let key = try additive()
        var values: [Expr]?
        if accept(.in) { values = try parenList("the key values that become columns") }
        let measure = try expression()
        var by: [Item] = []
        if accept(.by) { by = try items() }
        return .pivot(key: key, values: values, measure: measure, by: by)
    }

    mutating func setters() throws -> [Setter] {
        var out: [Setter] = []
        repeat {
            let col = try name("a column to change")
            guard case .symbol(let s) = current.kind, let op = SetterOperator(rawValue: s.rawValue) else {
                throw fail("expected `=`, `*=`, `+=` or `-=` after `\(col.text)`, found \(describe(current))", at: current.range)
            }
            pos += 1
            out.append(Setter(column: col, op: op, expr: try expression()))
        } while accept(symbol: .comma)
        return out
    }

    mutating func whatif() throws -> StageKind {
        let s = try setters()
        var filter: Expr? = nil
        if accept(.where) { filter = try expression() }
        return .whatif(s, filter: filter)
    }

    mutating func goal() throws -> StageKind {
        let aggregate = try additive()
        let comparison: GoalComparison = accept(symbol: .greaterOrEqual) ? .atLeast : .equal
        if comparison == .equal { _ = try expect(symbol: .assign, "(or `>=`, at least) between the measure and the target in `goal`") }
        let target = try additive()
        try expect(.vary, "in `goal AGG = TARGET vary NAME in LO..HI with …`")
        let variable = try name("the name of the varied value")
        try expect(.in, "after the varied name")
        let low = try additive()
        _ = try expect(symbol: .range, "in the range `LO..HI`")
        let high = try additive()
        try expect(.with, "before the setters in `goal`")
        let s = try setters()
        var filter: Expr? = nil
        if accept(.where) { filter = try expression() }
        var by: [Item] = []
        if accept(.by) { by = try items() }
        return .goal(aggregate: aggregate, comparison: comparison, target: target, variable: variable, low: low, high: high, setters: s,
                     filter: filter, by: by)
    }

    mutating func simulate() throws -> StageKind {
        let aggregate = try additive()
        guard accept(.per) else {
            throw fail("`simulate` needs `per PERIOD`, e.g. `per month(date)`", at: current.range)
        }
        let period = try additive()
        try expect(.next, "in `simulate AGG per PERIOD next N`")
        let next = try additive()
        var runs: Expr? = nil, seed: Expr? = nil, target: Expr? = nil
        while let w = current.identifier.flatMap(Keyword.init(rawValue:)), !current.quoted, [.runs, .seed, .target].contains(w) {
            pos += 1
            let v = try additive()
            switch w {
            case .runs: runs = v
            case .seed: seed = v
            default: target = v
            }
        }
        return .simulate(aggregate: aggregate, period: period, next: next, runs: runs, seed: seed, target: target)
    }

    /// `from P1 to P2` of `why` and `pvm`.
    mutating func periodPair(_ usage: String) throws -> (from: Expr, to: Expr) {
        try expect(.from, "in `\(usage)`")
        let from = try additive()
        try expect(.to, "in `\(usage)`")
        return (from, try additive())
    }

    mutating func why() throws -> StageKind {
        let aggregate = try additive()
        let periods = try periodPair("why AGG from PERIOD to PERIOD")
        var by: [Item] = [], over: Name?, top: Expr?
        while true {
            if accept(.by) {
                by = try items()
            } else if accept(.over) {
                over = try name("the date column the periods are of")
            } else if accept(.top) {
                top = try additive()
            } else {
                break
            }
        }
        return .why(aggregate: aggregate, from: periods.from, to: periods.to, by: by, over: over, top: top)
    }

    mutating func pvm() throws -> StageKind {
        let price = try additive()
        _ = try expect(symbol: .comma, "between the price and the quantity in `pvm PRICE, QUANTITY from …`")
        let quantity = try additive()
        let periods = try periodPair("pvm PRICE, QUANTITY from PERIOD to PERIOD by ITEM")
        var item: Item?, over: Name?
        while true {
            if accept(.by) {
                let items = try items()
                guard items.count == 1 else { throw fail("`pvm` splits by one item column", at: items[1].expr.range) }
                item = items[0]
            } else if accept(.over) {
                over = try name("the date column the periods are of")
            } else {
                break
            }
        }
        guard let item else { throw fail("`pvm` needs `by ITEM`, e.g. `by category`", at: current.range) }
        return .pvm(price: price, quantity: quantity, from: periods.from, to: periods.to, by: item, over: over)
    }

    mutating func chart() throws -> StageKind {
        let kinds = ChartKind.allCases.map(\.rawValue).joined(separator: ", ")
        let kindName = try name("a chart kind (\(kinds))")
        guard let kind = ChartKind(rawValue: kindName.text) else {
            throw fail("unknown chart kind `\(kindName.text)`", at: kindName.range, hints: ["chart kinds: \(kinds)"])
        }
        if kind == .funnel || kind == .bridge { return .chart(kind, [], by: nil, stacked: false, bins: nil) }
        var args: [Expr] = [try additive()]
        var bins: Expr?, by: Expr?
        var stacked = false
        if kind == .hist {
            if accept(.bins) { bins = try additive() }
        } else {
            args.append(try additive())
            while accept(symbol: .comma) { args.append(try additive()) }
            if accept(.by) { by = try additive() }
            stacked = accept(.stacked)
        }
        return .chart(kind, args, by: by, stacked: stacked, bins: bins)
    }
}
