import TallyCore

extension Parser {
    // MARK: Expressions, lowest precedence first

    /// A full expression: `or` of `and`s of comparisons of sums of products of unary terms.
    mutating func expression() throws -> Expr {
        try enter()
        defer { nesting -= 1 }
        let e = try orExpr()
        guard e.depth <= Parser.maxDepth else {
            throw fail("expression too deep: \(e.depth) levels, at most \(Parser.maxDepth)", at: e.range,
                       hints: ["split the expression, or compute parts with `derive`"])
        }
        deepest = max(deepest, e.depth)
        return e
    }

    /// Counts one more level of nesting, or fails when there are too many.
    mutating func enter() throws {
        nesting += 1
        guard nesting <= Parser.maxNesting else {
            nesting -= 1
            throw fail("nested too deeply: more than \(Parser.maxNesting) levels of brackets, calls or sub-queries", at: current.range,
                       hints: ["split the expression, or compute parts with `derive`"])
        }
    }

    mutating func orExpr() throws -> Expr {
        var terms = [try andExpr()]
        while current.isWord(.or) {
            pos += 1
            terms.append(try andExpr())
        }
        return Parser.balanced(.or, terms[...])
    }

    mutating func andExpr() throws -> Expr {
        var terms = [try notExpr()]
        while current.isWord(.and) {
            pos += 1
            terms.append(try notExpr())
        }
        return Parser.balanced(.and, terms[...])
    }

    /// `a op b op c …` for an associative operator as a balanced tree, so a machine-written filter of
    /// thousands of `or` terms is only a dozen levels deep.
    static func balanced(_ op: BinaryOperator, _ terms: ArraySlice<Expr>) -> Expr {
        if terms.count == 1 { return terms[terms.startIndex] }
        let middle = terms.startIndex + terms.count / 2
        let l = balanced(op, terms[..<middle]), r = balanced(op, terms[middle...])
        return Expr(.binary(op, l, r), l.range.union(r.range))
    }

    mutating func notExpr() throws -> Expr {
        if current.isWord(.not) {
            let t = advance()
            try enter()
            defer { nesting -= 1 }
            let e = try notExpr()
            return Expr(.unary(.not, e), t.range.union(e.range))
        }
        return try comparison()
    }

    /// Fails when a chain of `+ -` or `* / %` grows past ``maxChain`` operands.
    mutating func checkChain(_ count: Int, _ e: Expr) throws {
        guard count <= Parser.maxChain else {
            throw fail("more than \(Parser.maxChain) operands in one chain of arithmetic", at: e.range,
                       hints: ["add the parts up in steps with `derive`, or use an aggregate such as sum()"])
        }
    }

    static let comparisonOps: Set<BinaryOperator> = [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .matches]

    mutating func comparison() throws -> Expr {
        let e = try rangeExpr()
        if case .symbol(let s) = current.kind, let op = BinaryOperator(rawValue: s.rawValue), Parser.comparisonOps.contains(op) {
            pos += 1
            let r = try rangeExpr()
            return Expr(.binary(op, e, r), e.range.union(r.range))
        }
        if current.isSymbol(.assign) {
            throw fail("`=` is not a comparison", at: current.range, hints: ["use `==` to compare; `=` names a column (`name = expr`)"])
        }
        if current.isWord(.in) {
            pos += 1
            let r = try rangeExpr()
            return Expr(.binary(.in, e, r), e.range.union(r.range))
        }
        if current.isWord(.not), peek().isWord(.in) {
            let t = advance()
            pos += 1
            let r = try rangeExpr()
            return Expr(.unary(.not, Expr(.binary(.in, e, r), e.range.union(r.range))), t.range.union(r.range))
        }
        if current.isWord(.is) {
            pos += 1
            let negated = accept(.not)
            let end = current.range
            guard accept(.null) || current.kind == .literal(.null) else {
                throw fail("expected `null` after `is\(negated ? " not" : "")`", at: current.range)
            }
            if current.kind == .literal(.null) { pos += 1 }
            return Expr(.isNull(e, negated: negated), e.range.union(end))
        }
        return e
    }

    mutating func rangeExpr() throws -> Expr {
        let e = try additive()
        if current.isSymbol(.range) {
            pos += 1
            let r = try additive()
            return Expr(.range(e, r), e.range.union(r.range))
        }
        return e
    }

    mutating func additive() throws -> Expr {
        var e = try multiplicative()
        var count = 1
        while current.isSymbol(.plus) || current.isSymbol(.minus) {
            let op = advance()
            let r = try multiplicative()
            e = Expr(.binary(op.isSymbol(.plus) ? .add : .subtract, e, r), e.range.union(r.range))
            count += 1
            try checkChain(count, e)
        }
        return e
    }

    mutating func multiplicative() throws -> Expr {
        var e = try unary()
        var count = 1
        while current.isSymbol(.star) || current.isSymbol(.slash) || current.isSymbol(.percent) {
            let op = advance()
            guard case .symbol(let s) = op.kind, let binary = BinaryOperator(rawValue: s.rawValue) else { break }
            let r = try unary()
            e = Expr(.binary(binary, e, r), e.range.union(r.range))
            count += 1
            try checkChain(count, e)
        }
        return e
    }

