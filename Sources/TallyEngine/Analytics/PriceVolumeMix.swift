import TallyCore
import TallyLang

/// `pvm PRICE, QUANTITY from P1 to P2 by ITEM [over DATECOL]`: the change of revenue = Σ PRICE × QUANTITY between two
/// periods split into volume, mix and price effects (the price-volume-mix analysis of management accounting), per item
/// and in a total row. With q the quantity, p = revenue / q the average price, s = q / Q the item's share of the total
/// quantity Q, and 0 / 1 the periods:
///
/// - volume = (Q1 − Q0) × s0 × p0: the change of total quantity, at the old mix and old prices;
/// - mix = Q1 × (s1 − s0) × p0: the shift of quantity between items, at old prices;
/// - price = (p1 − p0) × q1: the change of each item's average price, on the new quantities;
///
/// so volume + mix + price = q1 p1 − q0 p0, the item's revenue change, exactly. An item sold only in the new period
/// takes its new price as its old one (its revenue is all mix); one sold only in the old period keeps its old price
/// (no price effect). Planned as relational nodes, so it runs as one SQL statement on a database.
extension Planner {
    func priceVolumeMix(price: Expr, quantity: Expr, from: Expr, to: Expr, by item: Item, over: Name?, _ input: LogicalPlan,
                        _ range: SourceRange) throws -> LogicalPlan {
        let periods = try comparedPeriods(from: from, to: to, over: over, input, range)
        let both = try filter(Expr(.binary(.or, periods.inBefore, periods.inAfter), range), input, range)
        func e(_ kind: ExprKind) -> Expr { Expr(kind, range) }
        func column(_ name: String) -> Expr { e(.column(name)) }
        func call(_ name: String, _ args: Expr...) -> Expr { e(.call(name, args, over: nil)) }
        func named(_ name: String, _ x: Expr) -> Item { Item(name: name, nameRange: nil, expr: x) }
        func binary(_ op: BinaryOperator, _ a: Expr, _ b: Expr) -> Expr { e(.binary(op, a, b)) }
        func total(_ x: Expr, _ condition: Expr) -> Expr { call("coalesce", call("sum", e(.caseWhen([(condition, x)]))), e(.literal(.int(0)))) }
        func nonZero(_ name: String) -> Expr { binary(.notEqual, column(name), e(.literal(.int(0)))) }
        let revenue = binary(.multiply, price, quantity)
        let sums = try aggregate([named("q0", total(quantity, periods.inBefore)), named("q1", total(quantity, periods.inAfter)),
                                  named("r0", total(revenue, periods.inBefore)), named("r1", total(revenue, periods.inAfter))],
                                 by: [item], both, range)
        let p0 = e(.caseWhen([(nonZero("q0"), binary(.divide, column("r0"), column("q0"))), (nonZero("q1"), binary(.divide, column("r1"), column("q1")))]))
        let p1 = e(.caseWhen([(nonZero("q1"), binary(.divide, column("r1"), column("q1"))), (nonZero("q0"), binary(.divide, column("r0"), column("q0")))]))
        let qTotal0 = call("total", column("q0")), qTotal1 = call("total", column("q1"))
        let effects = try derive([
            named("p0", p0), named("p1", p1), named("s0", call("share", column("q0"))), named("s1", call("share", column("q1"))),
            named("revenue_before", column("r0")), named("revenue_after", column("r1")),
            named("change", binary(.subtract, column("r1"), column("r0"))),
            named("volume", binary(.multiply, binary(.multiply, binary(.subtract, qTotal1, qTotal0), call("coalesce", column("s0"), e(.literal(.int(0))))),
                                   column("p0"))),
            named("mix", binary(.multiply, binary(.multiply, qTotal1, binary(.subtract, call("coalesce", column("s1"), e(.literal(.int(0)))),
                                                                              call("coalesce", column("s0"), e(.literal(.int(0)))))), column("p0"))),
            named("price", binary(.multiply, binary(.subtract, column("p1"), column("p0")), column("q1"))),
            named("quantity_before", column("q0")), named("quantity_after", column("q1")),
        ], sums, range)
        let measures = ["revenue_before", "revenue_after", "change", "volume", "mix", "price", "quantity_before", "quantity_after"]
        let perItem = try select([named(item.outputName, column(item.outputName))] + measures.map { named($0, column($0)) }, effects, range)
        let itemType = perItem.schema.types[0]
        let label = e(.literal(itemType == .string ? .string("(total)") : .null))
        let sums2 = try aggregate(measures.map { named($0, call("sum", column($0))) }, by: [], perItem, range)
        let totalRow = try select([named(item.outputName, label)] + measures.map { named($0, column($0)) }, sums2, range)
        let plan = try union(perItem, totalRow, range, rightRange: range)
        let text = "pvm \(price.written), \(quantity.written) from \(periods.before.description) to \(periods.after.description) by \(item.outputName)"
        return LogicalPlan(.analytic(ExpandedNode(input: plan, text: text)), schema: plan.schema, range: range)
    }
}
