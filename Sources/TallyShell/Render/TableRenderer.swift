import TallyCore
import TallyLang

/// Boxed tables: names and types on top, numbers right-aligned with thousands separators,
/// nulls shown as NULL, hidden rows and columns announced in a footer.
struct TableRenderer {
    let options: RenderOptions

    /// Text of a cell as shown in a table.
    static func cell(_ v: Value) -> String {
        switch v {
        case .null: return "NULL"
        case .int(let i): return grouped(String(i))
        case .float(let f): return float(f)
        default: return v.text
        }
    }

    static func float(_ f: Double) -> String {
        guard f.isFinite else { return formatFloat(f) }
        if f == 0 { return "0" }
        if abs(f) < 1 {
            var s = String(format4(f))
            while s.hasSuffix("0") { s.removeLast() }
            return s.hasSuffix(".") ? String(s.dropLast()) : s
        }
        if abs(f) >= 1e15 { return formatFloat(f) }
        let cents = (abs(f) * 100).rounded()
        let whole = Int64(cents / 100), frac = Int64(cents.truncatingRemainder(dividingBy: 100))
        return (f < 0 ? "-" : "") + grouped(String(whole)) + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    static func format4(_ f: Double) -> String {
        let scaled = (abs(f) * 10_000).rounded()
        let s = String(Int64(scaled))
        return (f < 0 ? "-" : "") + "0." + String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    static func grouped(_ digits: String) -> String {
        var s = digits
        let negative = s.hasPrefix("-")
        if negative { s.removeFirst() }
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0, (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (negative ? "-" : "") + out
    }

    /// The rows a table of `count` rows shows under `limit`: all of them, or the first and the last halves (the
    /// head-and-tail preview DuckDB's shell gives), with the position of the gap between them.
    static func shownRows(count: Int, limit: Int) -> (rows: [Int], gapAfter: Int?) {
        guard count > limit else { return (Array(0..<count), nil) }
        let head = (limit + 1) / 2, tail = limit / 2
        return (Array(0..<head) + Array((count - tail)..<count), head > 0 && tail > 0 ? head : nil)
    }

    func render(_ t: Table) -> String {
        let (shown, gapAfter) = TableRenderer.shownRows(count: t.rowCount, limit: options.maxRows)
        let maxCell = options.maxCellWidth ?? Int.max
        var cut = 0
        var widths: [Int] = []
        var cells: [[String]] = []
        for (c, column) in t.columns.enumerated() {
            let format = ColumnFormat(name: t.names[c], column: column, rows: shown)
            var texts: [String] = []
            let header = max(DisplayWidth.of(VisibleText.escaped(t.names[c])), column.type.rawValue.count)
            var w = 1
            for r in shown {
                let full = VisibleText.escaped(format.text(column.value(at: r))).replacingOccurrences(of: "\n", with: "↵")
                let s = DisplayWidth.truncate(full, to: maxCell)
                if s != full { cut += 1 }
                w = max(w, DisplayWidth.of(s))
                texts.append(s)
            }
            widths.append(max(header, min(w, maxCell)))
            cells.append(texts)
        }
        var visible = Array(t.columns.indices)
        if let limit = options.width {
            var used = 1
            visible = []
            for c in t.columns.indices {
                if used + widths[c] + 3 > limit, !visible.isEmpty { break }
                visible.append(c)
                used += widths[c] + 3
            }
        }
        let g = options.fancy ? ("┌", "┬", "┐", "├", "┼", "┤", "└", "┴", "┘", "─", "│") : ("+", "+", "+", "+", "+", "+", "+", "+", "+", "-", "|")
        func rule(_ l: String, _ m: String, _ r: String) -> String {
            l + visible.map { String(repeating: g.9, count: widths[$0] + 2) }.joined(separator: m) + r + "\n"
        }
        func row(_ texts: [String], right: [Bool]) -> String {
            let cells = zip(visible, zip(texts, right)).map { c, tr in " " + DisplayWidth.pad(tr.0, to: widths[c], right: tr.1) + " " }
            return g.10 + cells.joined(separator: g.10) + g.10 + "\n"
        }
        var out = rule(g.0, g.1, g.2)
        out += row(visible.map { VisibleText.escaped(t.names[$0]) }, right: visible.map { _ in false })
        out += row(visible.map { t.columns[$0].type.rawValue }, right: visible.map { _ in false })
        out += rule(g.3, g.4, g.5)
        let numeric = visible.map { t.columns[$0].type == .int || t.columns[$0].type == .float }
        for (k, r) in shown.enumerated() {
            if k == gapAfter { out += row(visible.map { _ in options.fancy ? "·" : "." }, right: numeric) }
            var texts = visible.map { cells[$0][k] }
            if options.fancy {
                for (j, c) in visible.enumerated() where t.columns[c].isNull(r) {
                    let pad = String(repeating: " ", count: max(0, widths[c] - 4))
                    texts[j] = numeric[j] ? pad + "\u{1B}[2mNULL\u{1B}[0m" : "\u{1B}[2mNULL\u{1B}[0m" + pad
                }
            }
            out += options.fancy ? fancyRow(texts, visible, numeric, widths, g.10) : row(texts, right: numeric)
        }
        out += rule(g.6, g.7, g.8)
        var footer: [String] = []
        footer.append("\(TableRenderer.grouped(String(t.rowCount))) row\(t.rowCount == 1 ? "" : "s")")
        if shown.count < t.rowCount {
            let which = gapAfter.map { "the first \($0) and the last \(shown.count - $0)" } ?? "the first \(shown.count)"
            footer.append("showing \(which) (.maxrows N or .maxrows all to change)")
        }
        if visible.count < t.columns.count {
            let hidden = t.columns.indices.filter { !visible.contains($0) }.map { VisibleText.escaped(t.names[$0]) }
            let columns = "\(hidden.count) column\(hidden.count == 1 ? "" : "s")"
            footer.append("\(columns) hidden: \(hidden.joined(separator: ", ")) (widen the terminal or select fewer)")
        }
        if cut > 0 {
            footer.append("\(cut) value\(cut == 1 ? "" : "s") cut at \(maxCell) characters (.maxwidth N, .maxwidth all or .mode line shows them whole)")
        }
        out += footer.joined(separator: ", ") + "\n"
        return out
    }

    /// A row whose cells may already carry escape codes (padding done by hand for NULL).
    func fancyRow(_ texts: [String], _ visible: [Int], _ numeric: [Bool], _ widths: [Int], _ bar: String) -> String {
        var parts: [String] = []
        for (k, c) in visible.enumerated() {
            let s = texts[k]
            if s.contains("\u{1B}") { parts.append(" " + s + " ") } else { parts.append(" " + DisplayWidth.pad(s, to: widths[c], right: numeric[k]) + " ") }
        }
        return bar + parts.joined(separator: bar) + bar + "\n"
    }
}
