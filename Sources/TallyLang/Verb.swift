/// Every verb of the language, declared once: its syntax line, one-line help, an example and its parser.
/// The parser, "did you mean", completion, `.help` and the docs' verb table are all fed from here; the
/// planner's exhaustive switch over ``StageKind`` gives each verb its plan node and schema rule.
public enum Verb: String, CaseIterable, Sendable {
    case `where`, select, derive, drop, rename, agg, sort, take, top, distinct, count, join, union
    case segment, rfm, abc, cohort, funnel, terms, pivot, whatif, goal, simulate, chart

    /// How the verb is written.
    public var syntax: String {
        switch self {
        case .where: return "where PRED"
        case .select: return "select ITEM, ..."
        case .derive: return "derive name = expr, ..."
        case .drop: return "drop col, ..."
        case .rename: return "rename new = old, ..."
        case .agg: return "agg name = AGG, ... [by KEY, ...]"
        case .sort: return "sort KEY, ..."
        case .take: return "take N"
        case .top: return "top N by KEY [per GROUP, ...]"
        case .distinct: return "distinct [col, ...]"
        case .count: return "count"
        case .join: return "join [inner|left|semi|anti] SOURCE on KEY [== KEY2], ..."
        case .union: return "union SOURCE"
        case .segment: return "segment EXPR into N | at (c1, ...) [as NAME] [labels (...)]"
        case .rfm: return "rfm [by KEY] [date COL] [amount COL]"
        case .abc: return "abc EXPR [by KEY] [at (a, b)]"
        case .cohort: return "cohort [by KEY] [date COL] [per month|quarter|week]"
        case .funnel: return "funnel STAGE steps (\"s1\", \"s2\", ...) [key ID] [date COL] [by G, ...]"
        case .terms: return "terms TEXT [top N] [stop (\"w1\", ...)] [by G, ...]"
        case .pivot: return "pivot KEY [in (v1, ...)] AGG [by G, ...]"
        case .whatif: return "whatif SETTER, ... [where PRED]"
        case .goal: return "goal AGG = TARGET vary NAME in LO..HI with SETTER, ... [where PRED] [by KEY, ...]"
        case .simulate: return "simulate AGG per PERIOD next N [runs R] [seed S] [target T]"
        case .chart: return "chart bar X Y, ... [by S] [stacked] | line X Y, ... [by S] | scatter X Y [by S] | hist X [bins N] | funnel"
        }
    }

    /// What it does, in one line.
    public var help: String {
        switch self {
        case .where: return "keep rows where PRED is true (null counts as false)"
        case .select: return "keep or compute columns, in this order"
        case .derive: return "add or replace columns; later items see earlier ones"
        case .drop: return "remove columns"
        case .rename: return "rename columns"
        case .agg: return "aggregate: one row per key (sorted by the keys), or one row"
        case .sort: return "`-KEY` or `KEY desc` for descending; stable; nulls last"
        case .take: return "the first N rows"
        case .top: return "the N rows with the largest KEY (`by -KEY` for the smallest)"
        case .distinct: return "unique rows, in first-seen order"
        case .count: return "number of rows as `n`"
        case .join: return "hash join; the key appears once; clashing right columns get `_<source>`"
        case .union: return "append the rows of a source with the same columns"
        case .segment: return "equal-count (NTILE) or fixed bins"
        case .rfm: return "recency, frequency and monetary scores, segment and tier per customer"
        case .abc: return "Pareto classes A/B/C by cumulative share"
        case .cohort: return "retention by first-activity cohort: p0, p1, … periods later"
        case .funnel: return "entities reaching each step of a process, conversion, drop-off and median days between steps"
        case .terms: return "the words (and CJK character pairs) of a text column: rows containing each, and their share"
        case .pivot: return "rows to columns: one column per value of KEY holding AGG, one row per group (a matrix)"
        case .whatif: return "the rest of the pipeline on the baseline and on the scenario, side by side"
        case .goal: return "goal seek: the value of NAME that makes AGG reach TARGET"
        case .simulate: return "Monte Carlo bootstrap of per-period totals"
        case .chart: return "draw instead of a table (.export FILE.svg saves it)"
        }
    }

