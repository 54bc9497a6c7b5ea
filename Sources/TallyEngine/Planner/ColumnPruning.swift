import TallyCore
import TallyLang

/// Which source columns a pipeline can need: the names its stages mention up to the first stage
/// that projects (`select`, `agg`, `count`, …). Everything else is dropped before the first stage,
/// so filters and joins never copy columns nobody reads.
enum ColumnPruning {
    /// The source columns to keep, or nil when the pipeline may need them all.
    /// `suffixes` are join suffixes already in effect (`_customers` for the join being pruned).
    static func needed(_ stages: [Stage], source: Table, suffixes known: [String] = []) -> Set<String>? {
        var names = Set<String>()
        var suffixes = known
        for stage in stages {
            switch stage.kind {
            case .whereRows(let e): collect(e, into: &names)
            case .derive(let items): items.forEach { collect($0.expr, into: &names) }
            case .sort(let keys): keys.forEach { collect($0.expr, into: &names) }
            case .take(let e): collect(e, into: &names)
            case .top(let n, let key, let per): ([n, key.expr] + per).forEach { collect($0, into: &names) }
            case .drop: break
            case .rename(let pairs): pairs.forEach { names.insert($0.1.text) }
            case .join(_, let source, let keys):
                keys.forEach { collect($0.0, into: &names) }
                suffixes.append(source.suffixName)
            case .segmentInto(let e, let n, _, _): [e, n].forEach { collect($0, into: &names) }
            case .segmentAt(let e, let cuts, _, _): ([e] + cuts).forEach { collect($0, into: &names) }
            case .whatif(let setters, let filter):
                setters.forEach { names.insert($0.column.text); collect($0.expr, into: &names) }
                filter.map { collect($0, into: &names) }
            case .chart(let kind, let args, _):
                args.forEach { collect($0, into: &names) }
                if kind.text == "hist" { return finish(names, suffixes, source) }
            // Projecting stages: nothing after them can see other source columns.
            case .select(let items):
                items.forEach { collect($0.expr, into: &names) }
                return finish(names, suffixes, source)
            case .agg(let items, let by):
                (items + by).forEach { collect($0.expr, into: &names) }
                return finish(names, suffixes, source)
            case .count:
                return finish(names, suffixes, source)
            case .distinct(let cols):
                if cols.isEmpty { return nil }
                cols.forEach { names.insert($0.text) }
                return finish(names, suffixes, source)
            case .rfm(let key, let date, let amount):
                names.formUnion([key?.text ?? "customer_id", date?.text ?? "date", amount?.text ?? "amount"])
                return finish(names, suffixes, source)
            case .cohort(let key, let date, _):
                names.formUnion([key?.text ?? "customer_id", date?.text ?? "date"])
                return finish(names, suffixes, source)
            case .abc(let e, let key, let cuts):
                guard let key else { return nil }
                ([e] + cuts).forEach { collect($0, into: &names) }
                names.insert(key.text)
                return finish(names, suffixes, source)
            case .simulate(let a, let p, let n, let r, let s, let t):
                ([a, p, n] + [r, s, t].compactMap { $0 }).forEach { collect($0, into: &names) }
                return finish(names, suffixes, source)
            case .goal(let a, let t, _, let lo, let hi, let setters, let filter, let by):
                ([a, t, lo, hi] + (filter.map { [$0] } ?? []) + by.map(\.expr)).forEach { collect($0, into: &names) }
                setters.forEach { names.insert($0.column.text); collect($0.expr, into: &names) }
                return finish(names, suffixes, source)
            case .union:
                return nil
            }
        }
        return nil
    }

    static func finish(_ names: Set<String>, _ suffixes: [String], _ source: Table) -> Set<String>? {
        var keep = names
        // `region_customers` after a join means the left `region` must stay, so the suffix appears.
        for n in names { for s in suffixes where n.hasSuffix("_" + s) { keep.insert(String(n.dropLast(s.count + 1))) } }
        let kept = keep.intersection(source.names)
        return kept.count < source.names.count ? kept : nil
    }

    /// Every name an expression mentions (columns, and names inside calls and sub-expressions).
    static func collect(_ e: Expr, into names: inout Set<String>) {
        switch e.kind {
        case .column(let n): names.insert(n)
        case .literal, .parameter, .subquery: break
        case .unary(_, let a), .isNull(let a, _): collect(a, into: &names)
        case .binary(_, let a, let b), .range(let a, let b), .arrow(let a, let b):
            collect(a, into: &names)
            collect(b, into: &names)
        case .call(_, let args, let over): (args + (over ?? [])).forEach { collect($0, into: &names) }
        case .list(let items): items.forEach { collect($0, into: &names) }
        case .caseWhen(let arms): arms.forEach { collect($0.0, into: &names); collect($0.1, into: &names) }
        }
    }
}
