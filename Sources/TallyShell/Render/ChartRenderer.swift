import Foundation
import TallyCore
import TallyEngine

/// Draws charts in the terminal: braille line and scatter charts over the full width with y ticks and a few x labels,
/// horizontal bars around a zero line (negatives to its left), legends for several series, and colour when the
/// terminal has it. Without Unicode (not a terminal) everything is plain ASCII.
struct ChartRenderer {
    let width: Int
    let unicode: Bool
    var colour = false

    func render(_ c: ChartSpec) -> String {
        switch c.kind {
        case .bar, .hist: return bars(c)
        case .line, .scatter: return plot(c)
        case .funnel: return funnel(c)
        case .bridge: return bridge(c)
        }
    }

    /// A bridge (waterfall): one row per bar — the totals from zero, each step from the level the bars before reached —
    /// with its value at the end (steps signed), and the axis below. Steps up and down differ by colour, or by fill.
    func bridge(_ c: ChartSpec) -> String {
        let labels = ChartStyle.labels(c).map { DisplayWidth.truncate($0, to: 32) }
        let labelWidth = labels.map(DisplayWidth.of).max() ?? 0
        let spans = c.bridgeSpans
        let axis = ChartStyle.yAxis(c, maxTicks: 6)
        let texts = c.values.enumerated().map { i, v -> String in
            let text = TableRenderer.float(v ?? 0)
            return c.isTotal[i] || (v ?? 0) < 0 ? text : "+" + text
        }
        let barWidth = max(10, width - labelWidth - (texts.map(\.count).max() ?? 0) - 3)
        func position(_ v: Double) -> Int { Int((axis.fraction(v) * Double(barWidth)).rounded()) }
        var out = ChartStyle.title(c) + "\n"
        for (i, span) in spans.enumerated() {
            var cells = [String](repeating: " ", count: barWidth + 1)
            let a = position(min(span.from, span.to)), b = max(a + 1, position(max(span.from, span.to)))
            let kind = c.isTotal[i] ? 0 : span.to >= span.from ? 1 : 2
            let mark: Character = colour ? (unicode ? "█" : "#") : (unicode ? ["█", "▓", "░"] : ["#", "+", "-"])[kind]
            for k in a..<min(b, barWidth + 1) { cells[k] = painted(String(mark), [0, 2, 5][kind]) }
            out += DisplayWidth.pad(labels[i], to: labelWidth, right: false) + " " + cells.joined() + " " + texts[i] + "\n"
        }
        out += String(repeating: " ", count: labelWidth + 1) + tickLine(axis, width: barWidth + 1) + "\n"
        return out
    }

    func painted(_ text: String, _ series: Int) -> String {
        guard colour else { return text }
        return "\u{1B}[38;5;\(ChartStyle.terminalColours[series % ChartStyle.terminalColours.count])m" + text + "\u{1B}[0m"
    }

    func fill(_ series: Int) -> Character {
        if colour { return unicode ? "█" : "#" }
        let fills = unicode ? ChartStyle.unicodeFills : ChartStyle.asciiFills
        return fills[series % fills.count]
    }

    /// The mark drawn at each point of a series: always in ASCII; on a terminal without colour, when there are several
    /// series (braille strokes alone would not tell them apart).
    func pointMark(_ series: Int, seriesCount: Int) -> Character? {
        if !unicode { return ChartStyle.asciiMarks[series % ChartStyle.asciiMarks.count] }
        guard !colour, seriesCount > 1 else { return nil }
        return ChartStyle.unicodeMarks[series % ChartStyle.unicodeMarks.count]
    }

    /// `■ East  ■ West` (or the series' fills), when there is more than one series.
    func legend(_ c: ChartSpec, marks: (Int) -> Character) -> String {
        guard c.series.count > 1 else { return "" }
        return c.series.enumerated().map { i, s in painted(String(marks(i)), i) + " " + s.name }.joined(separator: "  ") + "\n"
    }

    /// Each step's bar centred under the one before, with its count and its share of the first step.
    func funnel(_ c: ChartSpec) -> String {
        let labels = ChartStyle.labels(c).map { DisplayWidth.truncate($0, to: 24) }
        let labelWidth = labels.map(DisplayWidth.of).max() ?? 0
        let steps = c.values.map { $0 ?? 0 }
        let first = steps.first ?? 0
        let texts = steps.map { v in TableRenderer.grouped(String(Int64(v))) + (first > 0 ? String(format: " (%.0f%%)", v / first * 100) : "") }
        let barWidth = max(10, width - labelWidth - (texts.map(\.count).max() ?? 0) - 4)
        let top = steps.max() ?? 0
        var out = ""
        for (i, v) in steps.enumerated() {
            let cells = top > 0 ? Int((v / top * Double(barWidth)).rounded()) : 0
            let margin = (barWidth - cells) / 2
            let block = String(repeating: unicode ? "█" : "#", count: cells)
            let bar = String(repeating: " ", count: margin) + painted(block, 0) + String(repeating: " ", count: barWidth - cells - margin)
            out += "\(DisplayWidth.pad(labels[i], to: labelWidth, right: false)) \(bar) \(texts[i])\n"
        }
        return out
    }

