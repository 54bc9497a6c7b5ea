/// A problem found in a query: where, what, and how to fix it.
///
/// Produced as a value by the lexer, parser, binder and engine; rendered once by ``render(in:)``.
public struct Diagnostic: Error, Sendable, Equatable {
    /// An error stops the statement; a warning is shown beside a result that may not mean what it seems to.
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var range: SourceRange
    public var message: String
    public var hints: [String]
    public var severity: Severity

    public init(_ message: String, at range: SourceRange, hints: [String] = [], severity: Severity = .error) {
        self.message = message
        self.range = range
        self.hints = hints
        self.severity = severity
    }

    /// `name:line:col: error: message` (or `warning:`), the source line, a caret line and any hints. A long line is shown
    /// as a window around the problem, so a machine-written one-line query does not fill the screen with each error.
    public func render(in source: SourceText) -> String {
        let (line, column) = source.location(of: range.start)
        let text = source.line(source.lineIndex(of: range.start))
        let chars = Array(text)
        let start = min(column - 1, chars.count)
        let endOnLine = min(chars.count, start + max(1, source.slice(SourceRange(range.start, range.end)).split(separator: "\n").first?.count ?? 1))
        // Control characters are shown escaped (never sent to the terminal); the caret follows the escaped text.
        var before = VisibleText.escaped(String(chars[..<start]))
        var marked = VisibleText.escaped(String(chars[start..<endOnLine]))
        var after = VisibleText.escaped(String(chars[endOnLine...]))
        if before.count + marked.count + after.count > 3 * Diagnostic.context {
            if before.count > Diagnostic.context { before = "…" + before.suffix(Diagnostic.context - 1) }
            if marked.count > Diagnostic.context { marked = marked.prefix(Diagnostic.context - 1) + "…" }
            if after.count > Diagnostic.context { after = after.prefix(Diagnostic.context - 1) + "…" }
        }
        var out = "\(VisibleText.escaped(source.name)):\(line):\(column): \(severity.rawValue): \(VisibleText.escaped(message))\n"
        out += "  \(before)\(marked)\(after)\n"
        out += "  " + String(repeating: " ", count: before.count) + String(repeating: "^", count: max(1, marked.count)) + "\n"
        for h in hints { out += "  hint: \(VisibleText.escaped(h))\n" }
        return out
    }

    /// A line longer than three times this is shown as this much before the problem, of it, and after it.
    static let context = 100
}

/// Several problems found in one pass (e.g. every bad item of a `select`), reported together.
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// Throws nothing, one diagnostic, or all of them.
    public static func check(_ diagnostics: [Diagnostic]) throws {
        if diagnostics.count == 1 { throw diagnostics[0] }
        if diagnostics.count > 1 { throw DiagnosticList(diagnostics) }
    }
}

/// Suggestions for a misspelt name: the candidates within a small edit distance, closest first.
public func suggestions(for name: String, among candidates: [String]) -> [String] {
    let limit = max(1, name.count / 3)
    let scored = candidates.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        .filter { $0.1 <= limit || $0.0.lowercased().hasPrefix(name.lowercased()) && name.count >= 3 }
        .sorted { $0.1 < $1.1 }
    return scored.prefix(3).map(\.0)
}

/// Levenshtein distance, with an adjacent transposition counting as one edit.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { d[i][0] = i }
    for j in 0...y.count { d[0][j] = j }
    for i in 1...x.count {
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
        }
    }
    return d[x.count][y.count]
}

/// The "did you mean …?" and "available …" hints for an unknown name.
public func unknownNameHints(_ name: String, candidates: [String], kind: String) -> [String] {
    let close = suggestions(for: name, among: candidates)
    if let best = close.first { return ["did you mean \(best)?"] }
    if candidates.isEmpty { return [] }
    let shown = candidates.prefix(12).joined(separator: ", ")
    return ["available \(kind): \(shown)\(candidates.count > 12 ? ", …" : "")"]
}
