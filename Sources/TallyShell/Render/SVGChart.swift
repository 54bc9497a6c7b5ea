import Foundation
import TallyCore
import TallyEngine
import TallyLang

/// A chart as a standalone SVG document (`.export FILE.svg`, reports), in the manner of Vega-Lite's defaults: nice
/// y ticks with light grid lines, bars from zero, lines tight, x labels thinned until they fit, a legend for several
/// series, margins measured from the labels so nothing is clipped.
enum SVGChart {
    static let width = 800.0, height = 420.0, fontSize = 12.0

    /// Text for an HTML or SVG page: tabs as spaces, other control characters shown as escapes (XML forbids most of
    /// them; line breaks stay), then markup escaped.
    static func escape(_ s: String) -> String {
        // One pass, and none at all for the common text with nothing to escape: pages escape every cell they show.
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 < 0x20 || $0 >= 0x7F }) else {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for u in VisibleText.escaped(s.replacingOccurrences(of: "\t", with: "    ")).unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A number for an SVG attribute: at most two decimals.
    static func n(_ v: Double) -> String { AxisLabelStyle.trimmed(v.isFinite ? v : 0, decimals: 2) }

    /// The width of a text in pixels, estimated from its characters (sans-serif averages about 0.6 em).
    static func textWidth(_ s: String, size: Double = fontSize) -> Double { Double(DisplayWidth.of(s)) * size * 0.6 }

    static func text(_ s: String, x: Double, y: Double, anchor: String = "middle", size: Double = fontSize, weight: String? = nil) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\"" + (weight.map { " font-weight=\"\($0)\"" } ?? "")
            + ">\(escape(s))</text>\n"
    }

    /// A text cut with `…` to fit `pixels`.
    static func fitted(_ s: String, pixels: Double) -> String {
        let chars = Int(pixels / (fontSize * 0.6))
        return DisplayWidth.of(s) <= chars ? s : DisplayWidth.truncate(s, to: max(1, chars))
    }

    /// More categories than this are drawn as horizontal bars, one labelled row each (as Excel and Vega-Lite would).
    static let horizontalBarThreshold = 24

    /// A title cut after its last whole word that fits `pixels`, with `…`.
    static func wordFitted(_ s: String, pixels: Double, size: Double) -> String {
        guard textWidth(s, size: size) > pixels else { return s }
        var words = s.split(separator: " ").map(String.init)
        while words.count > 1, textWidth(words.joined(separator: " ") + " …", size: size) > pixels { words.removeLast() }
        return words.joined(separator: " ") + " …"
    }

    static func render(_ c: ChartSpec) -> String {
        if c.kind == .funnel { return funnel(c) }
        if c.kind == .bar, c.x.count > horizontalBarThreshold { return horizontalBars(c) }
        let y = ChartStyle.yAxis(c)
        let yLabels = y.ticks.map(y.label)
        let labels = ChartStyle.labels(c)
        let count = c.x.count
        let calendar = c.kind == .line ? ChartStyle.calendarTicks(c.x, maxTicks: 12) : nil
        // Every category label is shown: level when it fits its band, else turned 45° (the bottom margin grows to hold it).
        let firstGuessBand = (width - 120) / Double(max(1, count))
        let widest = (c.kind == .hist ? [] : labels.map { textWidth($0) }).max() ?? 0
        let turned = (c.kind == .bar || c.kind == .bridge) && widest + 8 > firstGuessBand
        let yTitleSpace = 22.0
        let halfLabel = c.kind == .scatter || turned ? 20 : min(200, widest / 2 + 4)
        let left = max(12 + yTitleSpace + (yLabels.map { textWidth($0) }.max() ?? 10), halfLabel), right = max(24.0, halfLabel)
        let top = c.series.count > 1 ? 58.0 : 40.0
        let labelDepth = turned ? min(160, widest * 0.71 + 10) : 22
        let bottom = labelDepth + 26
        let plotW = width - left - right, plotH = height - top - bottom
        func py(_ v: Double) -> Double { top + (1 - y.fraction(v)) * plotH }
        var body = ""
        for (t, label) in zip(y.ticks, yLabels) {
            body += "<line x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(py(t)))\" y2=\"\(n(py(t)))\" stroke=\"\(t == 0 ? "#888" : "#e4e4e4")\"/>\n"
            body += text(label, x: left - 6, y: py(t) + 4, anchor: "end")
        }
        let band = plotW / Double(max(1, count))
        switch c.kind {
        case .scatter:
            let x = ChartStyle.xAxis(c)
            func px(_ v: Double) -> Double { left + x.fraction(v) * plotW }
            for t in x.ticks {
                body += "<line x1=\"\(n(px(t)))\" x2=\"\(n(px(t)))\" y1=\"\(n(top))\" y2=\"\(n(top + plotH))\" stroke=\"#f0f0f0\"/>\n"
                body += text(x.label(t), x: px(t), y: top + plotH + 18)
            }
            for (s, series) in c.series.enumerated() {
                for (i, v) in series.values.enumerated() {
                    guard let v, let xv = c.x[i].asDouble else { continue }
                    body += "<circle cx=\"\(n(px(xv)))\" cy=\"\(n(py(v)))\" r=\"3\" fill=\"\(ChartStyle.colour(s))\" fill-opacity=\"0.75\"/>\n"
                }
            }
        case .line:
            body += lines(c, left: left, band: band, py: py)
        case .bridge:
            body += bridge(c, left: left, band: band, py: py)
        default:
            body += bars(c, left: left, band: band, py: py)
        }
        let baseline = top + plotH + 18
        if c.kind == .hist, let w = c.binWidth, let first = c.x.first?.asDouble {
            // A histogram's labels are its bins' edges, under the edges.
            let edges = (0...count).map { first + Double($0) * w }
            let every = max(1, Int(((edges.map { textWidth(AxisLabelStyle.number.text($0, step: w)) }.max() ?? 0) + 10) / band) + 1)
            for i in stride(from: 0, through: count, by: every) {
                body += text(AxisLabelStyle.number.text(edges[i], step: w), x: left + band * Double(i), y: baseline)
            }
        } else if let calendar {
            for (i, label) in calendar {
                let x = left + band * (Double(i) + 0.5)
                body += "<line x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(top + plotH))\" y2=\"\(n(top + plotH + 5))\" stroke=\"#888\"/>\n"
                body += text(label, x: x, y: baseline)
            }
        } else if c.kind != .scatter {
            let shown = turned ? Array(0..<count) : ChartStyle.thinned(count: count, labelWidth: widest + 10, slot: band)
            for i in shown {
                let x = left + band * (Double(i) + 0.5)
                if turned {
                    let label = fitted(labels[i], pixels: 220)
                    body += "<text x=\"\(n(x))\" y=\"\(n(top + plotH + 12))\" font-size=\"\(n(fontSize))\" text-anchor=\"end\" "
                        + "transform=\"rotate(-45 \(n(x)) \(n(top + plotH + 12)))\">\(escape(label))</text>\n"
                } else {
                    body += text(count == 1 ? fitted(labels[i], pixels: plotW) : labels[i], x: x, y: baseline)
                }
            }
        }
        body += axisTitles(x: ChartStyle.words(c.xTitle, values: c.x), y: ChartStyle.words(c.yTitle), left: left, plotW: plotW, top: top,
                           plotH: plotH)
        return document(title: ChartStyle.title(c), left: left, body: body + legend(c, left: left)
            + "<line x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(top))\" y2=\"\(n(top + plotH))\" stroke=\"#888\"/>\n")
    }

    /// A bridge's bars: totals from zero in blue, steps up in green and down in vermillion from the level before, joined
    /// by thin lines at the levels they hand on, each with its value as a tooltip.
    static func bridge(_ c: ChartSpec, left: Double, band: Double, py: (Double) -> Double) -> String {
        var body = ""
        let labels = ChartStyle.labels(c), spans = c.bridgeSpans
        for (i, span) in spans.enumerated() {
            let x = left + band * Double(i) + band * 0.1, w = band * 0.8
            let colour = c.isTotal[i] ? ChartStyle.colour(0) : span.to >= span.from ? ChartStyle.colour(2) : ChartStyle.colour(5)
            let top = min(py(span.from), py(span.to)), height = max(1, abs(py(span.to) - py(span.from)))
            let v = c.values[i] ?? 0
            let tip = "\(labels[i]): " + (c.isTotal[i] || v < 0 ? "" : "+") + TableRenderer.float(v)
            body += "<rect x=\"\(n(x))\" y=\"\(n(top))\" width=\"\(n(w))\" height=\"\(n(height))\" fill=\"\(colour)\"><title>\(escape(tip))</title></rect>\n"
            if i + 1 < spans.count {
                body += "<line x1=\"\(n(x + w))\" x2=\"\(n(x + band))\" y1=\"\(n(py(span.to)))\" y2=\"\(n(py(span.to)))\" stroke=\"#888\" "
                    + "stroke-dasharray=\"3 2\"/>\n"
            }
        }
        return body
    }

    /// The x axis's title centred under the plot, the y axis's turned along its left edge.
    static func axisTitles(x: String, y: String, left: Double, plotW: Double, top: Double, plotH: Double) -> String {
        let yMiddle = top + plotH / 2
        return text(x, x: left + plotW / 2, y: height - 8, weight: "bold")
            + "<text x=\"14\" y=\"\(n(yMiddle))\" font-size=\"\(n(fontSize))\" font-weight=\"bold\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 14 \(n(yMiddle)))\">\(escape(y))</text>\n"
    }

    /// One polyline per series and run of values between nulls (a null is a gap; a lone point is a dot).
    static func lines(_ c: ChartSpec, left: Double, band: Double, py: (Double) -> Double) -> String {
        var body = ""
        for (s, series) in c.series.enumerated() {
            var runs: [[String]] = [[]]
            for (i, v) in series.values.enumerated() {
                if let v, v.isFinite {
                    runs[runs.count - 1].append("\(n(left + band * (Double(i) + 0.5))),\(n(py(v)))")
                } else if !runs[runs.count - 1].isEmpty {
                    runs.append([])
                }
            }
            for run in runs where run.count > 1 {
                body += "<polyline fill=\"none\" stroke=\"\(ChartStyle.colour(s))\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"/>\n"
            }
            for run in runs where run.count == 1 || c.x.count <= 40 {
                for point in run {
                    let xy = point.split(separator: ",")
                    body += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"\(run.count == 1 ? 3 : 2.5)\" fill=\"\(ChartStyle.colour(s))\"/>\n"
                }
            }
        }
        return body
    }

    /// A legend of the series' colours above the plot, when there are several.
    static func legend(_ c: ChartSpec, left: Double) -> String {
        guard c.series.count > 1 else { return "" }
        var legend = "", x = left
        for (s, series) in c.series.enumerated() {
            legend += "<rect x=\"\(n(x))\" y=\"34\" width=\"12\" height=\"12\" fill=\"\(ChartStyle.colour(s))\"/>\n"
            legend += text(series.name, x: x + 17, y: 44.5, anchor: "start")
            x += 17 + textWidth(series.name) + 18
        }
        return legend
    }

    /// Many categories as horizontal bars: one row per category with its label at the left, the value axis along the
    /// bottom; taller than the usual chart so every label has its row.
    static func horizontalBars(_ c: ChartSpec) -> String {
        let labels = ChartStyle.labels(c).map { fitted($0, pixels: 220) }
        let axis = ChartStyle.yAxis(c)
        let rowH = 16.0 * Double(c.stacked ? 1 : max(1, c.series.count)) + 4
        let top = c.series.count > 1 ? 58.0 : 40.0
        let left = 16 + (labels.map { textWidth($0) }.max() ?? 0), right = 30.0
        let plotW = width - left - right, plotH = rowH * Double(c.x.count)
        let chartHeight = top + plotH + 50
        func px(_ v: Double) -> Double { left + axis.fraction(v) * plotW }
        var body = ""
        for t in axis.ticks {
            body += "<line x1=\"\(n(px(t)))\" x2=\"\(n(px(t)))\" y1=\"\(n(top))\" y2=\"\(n(top + plotH))\" stroke=\"\(t == 0 ? "#888" : "#e4e4e4")\"/>\n"
            body += text(axis.label(t), x: px(t), y: top + plotH + 16)
        }
        let k = c.stacked ? 1 : max(1, c.series.count)
        let barH = (rowH - 4) / Double(k)
        for i in c.x.indices {
            let rowTop = top + rowH * Double(i) + 2
            body += text(labels[i], x: left - 6, y: rowTop + rowH / 2 + 2, anchor: "end")
            for (s, v, from, to) in ChartStyle.barSpans(c, at: i) {
                let y = rowTop + (c.stacked ? 0 : barH * Double(s))
                let tip = ChartStyle.barTip(c, label: labels[i], series: s, value: v)
                body += "<rect x=\"\(n(min(px(from), px(to))))\" y=\"\(n(y))\" width=\"\(n(max(1, abs(px(to) - px(from)))))\" "
                    + "height=\"\(n(max(1, barH - 1)))\" fill=\"\(ChartStyle.colour(s))\"><title>\(escape(tip))</title></rect>\n"
            }
        }
        body += text(ChartStyle.words(c.yTitle), x: left + plotW / 2, y: chartHeight - 10, weight: "bold")
        return document(title: ChartStyle.title(c), left: left, body: body + legend(c, left: left), height: chartHeight)
    }

    /// Bars side by side per x (or stacked), from the zero line; each with its value as a tooltip.
    static func bars(_ c: ChartSpec, left: Double, band: Double, py: (Double) -> Double) -> String {
        var body = ""
        let labels = ChartStyle.labels(c)
        let group = c.kind == .hist ? band * 0.96 : band * 0.8
        let k = c.stacked ? 1 : max(1, c.series.count)
        let barW = group / Double(k)
        for i in c.x.indices {
            for (s, v, from, to) in ChartStyle.barSpans(c, at: i) {
                let x = left + band * Double(i) + (band - group) / 2 + (c.stacked ? 0 : barW * Double(s))
                let y0 = py(from), y1 = py(to)
                let tip = ChartStyle.barTip(c, label: labels[i], series: s, value: v)
                body += "<rect x=\"\(n(x))\" y=\"\(n(min(y0, y1)))\" width=\"\(n(max(1, barW - (k > 1 ? 1 : 0))))\" height=\"\(n(abs(y1 - y0)))\" "
                    + "fill=\"\(ChartStyle.colour(s))\"><title>\(escape(tip))</title></rect>\n"
            }
        }
        return body
    }

    /// A funnel: each step's bar centred under the one before, its count and share of the first at its end.
    static func funnel(_ c: ChartSpec) -> String {
        let labels = ChartStyle.labels(c)
        let steps = c.values.map { $0 ?? 0 }
        let first = steps.first ?? 0, top = steps.max() ?? 0
        let left = 16 + (labels.map { textWidth($0) }.max() ?? 0), right = 130.0
        let rowH = min(48, (height - 60) / Double(max(1, steps.count)))
        let plotW = width - left - right
        // As tall as its steps, without blank space under the last.
        let chartHeight = 40 + rowH * Double(steps.count) + 16
        var body = ""
        for (i, v) in steps.enumerated() {
            let w = top > 0 ? v / top * plotW : 0
            let x = left + (plotW - w) / 2, y = 40 + rowH * Double(i)
            body += "<rect x=\"\(n(x))\" y=\"\(n(y + 4))\" width=\"\(n(w))\" height=\"\(n(rowH - 8))\" fill=\"\(ChartStyle.colour(0))\"/>\n"
            body += text(labels[i], x: left - 8, y: y + rowH / 2 + 4, anchor: "end")
            let share = first > 0 ? String(format: " (%.0f%%)", v / first * 100) : ""
            body += text(TableRenderer.grouped(String(Int64(v))) + share, x: left + plotW + 8, y: y + rowH / 2 + 4, anchor: "start")
        }
        return document(title: ChartStyle.title(c), left: left, body: body, height: chartHeight)
    }

    /// The SVG document around a chart's body, with its title cut at a word to fit the width.
    static func document(title: String, left: Double, body: String, height: Double = height) -> String {
        let h = Int(height.rounded(.up))
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(h)" viewBox="0 0 \(Int(width)) \(h)" \
        font-family="Helvetica, Arial, sans-serif" fill="#222">
        <rect width="100%" height="100%" fill="white"/>
        \(text(wordFitted(title, pixels: width - left - 10, size: 14), x: left, y: 22, anchor: "start", size: 14, weight: "bold"))\(body)</svg>

        """
    }
}