    /// A query using it on the demo data.
    public var example: String {
        switch self {
        case .where: return "sales | where region == \"East\" and date in 2025-Q3"
        case .select: return "sales | select order_id, net = amount - cost"
        case .derive: return "sales | derive net = amount - cost, margin = net / amount"
        case .drop: return "sales | drop cost, discount"
        case .rename: return "sales | rename seller = rep"
        case .agg: return "sales | agg revenue = sum(amount), orders = count() by region"
        case .sort: return "sales | sort -amount, order_id"
        case .take: return "sales | take 5"
        case .top: return "sales | agg revenue = sum(amount) by rep | top 3 by revenue"
        case .distinct: return "sales | distinct rep, team"
        case .count: return "sales | where amount > 1000 | count"
        case .join: return "sales | join customers on customer_id | agg revenue = sum(amount) by industry"
        case .union: return "targets | union (targets | where month == 2025-11) | count"
        case .segment: return "sales | agg spend = sum(amount) by customer_id | segment spend into 3 as tier"
        case .rfm: return "sales | rfm | agg customers = count() by tier"
        case .abc: return "sales | abc amount by product | agg products = count() by class"
        case .cohort: return "sales | cohort per quarter | select cohort, size, p1"
        case .funnel: return "stage_changes | funnel stage steps (\"lead\", \"qualified\", \"proposal\", \"negotiation\", \"won\")"
        case .terms: return "reviews | where rating <= 2 | terms text top 10"
        case .pivot: return "customers | pivot region count() by industry"
        case .whatif: return "sales | whatif unit_price *= 1.05 | agg revenue = sum(unit_price * quantity) by region"
        case .goal: return "sales | where date in 2025 | goal sum(amount) = 1e7 vary growth in 0..1 with amount *= 1 + growth"
        case .simulate: return "sales | simulate sum(amount) per month(date) next 3 runs 1000"
        case .chart: return "sales | agg revenue = sum(amount) by region | chart bar region revenue"
        }
    }

    /// What users of SQL, PRQL, KQL or dataframes type for this verb, for "did you mean" hints.
    public var foreignNames: [String] {
        switch self {
        case .where: return ["filter"]
        case .select: return ["project"]
        case .derive: return ["extend", "mutate", "with_columns"]
        case .agg: return ["group", "summarize", "aggregate", "group_by"]
        case .sort: return ["order", "order_by", "arrange"]
        case .take: return ["limit", "head"]
        case .distinct: return ["unique"]
        default: return []
        }
    }

    /// The verb other languages call `name`, if any.
    public static func named(inOtherLanguages name: String) -> Verb? {
        allCases.first { $0.foreignNames.contains(name.lowercased()) }
    }

    /// Reads the verb's arguments; the verb's name has been read.
    func parse(_ p: inout Parser) throws -> StageKind {
        switch self {
        case .where: return .whereRows(try p.expression())
        case .select: return .select(try p.items())
        case .derive: return .derive(try p.items())
        case .drop: return .drop(try p.names("a column to drop"))
        case .rename: return .rename(try p.renames())
        case .agg: return try p.agg()
        case .sort: return .sort(try p.commaList(until: .pipe) { try $0.sortKey() })
        case .take: return .take(try p.expression())
        case .top: return try p.top()
        case .distinct: return .distinct(p.atStageEnd ? [] : try p.names("a column"))
        case .count: return .count
        case .join: return try p.join()
        case .union: return .union(try p.pipelineSource())
        case .segment: return try p.segment()
        case .rfm: return try p.rfm()
        case .abc: return try p.abc()
        case .cohort: return try p.cohort()
        case .funnel: return try p.funnel()
        case .terms: return try p.terms()
        case .pivot: return try p.pivot()
        case .whatif: return try p.whatif()
        case .goal: return try p.goal()
        case .simulate: return try p.simulate()
        case .chart: return try p.chart()
        }
    }
}