    /// Horizontal bars: one line per x and series (side by side) or per x (stacked), around a zero line, with each
    /// value at the end and the axis ticks below.
    func bars(_ c: ChartSpec) -> String {
        let labels = ChartStyle.labels(c).map { DisplayWidth.truncate($0, to: 24) }
        let labelWidth = max(DisplayWidth.of(c.xTitle), labels.map(DisplayWidth.of).max() ?? 0)
        let axis = ChartStyle.yAxis(c, maxTicks: 6)
        func valueText(_ v: Double?) -> String {
            guard let v else { return "NULL" }
            if c.yIsPercent { return ColumnFormat.fixed(v * 100, 1) + "%" }
            return v == v.rounded() && abs(v) < 1e15 ? TableRenderer.grouped(String(Int64(v))) : TableRenderer.float(v)
        }
        let totals = c.x.indices.map { i in c.stacked ? c.series.compactMap { $0.values[i] }.reduce(0, +) : nil }
        let valueWidth = c.stacked ? totals.map { valueText($0).count }.max() ?? 0 : c.present.map { valueText($0).count }.max() ?? 4
        let barWidth = max(10, width - labelWidth - max(valueWidth, 4) - 4)
        func position(_ v: Double) -> Int { Int((axis.fraction(v) * Double(barWidth)).rounded()) }
        let zero = position(0)
        let bar = unicode ? "│" : "|"
        var out = ChartStyle.title(c) + "\n" + legend(c, marks: fill)
        for (i, label) in labels.enumerated() {
            var cells = [String](repeating: " ", count: barWidth + 1)
            if zero <= barWidth { cells[zero] = bar }
            func paint(from a: Int, to b: Int, _ series: Int) {
                guard a != b else { return }
                for k in min(a, b)..<max(a, b) where k >= 0 && k <= barWidth { cells[k] = painted(String(fill(series)), series) }
            }
            if c.stacked {
                var up = 0.0, down = 0.0
                for (s, series) in c.series.enumerated() {
                    guard let v = series.values[i] else { continue }
                    if v >= 0 {
                        paint(from: position(up), to: position(up + v), s)
                        up += v
                    } else {
                        paint(from: position(down), to: position(down + v), s)
                        down += v
                    }
                }
                out += DisplayWidth.pad(label, to: labelWidth, right: false) + " " + cells.joined() + " " + valueText(totals[i]) + "\n"
            } else {
                for (s, series) in c.series.enumerated() {
                    var row = cells
                    if let v = series.values[i] {
                        let from = v >= 0 ? zero : position(v), to = v >= 0 ? position(v) : zero
                        for k in max(0, from)..<min(barWidth + 1, max(from, to)) { row[k] = painted(String(fill(s)), s) }
                        if v >= 0, to == zero { row[zero] = bar }
                    }
                    let name = s == 0 ? label : ""
                    out += DisplayWidth.pad(name, to: labelWidth, right: false) + " " + row.joined() + " " + valueText(series.values[i]) + "\n"
                }
            }
        }
        out += String(repeating: " ", count: labelWidth + 1) + tickLine(axis, width: barWidth + 1) + "\n"
        return out
    }

    /// Tick labels placed under their positions on a line `width` wide (the last one moved left to end at the edge, so
    /// it never wraps), skipping any that would touch the one before.
    func tickLine(_ axis: AxisScale, width: Int, positions: [(Double, String)]? = nil) -> String {
        var line = [Character](repeating: " ", count: width)
        var free = 0
        for (value, text) in positions ?? axis.ticks.map({ ($0, axis.label($0)) }) {
            let at = Int((axis.fraction(value) * Double(width - 1)).rounded())
            let start = min(max(0, at - text.count / 2), width - text.count)
            guard start >= free, start >= 0 else { continue }
            for (k, ch) in text.enumerated() { line[start + k] = ch }
            free = start + text.count + 1
        }
        return String(line).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }

