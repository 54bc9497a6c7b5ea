import TallyCore
import TallyLang

/// The state a user builds up: tables (demo, loaded, `let`), parameters and the previous result.
public final class Session {
    public var catalog: Catalog
    /// Defaults from `param` statements.
    public private(set) var paramDefaults: [String: Value] = [:]
    /// Values from `--param` and `.run NAME k=v`; they win over defaults.
    public var paramOverrides: [String: Value] = [:]
    /// The last query result (`_`).
    public private(set) var previous: Table?
    public var isCancelled: CancellationCheck

    public init(catalog: Catalog, isCancelled: @escaping CancellationCheck = { false }) {
        self.catalog = catalog
        self.isCancelled = isCancelled
    }

    /// Parameter values in force.
    public var params: [String: Value] { paramDefaults.merging(paramOverrides) { _, o in o } }

    /// Runs one statement. Returns a result for queries and nil for `let` and `param`.
    public func execute(_ statement: Statement, source: SourceText, onStage: ((StageReport) -> Void)? = nil) throws -> QueryResult? {
        let executor = Executor(catalog: catalog, params: params, previous: previous, isCancelled: isCancelled, onStage: onStage)
        switch statement {
        case .query(let p):
            let r = try executor.run(p, source: source)
            previous = r.table
            return r
        case .letBinding(let name, let p):
            let r = try executor.run(p, source: source)
            catalog.add(r.table, as: name.text)
            return nil
        case .param(let name, let e):
            let bound = try Binder(schema: Schema(names: [], types: []), params: params).bind(e)
            guard let v = bound.constantValue else { throw Diagnostic("a parameter default must be a constant", at: e.range) }
            paramDefaults[name.text] = v
            return nil
        }
    }

    /// The columns after each stage of a pipeline, found by running it on empty tables (for completion).
    public func schema(of pipeline: Pipeline) -> [String]? {
        var empty = Catalog()
        for name in catalog.names { if let t = catalog[name] { empty.add(t.prefix(0), as: name) } }
        let executor = Executor(catalog: empty, params: params, previous: previous?.prefix(0), isCancelled: { false })
        return try? executor.run(pipeline).table.names
    }

    /// Parses a `k=v` value: a literal if it reads as one, otherwise the text itself.
    public static func parameterValue(_ text: String) -> Value {
        let (e, diagnostics) = Parser.parseExpression(SourceText(name: "<param>", text: text))
        if diagnostics.isEmpty, let e, let v = try? Binder(schema: Schema(names: [], types: []), params: [:]).bind(e).constantValue {
            return v
        }
        return .string(text)
    }
}
