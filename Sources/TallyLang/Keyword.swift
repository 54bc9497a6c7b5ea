/// Every word the grammar gives a meaning inside a statement besides verbs, names, join and chart kinds, declared once:
/// the parser accepts them by these cases, and completion offers them.
public enum Keyword: String, CaseIterable, Sendable {
    // Statements.
    case `let`, param
    // Expressions, sort keys and windows.
    case and, or, not, `in`, `is`, null, over, asc, desc
    /// `case [cond => value, …]`.
    case `case`
    /// The previous result.
    case previous = "_"
    // Verb clauses.
    case by, per, `as`, into, at, on, labels, `where`, with, vary, next, steps, top, stop, stacked, bins
    case key, date, amount, runs, seed, target, from, to

    /// Whether the word may follow a verb inside a pipeline stage (what completion offers there).
    public var isInStages: Bool { self != .let && self != .param && self != .previous }

    /// Whether a line ending with this word goes on to the next (it needs a right-hand side).
    var continuesLine: Bool { self == .and || self == .or || self == .not }
}
