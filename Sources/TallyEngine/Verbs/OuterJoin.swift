import TallyCore
import TallyLang

extension Executor {
    /// A right or full join: the pairs an inner (right) or left (full) join makes, in the left's order, then the right
    /// rows no left row matched, in the right's order, with null left columns. A key that is a column on both sides
    /// holds whichever side's value is present.
    func outerJoin(_ kind: JoinKind, _ left: Table, _ right: Table, _ lcodes: [Int64], _ index: HashIndex,
                   keys: [(left: BoundExpr, right: BoundExpr)], rightColumns: [Int], names: [String], _ plan: LogicalPlan) throws -> Table {
        // The output's size is bounded before a row of it exists: the pairs, plus at most every right row.
        try budget.check(rows: index.matches(lcodes, keepingUnmatched: kind.keepsUnmatchedLeft) + right.rowCount, types: plan.schema.types,
                         what: "this join", at: plan.range,
                         advice: "check the keys (a key shared by many rows on both sides multiplies them) or filter first")
        guard left.rowCount + right.rowCount <= Int(Int32.max) else {
            throw KernelError(message: "a \(kind.rawValue) join of \(left.rowCount) and \(right.rowCount) rows is more than Tally can hold in one table",
                              hints: ["filter or aggregate either side first"])
        }
        var (leftRows, rightRows) = try probe(lcodes, index, kind.keepsUnmatchedLeft ? .left : .inner)
        var matched = [Bool](repeating: false, count: right.rowCount)
        for r in rightRows where r >= 0 { matched[Int(r)] = true }
        for r in 0..<right.rowCount where !matched[r] {
            leftRows.append(-1)
            rightRows.append(Int32(r))
        }
        if MemoryWatch.isOver(adding: Int(MemoryBudget.size(rows: leftRows.count, types: plan.schema.types))) { throw Cancelled() }
        var out = left.gather(leftRows)
        let fromEither = zip(leftRows, rightRows).map { l, r in l >= 0 ? l : Int32(left.rowCount) + r }
        for (l, r) in JoinKeyColumns.pairs(keys) {
            out.columns[l] = Concatenate.columns(left.columns[l], right.columns[r]).gather(fromEither)
        }
        for j in rightColumns { out.columns.append(right.columns[j].gather(rightRows)) }
        out.names = names
        return out
    }
}
