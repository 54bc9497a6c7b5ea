import TallyCore
import TallyLang

/// A script compiled to SQL without running anything (`tally sql`, `.sql`): each query becomes one statement, a `let`
/// name becomes stages (CTEs) of the statements that read it, and `param` statements set defaults.
public final class SQLScript {
    let session: Session
    let dialect: any SQLDialect
    /// The session's tables, and each `let` name so far as a table of its result's columns.
    var catalog: Catalog
    /// The plan of each `let` name so far.
    var lets: [String: LogicalPlan] = [:]
    /// The row order of each source table read so far.
    private var rowOrders: [String: RowOrder] = [:]

    /// The script's text, which names each stage's verb in a comment.
    let source: SourceText?
    /// Where the statements so far leave the answer to the engine's row order.
    public let warnings = Warnings()

    /// A script over the session's tables, in a dialect (the connected database's by default, else PostgreSQL's).
    public init(session: Session, dialect: (any SQLDialect)?, source: SourceText? = nil) {
        self.session = session
        self.source = source
        self.dialect = dialect ?? session.backend?.dialect ?? SQLDialects.postgres
        catalog = session.catalog
    }

    /// The SQL of a query; nil for `let` and `param`.
    public func add(_ statement: Statement) throws -> String? {
        switch statement {
        case .query(let pipeline):
            return try sql(of: try plan(pipeline))
        case .letBinding(let name, let pipeline):
            let plan = try self.plan(pipeline)
            let schema = plan.schema
            let columns = RemoteTable(names: schema.names, types: schema.types, mayBeNull: schema.nullable, estimatedRows: -1, order: .engine)
            catalog.add(.remote(name.text, columns), as: name.text)
            lets[name.text] = plan
            return nil
        case .param:
            _ = try session.execute(statement)
            return nil
        }
    }

    /// The SQL of a plan over the session's tables and the script's `let` names.
    public func sql(of plan: LogicalPlan) throws -> String {
        let catalog = self.catalog, connected = session.backend != nil
        let generator = SQLGenerator(dialect: dialect, rowOrder: { [unowned self] name in rowOrder(of: name) },
                                     isRemote: { name in !connected || (catalog[name]?.isRemote ?? false) }, warnings: warnings)
        generator.lets = lets
        generator.source = source
        return try LargeStack.run { try generator.compile(plan).text }
    }

    /// A source table's row order, found once per script: for a table Tally holds it reads the table's whole-number and
    /// date columns, which every statement of the script would otherwise read again.
    func rowOrder(of name: String) -> RowOrder {
        if let known = rowOrders[name] { return known }
        let order = (try? catalog[name]?.rowOrder()) ?? .engine
        rowOrders[name] = order
        return order
    }

    func plan(_ pipeline: Pipeline) throws -> LogicalPlan {
        let planner = Planner(catalog: catalog, params: session.params, previous: session.previous.map(Schema.init))
        return try LargeStack.run { Optimizer.optimize(try planner.plan(pipeline)) }
    }
}
