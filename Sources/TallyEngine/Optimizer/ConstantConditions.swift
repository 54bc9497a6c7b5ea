import TallyCore

/// Folds conditions whose value is known before any row is read: a conjunct that is always true is dropped
/// (and a filter left with none disappears). Constant sub-expressions are already folded by the binder.
enum ConstantConditions {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        plan.transformUp { node in
            guard case .filter(let input, let conjuncts) = node.op else { return node }
            let kept = conjuncts.filter { $0.constantValue != .bool(true) }
            if kept.isEmpty { return input }
            return kept.count == conjuncts.count ? node : node.with(.filter(input, conjuncts: kept))
        }
    }
}
