import TallyCore

/// Parses statements. Never throws: returns what it could parse plus diagnostics,
/// recovering at the next `|` or statement end after an error.
public struct Parser {
    var tokens: [Token]
    var pos = 0
    public private(set) var diagnostics: [Diagnostic] = []
    /// How many expressions, prefix operators and sub-pipelines enclose the current token.
    var nesting = 0
    /// The deepest expression parsed so far in the current pipeline (see ``Expr/depth``).
    var deepest = 0

    /// Deepest nesting of brackets, calls, prefix operators and sub-queries a statement may have. Every later
    /// stage (binder, planner, evaluator) walks expressions recursively, so this bounds their stack use.
    public static let maxNesting = 200
    /// Most operands one chain of `+ -` or `* / %` may have (chains of `and`/`or` are balanced and unlimited).
    public static let maxChain = 1_000
    /// Deepest expression (``Expr/depth``, sub-queries included) a statement may have.
    public static let maxDepth = 2_000

    /// Unwinds to the nearest recovery point after a diagnostic was recorded.
    struct Failure: Error {}

    public init(_ source: SourceText) {
        var lexer = Lexer(source)
        tokens = lexer.tokenize()
        diagnostics = lexer.diagnostics
    }

    /// Lexes and parses a whole text.
    public static func parse(_ source: SourceText) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        var p = Parser(source)
        let statements = p.parseStatements()
        return (statements, p.diagnostics)
    }

    /// Parses a single expression (used by `--param` values and `.run k=v`).
    public static func parseExpression(_ source: SourceText) -> (Expr?, [Diagnostic]) {
        var p = Parser(source)
        let e = try? p.expression()
        if e != nil, !p.atEnd { p.report("unexpected `\(p.describe(p.current))` after the value", at: p.current.range) }
        return (e, p.diagnostics)
    }

    // MARK: Token access

    var current: Token { tokens[pos] }
    var atEnd: Bool { current.kind == .endOfInput }
    var atStatementEnd: Bool { atEnd || current.kind == .newline || current.isSymbol(.semicolon) }

    func peek(_ k: Int = 1) -> Token { tokens[min(pos + k, tokens.count - 1)] }

    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    mutating func accept(symbol s: Symbol) -> Bool {
        if current.isSymbol(s) { pos += 1; return true }
        return false
    }

    mutating func accept(_ w: Keyword) -> Bool {
        if current.isWord(w) { pos += 1; return true }
        return false
    }

    mutating func expect(symbol s: Symbol, _ context: String) throws -> Token {
        guard current.isSymbol(s) else {
            throw fail("expected `\(s.rawValue)` \(context), found \(describe(current))", at: current.range)
        }
        return advance()
    }

    mutating func expect(_ w: Keyword, _ context: String) throws {
        guard accept(w) else { throw fail("expected `\(w.rawValue)` \(context), found \(describe(current))", at: current.range) }
    }

    mutating func name(_ what: String) throws -> Name {
        guard let id = current.identifier else {
            throw fail("expected \(what), found \(describe(current))", at: current.range)
        }
        let t = advance()
        return Name(id, t.range)
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .identifier(let s): return "`\(s)`"
        case .literal(let v): return v.isNull ? "`null`" : "`\(v.text)`"
        case .parameter(let p): return "`$\(p)`"
        case .symbol(let s): return "`\(s.rawValue)`"
        case .newline: return "end of line"
        case .endOfInput: return "end of input"
        }
    }

    mutating func report(_ message: String, at range: SourceRange, hints: [String] = []) {
        diagnostics.append(Diagnostic(message, at: range, hints: hints))
    }

    mutating func fail(_ message: String, at range: SourceRange, hints: [String] = []) -> Failure {
        report(message, at: range, hints: hints)
        return Failure()
    }

    // MARK: Statements

    mutating func parseStatements() -> [Statement] {
        var out: [Statement] = []
        while !atEnd {
            if current.kind == .newline || current.isSymbol(.semicolon) { pos += 1; continue }
            let before = diagnostics.count
            if let s = statement(), diagnostics.count == before { out.append(s) }
            if !atStatementEnd {
                if diagnostics.count == before {
                    report("unexpected \(describe(current)); a statement ends at `;` or a new line", at: current.range,
                           hints: current.isSymbol(.closeParen) ? ["remove the extra `)`"] : ["start the next verb with `|`"])
                }
                skipToStatementEnd()
            }
        }
        return out
    }

    mutating func skipToStatementEnd() {
        while !atStatementEnd { pos += 1 }
    }

    mutating func statement() -> Statement? {
        do {
            if current.isWord(.let), peek().identifier != nil, peek(2).isSymbol(.assign) {
                pos += 1
                let n = try name("a name")
                _ = advance()
                guard let p = pipeline() else { return nil }
                return .letBinding(n, p)
            }
            if current.isWord(.param), peek().identifier != nil, peek(2).isSymbol(.assign) {
                pos += 1
                let n = try name("a parameter name")
                _ = advance()
                let e = try expression()
                return .param(n, e)
            }
            guard let p = pipeline() else { return nil }
            return .query(p)
        } catch {
            return nil
        }
    }

    /// A source and its stages; stages that fail to parse are reported and skipped.
    mutating func pipeline() -> Pipeline? {
        let start = current.range
        let source: PipelineSource
        do {
            source = try pipelineSource()
        } catch {
            while !atStatementEnd, !current.isSymbol(.pipe), !current.isSymbol(.closeParen) { pos += 1 }
            _ = stagesIgnoringResult()
            return nil
        }
        let before = diagnostics.count
        let stages = stagesIgnoringResult()
        guard diagnostics.count == before else { return nil }
        let end = pos > 0 ? tokens[pos - 1].range : start
        return Pipeline(source: source, stages: stages, range: start.union(end))
    }

    mutating func stagesIgnoringResult() -> [Stage] {
        var stages: [Stage] = []
        while accept(symbol: .pipe) {
            let verbStart = current.range
            do {
                let verb = try name("a verb after `|`")
                let (v, kind) = try stage(verb)
                let end = tokens[max(0, pos - 1)].range
                stages.append(Stage(verb: v, kind: kind, range: verbStart.union(end)))
                if !atStatementEnd, !current.isSymbol(.pipe), !current.isSymbol(.closeParen) {
                    throw fail("unexpected \(describe(current)) after `\(verb.text)`", at: current.range, hints: ["start the next verb with `|`"])
                }
            } catch {
                var depth = 0
                while !atStatementEnd {
                    if current.isSymbol(.openParen) { depth += 1 }
                    if current.isSymbol(.closeParen) { if depth == 0 { break }; depth -= 1 }
                    if current.isSymbol(.pipe), depth == 0 { break }
                    pos += 1
                }
            }
        }
        return stages
    }

    mutating func pipelineSource() throws -> PipelineSource {
        if current.isSymbol(.openParen) {
            try enter()
            defer { nesting -= 1 }
            let open = advance()
            guard let inner = pipeline() else { throw Failure() }
            guard current.isSymbol(.closeParen) else {
                throw fail("expected `)` to close the sub-query opened at \(describe(open)), found \(describe(current))", at: current.range)
            }
            pos += 1
            return .subquery(inner)
        }
        if current.isWord(.previous) { return .previous(advance().range) }
        guard current.identifier != nil else {
            throw fail("expected a table name, `_` or `(pipeline)`, found \(describe(current))", at: current.range,
                       hints: ["tables: sales, customers, reviews, targets, and any .load or let name"])
        }
        return .table(try name("a table name"))
    }
}
