/// Every verb of the language, declared once: its syntax line, one-line help, an example and its parser.
/// The parser, "did you mean", completion, `.help` and the docs' verb table are all fed from here; the
/// planner's exhaustive switch over ``StageKind`` gives each verb its plan node and schema rule.
public enum Verb: String, CaseIterable, Sendable {
    case `where`, select, derive, drop, rename, agg, sort, take, top, distinct, count, join, union
    case segment, rfm, abc, cohort, funnel, terms, pivot, whatif, goal, simulate, why, pvm, chart

    /// Everything about the verb, in one place: its syntax line, one-line help, an example on the demo data, what other
    /// languages call it and how its arguments are read.
    public var entry: VerbEntry {
        switch self {
        case .where:
            return VerbEntry(syntax: "where PRED",
                             help: "keep rows where PRED is true (null counts as false)",
                             example: "sales | where region == \"East\" and date in 2025-Q3", foreignNames: ["filter"],
                             parse: { .whereRows(try $0.expression()) })
        case .select:
            return VerbEntry(syntax: "select ITEM, ...",
                             help: "keep or compute columns, in this order",
                             example: "sales | select order_id, net = amount - cost", foreignNames: ["project"],
                             parse: { .select(try $0.items()) })
        case .derive:
            return VerbEntry(syntax: "derive name = expr, ...",
                             help: "add or replace columns; later items see earlier ones",
                             example: "sales | derive net = amount - cost, margin = net / amount", foreignNames: ["extend", "mutate", "with_columns"],
                             parse: { .derive(try $0.items()) })
        case .drop:
            return VerbEntry(syntax: "drop col, ...",
                             help: "remove columns",
                             example: "sales | drop cost, discount",
                             parse: { .drop(try $0.names("a column to drop")) })
        case .rename:
            return VerbEntry(syntax: "rename new = old, ...",
                             help: "rename columns",
                             example: "sales | rename seller = rep",
                             parse: { .rename(try $0.renames()) })
        case .agg:
            return VerbEntry(syntax: "agg name = AGG, ... [by KEY, ...]",
                             help: "aggregate: one row per key (sorted by the keys), or one row",
                             example: "sales | agg revenue = sum(amount), orders = count() by region",
                             foreignNames: ["group", "summarize", "aggregate", "group_by"],
                             parse: { try $0.agg() })
        case .sort:
            return VerbEntry(syntax: "sort KEY, ...",
                             help: "`-KEY` or `KEY desc` for descending; stable; nulls last",
                             example: "sales | sort -amount, order_id", foreignNames: ["order", "order_by", "arrange"],
                             parse: { .sort(try $0.commaList(until: .pipe) { try $0.sortKey() }) })
        case .take:
            return VerbEntry(syntax: "take N",
                             help: "the first N rows",
                             example: "sales | take 5", foreignNames: ["limit", "head"],
                             parse: { .take(try $0.expression()) })
        case .top:
            return VerbEntry(syntax: "top N by KEY [per GROUP, ...]",
                             help: "the N rows with the largest KEY (`by -KEY` for the smallest)",
                             example: "sales | agg revenue = sum(amount) by rep | top 3 by revenue",
                             parse: { try $0.top() })
        case .distinct:
            return VerbEntry(syntax: "distinct [col, ...]",
                             help: "unique rows, in first-seen order",
                             example: "sales | distinct rep, team", foreignNames: ["unique"],
                             parse: { .distinct($0.atStageEnd ? [] : try $0.names("a column")) })
        case .count:
            return VerbEntry(syntax: "count",
                             help: "number of rows as `n`",
                             example: "sales | where amount > 1000 | count",
                             parse: { _ in .count })
        case .join:
            return VerbEntry(syntax: "join [inner|left|right|full|semi|anti] SOURCE on KEY [== KEY2], ...",
                             help: "hash join; the key appears once (after `right` and `full`, from whichever side has it, as SQL's `USING`); "
                                 + "clashing right columns get `_<source>`",
                             example: "sales | join customers on customer_id | agg revenue = sum(amount) by industry",
                             parse: { try $0.join() })
        case .union:
            return VerbEntry(syntax: "union SOURCE",
                             help: "append the rows of a source with the same columns",
                             example: "targets | union (targets | where month == 2025-11) | count",
                             parse: { .union(try $0.pipelineSource()) })
        case .segment:
            return VerbEntry(syntax: "segment EXPR into N | at (c1, ...) [as NAME] [labels (...)]",
                             help: "equal-count (NTILE) or fixed bins",
                             example: "sales | agg spend = sum(amount) by customer_id | segment spend into 3 as tier",
                             parse: { try $0.segment() })
        case .rfm:
            return VerbEntry(syntax: "rfm [by KEY] [date COL] [amount COL]",
                             help: "recency, frequency and monetary scores, segment and tier per customer",
                             example: "sales | rfm | agg customers = count() by tier",
                             parse: { try $0.rfm() })
        case .abc:
            return VerbEntry(syntax: "abc EXPR [by KEY] [at (a, b)]",
                             help: "Pareto classes A/B/C by cumulative share",
                             example: "sales | abc amount by product | agg products = count() by class",
                             parse: { try $0.abc() })
        case .cohort:
            return VerbEntry(syntax: "cohort [by KEY] [date COL] [per month|quarter|week]",
                             help: "retention by first-activity cohort: p0, p1, … periods later",
                             example: "sales | cohort per quarter | select cohort, size, p1",
                             parse: { try $0.cohort() })
        case .funnel:
            return VerbEntry(syntax: "funnel STAGE steps (\"s1\", \"s2\", ...) [key ID] [date COL] [by G, ...]",
                             help: "entities reaching each step of a process, conversion, drop-off and median days between steps",
                             example: "stage_changes | funnel stage steps (\"lead\", \"qualified\", \"proposal\", \"negotiation\", \"won\")",
                             parse: { try $0.funnel() })
        case .terms:
            return VerbEntry(syntax: "terms TEXT [top N] [stop (\"w1\", ...)] [by G, ...]",
                             help: "the words (and CJK character pairs) of a text column: rows containing each, and their share",
                             example: "reviews | where rating <= 2 | terms text top 10",
                             parse: { try $0.terms() })
        case .pivot:
            return VerbEntry(syntax: "pivot KEY [in (v1, ...)] AGG [by G, ...]",
                             help: "rows to columns: one column per value of KEY holding AGG, one row per group (a matrix)",
                             example: "customers | pivot region count() by industry",
                             parse: { try $0.pivot() })
        case .whatif:
            return VerbEntry(syntax: "whatif SETTER, ... [where PRED]",
                             help: "the rest of the pipeline on the baseline and on the scenario, side by side",
                             example: "sales | whatif unit_price *= 1.05 | agg revenue = sum(unit_price * quantity) by region",
                             parse: { try $0.whatif() })
        case .goal:
            return VerbEntry(syntax: "goal AGG = TARGET vary NAME in LO..HI with SETTER, ... [where PRED] [by KEY, ...]",
                             help: "goal seek: the value of NAME that makes AGG reach TARGET (`>=`: at least TARGET)",
                             example: "sales | where date in 2025 | goal sum(amount) = 1e7 vary growth in 0..1 with amount *= 1 + growth",
                             parse: { try $0.goal() })
        case .simulate:
            return VerbEntry(syntax: "simulate AGG per PERIOD next N [runs R] [seed S] [target T]",
                             help: "Monte Carlo bootstrap of per-period totals",
                             example: "sales | simulate sum(amount) per month(date) next 3 runs 1000",
                             parse: { try $0.simulate() })
        case .why:
            return VerbEntry(syntax: "why AGG from PERIOD to PERIOD [by DIM, ...] [over DATECOL] [top N]",
                             help: "where a change came from: before, after, change and each value's share (several DIMs: a decomposition tree)",
                             example: "sales | why sum(amount) from 2025-10 to 2025-11 by region",
                             parse: { try $0.why() })
        case .pvm:
            return VerbEntry(syntax: "pvm PRICE, QUANTITY from PERIOD to PERIOD by ITEM [over DATECOL]",
                             help: "price, volume and mix effects of a revenue change, per item and in total",
                             example: "sales | pvm unit_price * (1 - discount), quantity from 2025-10 to 2025-11 by category",
                             parse: { try $0.pvm() })
        case .chart:
            return VerbEntry(syntax: "chart bar X Y, ... [by S] [stacked] | line X Y, ... [by S] | scatter X Y [by S] | hist X [bins N] | funnel | bridge",
                             help: "draw instead of a table (.export FILE.svg saves it)",
                             example: "sales | agg revenue = sum(amount) by region | chart bar region revenue",
                             parse: { try $0.chart() })
        }
    }

    /// How the verb is written.
    public var syntax: String { entry.syntax }
    /// What it does, in one line.
    public var help: String { entry.help }
    /// A query using it on the demo data.
    public var example: String { entry.example }
    /// What users of SQL, PRQL, KQL or dataframes type for this verb, for "did you mean" hints.
    public var foreignNames: [String] { entry.foreignNames }

    /// The verb other languages call `name`, if any.
    public static func named(inOtherLanguages name: String) -> Verb? {
        allCases.first { $0.foreignNames.contains(name.lowercased()) }
    }

    /// Reads the verb's arguments; the verb's name has been read.
    func parse(_ p: inout Parser) throws -> StageKind { try entry.parse(&p) }
}

/// What the registry says of a verb.
public struct VerbEntry: Sendable {
    public let syntax: String
    public let help: String
    public let example: String
    /// What users of SQL, PRQL, KQL or dataframes type for it.
    public var foreignNames: [String] = []
    let parse: @Sendable (inout Parser) throws -> StageKind
}