    /// Line and scatter charts on a braille canvas (2×4 dots per character), or with ASCII marks.
    func plot(_ c: ChartSpec) -> String {
        let rows = 12
        let yAxis = ChartStyle.yAxis(c, maxTicks: 6)
        let yLabels = yAxis.ticks.map(yAxis.label)
        let labelWidth = max(yLabels.map(\.count).max() ?? 1, 1)
        let columns = max(10, width - labelWidth - 2)
        let dotsX = unicode ? columns * 2 : columns, dotsY = unicode ? rows * 4 : rows
        var canvas = BrailleCanvas(columns: columns, rows: rows, dots: unicode)
        let xAxis = c.kind == .scatter ? ChartStyle.xAxis(c, maxTicks: 6) : nil
        let n = c.x.count
        func dotX(_ i: Int) -> Int {
            if let xAxis, let v = c.x[i].asDouble { return Int((xAxis.fraction(v) * Double(dotsX - 1)).rounded()) }
            return n <= 1 ? 0 : Int((Double(i) / Double(n - 1) * Double(dotsX - 1)).rounded())
        }
        func dotY(_ v: Double) -> Int { Int(((1 - yAxis.fraction(v)) * Double(dotsY - 1)).rounded()) }
        for (s, series) in c.series.enumerated() {
            var previous: (Int, Int)?
            for i in 0..<n {
                // A null is a gap: no point, and no stroke joining its neighbours.
                guard let v = series.values[i], v.isFinite else { previous = nil; continue }
                let point = (dotX(i), dotY(v))
                if c.kind == .line, let p = previous { canvas.line(from: p, to: point, series: s) } else { canvas.set(point, series: s) }
                if let mark = pointMark(s, seriesCount: c.series.count) {
                    canvas.mark(unicode ? (point.0 / 2, point.1 / 4) : point, mark, series: s)
                }
                previous = point
            }
        }
        var tickAtRow: [Int: String] = [:]
        for (t, label) in zip(yAxis.ticks, yLabels) { tickAtRow[Int(((1 - yAxis.fraction(t)) * Double(rows - 1)).rounded())] = label }
        let marks: (Int) -> Character = { pointMark($0, seriesCount: c.series.count) ?? "●" }
        var out = ChartStyle.title(c) + "\n" + legend(c, marks: marks)
        for r in 0..<rows {
            let label = tickAtRow[r] ?? ""
            let edge = tickAtRow[r] == nil ? (unicode ? "│" : "|") : (unicode ? "┤" : "+")
            out += String(repeating: " ", count: labelWidth - label.count) + label + " " + edge + canvas.row(r, paint: painted) + "\n"
        }
        out += String(repeating: " ", count: labelWidth + 1) + (unicode ? "└" : "+") + String(repeating: unicode ? "─" : "-", count: columns) + "\n"
        let xLine: String
        if let xAxis {
            xLine = tickLine(xAxis, width: columns)
        } else if let calendar = ChartStyle.calendarTicks(c.x, maxTicks: max(2, columns / 10)) {
            let scale = AxisScale(low: 0, high: Double(max(1, n - 1)))
            xLine = tickLine(scale, width: columns, positions: calendar.map { (Double($0.index), $0.label) })
        } else {
            let texts = ChartStyle.labels(c)
            let widest = Double(texts.map(DisplayWidth.of).max() ?? 1) + 2
            let slot = Double(columns) / Double(max(1, n - 1))
            var picked = ChartStyle.thinned(count: n, labelWidth: max(widest, Double(columns) / 6), slot: slot)
            if let last = picked.last, last != n - 1, Double(n - 1 - last) * slot >= widest { picked.append(n - 1) }
            let scale = AxisScale(low: 0, high: Double(max(1, n - 1)))
            xLine = tickLine(scale, width: columns, positions: picked.map { (Double($0), texts[$0]) })
        }
        out += String(repeating: " ", count: labelWidth + 2) + xLine + "\n"
        return out
    }
}

/// A grid of braille cells (2×4 dots each) or of plain characters, remembering the series that drew each cell last.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    let dots: Bool
    var bits: [UInt8]
    var owner: [Int]
    var marks: [Character?]

    init(columns: Int, rows: Int, dots: Bool) {
        self.columns = columns
        self.rows = rows
        self.dots = dots
        bits = [UInt8](repeating: 0, count: columns * rows)
        owner = [Int](repeating: -1, count: columns * rows)
        marks = [Character?](repeating: nil, count: columns * rows)
    }

    /// Braille dot numbering: column 0 holds dots 1, 2, 3, 7; column 1 holds 4, 5, 6, 8.
    static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    mutating func set(_ p: (Int, Int), series: Int) {
        let (x, y) = p
        let cx = dots ? x / 2 : x, cy = dots ? y / 4 : y
        guard cx >= 0, cx < columns, cy >= 0, cy < rows else { return }
        let cell = cy * columns + cx
        bits[cell] |= dots ? BrailleCanvas.dotBits[x % 2][y % 4] : 1
        owner[cell] = series
    }

    /// An ASCII point mark (drawn over line dots).
    mutating func mark(_ p: (Int, Int), _ ch: Character, series: Int) {
        guard p.0 >= 0, p.0 < columns, p.1 >= 0, p.1 < rows else { return }
        marks[p.1 * columns + p.0] = ch
        owner[p.1 * columns + p.0] = series
    }

    /// Bresenham's line between two dots.
    mutating func line(from a: (Int, Int), to b: (Int, Int), series: Int) {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y), sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var err = dx + dy
        while true {
            set((x, y), series: series)
            if x == b.0 && y == b.1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    func row(_ r: Int, paint: (String, Int) -> String) -> String {
        var out = ""
        for c in 0..<columns {
            let cell = r * columns + c
            let ch: String
            if let m = marks[cell] { ch = String(m) } else if bits[cell] == 0 { ch = " " } else {
                ch = dots ? String(UnicodeScalar(0x2800 + UInt32(bits[cell]))!) : "."
            }
            out += owner[cell] >= 0 && ch != " " ? paint(ch, owner[cell]) : ch
        }
        return out
    }
}
