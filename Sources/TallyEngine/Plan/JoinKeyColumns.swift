/// The join keys that are a column on both sides: after a right or full join such a key is one column holding
/// whichever side's value is present (SQL's `USING`), in memory and in SQL alike.
enum JoinKeyColumns {
    /// (left column, right column) for each key that names a column on both sides.
    static func pairs(_ keys: [(left: BoundExpr, right: BoundExpr)]) -> [(left: Int, right: Int)] {
        keys.compactMap { key in
            guard case .column(let l) = key.left.kind, case .column(let r) = key.right.kind else { return nil }
            return (l, r)
        }
    }
}
