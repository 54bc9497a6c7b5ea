import TallyCore
import TallyEngine

/// Draws charts in the terminal: Unicode blocks on a terminal, ASCII otherwise.
struct ChartRenderer {
    let width: Int
    let unicode: Bool

    func render(_ c: ChartSpec) -> String {
        switch c.kind {
        case .bar, .hist: return bars(c)
        case .line: return line(c)
        case .funnel: return funnel(c)
        }
    }

    /// Each step's bar centred under the one before, with its count and its share of the first step.
    func funnel(_ c: ChartSpec) -> String {
        let labels = c.labels.map { DisplayWidth.truncate($0, to: 24) }
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
            let bar = String(repeating: " ", count: margin) + block + String(repeating: " ", count: barWidth - cells - margin)
            out += "\(DisplayWidth.pad(labels[i], to: labelWidth, right: false)) \(bar) \(texts[i])\n"
        }
        return out
    }

    func bars(_ c: ChartSpec) -> String {
        let labels = c.labels.map { DisplayWidth.truncate($0, to: 24) }
        let labelWidth = max(DisplayWidth.of(c.xTitle), labels.map(DisplayWidth.of).max() ?? 0)
        let valueTexts = c.values.map { v in
            guard let v else { return "NULL" }
            return v == v.rounded() && abs(v) < 1e15 ? TableRenderer.grouped(String(Int64(v))) : TableRenderer.float(v)
        }
        let valueWidth = valueTexts.map(\.count).max() ?? 0
        let barWidth = max(10, width - labelWidth - valueWidth - 4)
        let top = c.present.map(abs).max() ?? 0
        var out = "\(DisplayWidth.pad(c.xTitle, to: labelWidth, right: false))   \(c.yTitle)\n"
        let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        for (i, value) in c.values.enumerated() {
            let v = value ?? 0
            let cells = top > 0 ? abs(v) / top * Double(barWidth) : 0
            var bar: String
            if unicode {
                let full = Int(cells)
                bar = String(repeating: "█", count: full) + eighths[min(7, Int((cells - Double(full)) * 8))]
            } else {
                bar = String(repeating: "#", count: Int(cells.rounded()))
            }
            if v < 0 { bar = "-" + bar }
            out += "\(DisplayWidth.pad(labels[i], to: labelWidth, right: false)) \(unicode ? "│" : "|")\(bar) \(valueTexts[i])\n"
        }
        return out
    }

    func line(_ c: ChartSpec) -> String {
        let height = 12
        let n = c.values.count
        guard let lo = c.present.min(), let hi = c.present.max() else { return "(no points)\n" }
        let axis = [TableRenderer.float(hi), TableRenderer.float(lo)]
        let axisWidth = axis.map(\.count).max()!
        let plotWidth = max(n, min(width - axisWidth - 3, n * 3))
        var grid = [[Character]](repeating: [Character](repeating: " ", count: plotWidth), count: height)
        var previousRow: Int? = nil
        for i in 0..<n {
            // A null is a gap: no point, and no stroke joining its neighbours.
            guard let value = c.values[i] else { previousRow = nil; continue }
            let x = n == 1 ? 0 : Int((Double(i) / Double(n - 1) * Double(plotWidth - 1)).rounded())
            let y = hi > lo ? Int(((value - lo) / (hi - lo) * Double(height - 1)).rounded()) : height / 2
            let row = height - 1 - y
            if let p = previousRow, p != row {
                for r in min(p, row)...max(p, row) where grid[r][max(0, x - 1)] == " " { grid[r][max(0, x - 1)] = unicode ? "│" : "|" }
            }
            grid[row][x] = unicode ? "●" : "*"
            previousRow = row
        }
        var out = "\(c.yTitle) by \(c.xTitle)\n"
        for (r, cells) in grid.enumerated() {
            let label = r == 0 ? axis[0] : r == height - 1 ? axis[1] : ""
            out += DisplayWidth.pad(label, to: axisWidth, right: true) + (unicode ? " ┤" : " |") + String(cells) + "\n"
        }
        out += String(repeating: " ", count: axisWidth) + (unicode ? " └" : " +") + String(repeating: unicode ? "─" : "-", count: plotWidth) + "\n"
        let first = c.labels.first ?? "", last = c.labels.last ?? ""
        out += String(repeating: " ", count: axisWidth + 2) + first + String(repeating: " ", count: max(1, plotWidth - DisplayWidth.of(first) - DisplayWidth.of(last))) + last + "\n"
        return out
    }
}

/// The last chart as an SVG document (for `.export chart.svg`).
enum SVGChart {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func render(_ c: ChartSpec) -> String {
        let n = max(1, c.values.count)
        let w = 800.0, h = 420.0, left = 90.0, bottom = 80.0, top = 30.0, right = 20.0
        let plotW = w - left - right, plotH = h - top - bottom
        let hi = max(0, c.present.max() ?? 0), lo = min(0, c.present.min() ?? 0)
        let span = hi - lo == 0 ? 1 : hi - lo
        func y(_ v: Double) -> Double { top + (hi - v) / span * plotH }
        var body = ""
        let step = plotW / Double(n)
        if c.kind == .line {
            // One polyline per run of values between nulls: a null is a gap.
            var runs: [[String]] = [[]]
            for (i, v) in c.values.enumerated() {
                if let v { runs[runs.count - 1].append("\(left + step * (Double(i) + 0.5)),\(y(v))") } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            for run in runs where run.count == 1 {
                let xy = run[0].split(separator: ",")
                body += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"#2b6cb0\"/>\n"
            }
            for run in runs where run.count > 1 {
                body += "<polyline fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"/>\n"
            }
        } else {
            for (i, value) in c.values.enumerated() {
                guard let v = value else { continue }
                let x = left + step * Double(i) + step * 0.1
                body += "<rect x=\"\(x)\" y=\"\(min(y(v), y(0)))\" width=\"\(step * 0.8)\" height=\"\(abs(y(v) - y(0)))\" fill=\"#2b6cb0\"><title>\(escape(c.labels[i])): \(TableRenderer.float(v))</title></rect>\n"
            }
        }
        let labelEvery = max(1, n / 20)
        for (i, label) in c.labels.enumerated() where i % labelEvery == 0 {
            let x = left + step * (Double(i) + 0.5)
            body += "<text x=\"\(x)\" y=\"\(h - bottom + 16)\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-40 \(x) \(h - bottom + 16))\">\(escape(label))</text>\n"
        }
        for k in 0...4 {
            let v = lo + span * Double(k) / 4
            body += "<text x=\"\(left - 6)\" y=\"\(y(v) + 4)\" font-size=\"11\" text-anchor=\"end\">\(escape(TableRenderer.float(v)))</text>\n"
            body += "<line x1=\"\(left)\" x2=\"\(w - right)\" y1=\"\(y(v))\" y2=\"\(y(v))\" stroke=\"#ddd\"/>\n"
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="18" font-size="14">\(escape(c.yTitle)) by \(escape(c.xTitle))</text>
        \(body)<line x1="\(left)" x2="\(left)" y1="\(top)" y2="\(top + plotH)" stroke="#333"/>
        </svg>

        """
    }
}

extension ChartSpec {
    /// The x values as axis labels: histogram bin starts as compact numbers, everything else as written.
    var labels: [String] {
        x.map { v in
            if kind == .hist, let d = v.asDouble { return formatNumber(d) }
            return v.text
        }
    }
}