    mutating func unary() throws -> Expr {
        if current.isSymbol(.minus) {
            let t = advance()
            try enter()
            defer { nesting -= 1 }
            let e = try unary()
            if case .literal(.int(let v)) = e.kind, v != .min { return Expr(.literal(.int(-v)), t.range.union(e.range)) }
            if case .literal(.float(let v)) = e.kind { return Expr(.literal(.float(-v)), t.range.union(e.range)) }
            return Expr(.unary(.negate, e), t.range.union(e.range))
        }
        if current.isSymbol(.plus) {
            pos += 1
            try enter()
            defer { nesting -= 1 }
            return try unary()
        }
        return try postfix()
    }

    mutating func postfix() throws -> Expr {
        var e = try primary()
        if current.isWord(.over), case .call(let f, let args, nil) = e.kind {
            pos += 1
            var keys: [Expr] = []
            if current.isSymbol(.openParen) {
                pos += 1
                keys = try commaList(until: .closeParen) { try $0.expression() }
                let close = try expect(symbol: .closeParen, "to close the `over` list")
                e = Expr(.call(f, args, over: keys), e.range.union(close.range))
            } else {
                keys.append(try additive())
                while current.isSymbol(.comma), peek().identifier != nil, !peek(2).isSymbol(.assign), !peek(2).isSymbol(.timesAssign),
                      !(peek(2).isSymbol(.openParen)), !peek(2).isWord(.by), overContinues() {
                    pos += 1
                    keys.append(try additive())
                }
                e = Expr(.call(f, args, over: keys), e.range.union(keys.last!.range))
            }
        }
        return e
    }

    /// After `over k1`, a comma continues the key list only when the next item is a bare name
    /// followed by the end of the stage.
    func overContinues() -> Bool {
        let after = peek(2)
        return after.kind == .newline || after.kind == .endOfInput
            || [Symbol.pipe, .semicolon, .comma, .closeParen].contains { after.isSymbol($0) }
    }

    mutating func primary() throws -> Expr {
        let t = current
        switch t.kind {
        case .literal(let v):
            pos += 1
            return Expr(.literal(v), t.range)
        case .parameter(let p):
            pos += 1
            return Expr(.parameter(p), t.range)
        case .identifier(let id):
            if t.isWord(.case), peek().isSymbol(.openBracket) { return try caseExpr() }
            pos += 1
            if !t.quoted, current.isSymbol(.openParen) {
                pos += 1
                let args = try commaList(until: .closeParen) { try $0.argument() }
                let close = try expect(symbol: .closeParen, "to close the call to `\(id)`")
                return Expr(.call(id, args, over: nil), t.range.union(close.range))
            }
            return Expr(.column(id), t.range)
        case .symbol(.openParen) where peek().identifier != nil && peek(2).isSymbol(.pipe):
            pos += 1
            let outer = deepest
            deepest = 0
            defer { deepest = outer }
            try enter()
            defer { nesting -= 1 }
            guard let inner = pipeline() else { throw Failure() }
            let close = try expect(symbol: .closeParen, "to close the sub-query")
            return Expr(.subquery(inner), t.range.union(close.range), depth: deepest + 1)
        case .symbol(.openParen):
            pos += 1
            let items = try commaList(until: .closeParen) { try $0.argument() }
            let close = try expect(symbol: .closeParen, "to close the bracket")
            if items.count == 1, case .arrow = items[0].kind {} else if items.count == 1 { return items[0] }
            return Expr(.list(items), t.range.union(close.range))
        default:
            throw fail("expected a value, a column or a function call, found \(describe(t))", at: t.range,
                       hints: t.isSymbol(.pipe) ? ["a verb needs its arguments before the next `|`"] : [])
        }
    }

    /// A call argument or list element: an expression, optionally `expr => expr`.
    mutating func argument() throws -> Expr {
        let e = try expression()
        if current.isSymbol(.arrow) {
            pos += 1
            let v = try expression()
            return Expr(.arrow(e, v), e.range.union(v.range))
        }
        return e
    }

    mutating func caseExpr() throws -> Expr {
        let start = advance().range
        pos += 1
        var arms: [(Expr, Expr)] = []
        while !current.isSymbol(.closeBracket) {
            let cond = try expression()
            _ = try expect(symbol: .arrow, "after a `case` condition")
            let value = try expression()
            arms.append((cond, value))
            if !accept(symbol: .comma) { break }
        }
        let close = try expect(symbol: .closeBracket, "to close `case [`")
        if arms.isEmpty { throw fail("`case` needs at least one `condition => value` arm", at: start.union(close.range)) }
        return Expr(.caseWhen(arms), start.union(close.range))
    }

    /// Items separated by commas up to (not including) a closing symbol; may be empty.
    mutating func commaList<T>(until close: Symbol, _ item: (inout Parser) throws -> T) throws -> [T] {
        var out: [T] = []
        if current.isSymbol(close) { return out }
        repeat {
            if current.isSymbol(close) { break }
            out.append(try item(&self))
        } while accept(symbol: .comma)
        return out
    }
}
