import TallyCore
import TallyLang
import TallyEngine

/// What charts share between the terminal and SVG: the colour-blind-safe palette (Okabe and Ito), per-series fills for
/// terminals without colour, the y-axis rule (from zero, as Vega-Lite's scales are; points tight), titles in words,
/// x labels and calendar ticks.
enum ChartStyle {
    /// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    /// The same hues as 256-colour terminal codes.
    static let terminalColours = [25, 214, 36, 175, 74, 166, 227, 16]
    /// Bar fills per series when there is no colour.
    static let unicodeFills: [Character] = ["█", "▓", "▒", "░", "▚", "▞", "▙", "▟"]
    static let asciiFills: [Character] = ["#", "=", "*", "+", "o", "x", "%", "@"]
    /// Point marks per series in ASCII line and scatter charts.
    static let asciiMarks: [Character] = ["*", "o", "+", "x", "#", "@", "%", "="]
    /// Point marks per series on a terminal without colour.
    static let unicodeMarks: [Character] = ["●", "○", "◆", "◇", "▲", "△", "■", "□"]

    static func colour(_ series: Int) -> String { palette[series % palette.count] }

    /// The y axis of a chart: from zero for bars, stacked totals and lines (a dip in a line of totals is not exaggerated),
    /// tight around the values for points.
    static func yAxis(_ c: ChartSpec, maxTicks: Int = 7) -> AxisScale {
        var values = c.present
        if c.stacked {
            values = c.x.indices.flatMap { i -> [Double] in
                let v = c.series.compactMap { $0.values[i] }
                return [v.filter { $0 > 0 }.reduce(0, +), v.filter { $0 < 0 }.reduce(0, +)]
            }
        }
        if c.kind == .bridge { values = c.bridgeSpans.flatMap { [$0.from, $0.to] } }
        let fromZero = c.kind != .scatter
        let (low, high) = fromZero ? (values.min() ?? 0, values.max() ?? 1) : padded(values)
        return AxisScale(low: low, high: high, integers: c.yIsWhole, fromZero: fromZero, style: c.yIsPercent ? .percent : .number,
                         maxTicks: maxTicks)
    }

    /// The x axis of a scatter chart (numbers).
    static func xAxis(_ c: ChartSpec, maxTicks: Int = 7) -> AxisScale {
        let (low, high) = padded(c.x.compactMap(\.asDouble))
        return AxisScale(low: low, high: high, maxTicks: maxTicks)
    }

    /// The range of `values` widened by 4% each way, so no point sits on the plot's edge (not below zero for values that are not).
    static func padded(_ values: [Double]) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return (0, 1) }
        let pad = (hi - lo) * 0.04
        return (lo >= 0 ? max(0, lo - pad) : lo - pad, hi + pad)
    }

    /// The bars at x `i`: per series with a value, where its bar starts and ends — from zero side by side, or piled on
    /// the bars before it (positives up, negatives down) when stacked.
    static func barSpans(_ c: ChartSpec, at i: Int) -> [(series: Int, value: Double, from: Double, to: Double)] {
        var up = 0.0, down = 0.0
        return c.series.enumerated().compactMap { s, series in
            guard let v = series.values[i], v.isFinite else { return nil }
            guard c.stacked else { return (s, v, 0, v) }
            if v >= 0 {
                defer { up += v }
                return (s, v, up, up + v)
            }
            defer { down += v }
            return (s, v, down, down + v)
        }
    }

    /// A bar's tooltip: its x label, its series when there are several, and its value.
    static func barTip(_ c: ChartSpec, label: String, series: Int, value: Double) -> String {
        label + (c.series.count > 1 ? ", \(c.series[series].name)" : "") + ": \(TableRenderer.float(value))"
    }

    /// The x values as labels: a histogram's bins as their edges (`500–1k`), everything else as written.
    static func labels(_ c: ChartSpec) -> [String] {
        c.x.map { v in
            if c.kind == .hist, let d = v.asDouble {
                guard let w = c.binWidth else { return formatNumber(d) }
                return AxisLabelStyle.number.text(d, step: w) + "–" + AxisLabelStyle.number.text(d + w, step: w)
            }
            return v == .null ? "NULL" : VisibleText.escaped(v.text)
        }
    }

    /// A name in words: `lost_reason` as "lost reason"; an x of periods by the period's name when its column is a short
    /// alias (`m = month(date)` reads "month").
    static func words(_ name: String, values: [Value] = []) -> String {
        if name.count <= 2, case .period(let p)? = values.first(where: { $0 != .null }) { return p.kind.name }
        return name.replacingOccurrences(of: "_", with: " ")
    }

    /// The chart's title in words: "revenue by month", "how many by amount".
    static func title(_ c: ChartSpec) -> String {
        if c.kind == .hist { return "how many by \(words(c.xTitle))" }
        if c.kind == .funnel { return "how many reached each step" }
        if c.kind == .bridge {
            return c.yTitle == "revenue" ? "revenue before and after: volume, mix and price" : "before and after, by \(words(c.xTitle))"
        }
        return "\(words(c.yTitle)) by \(words(c.xTitle, values: c.x))"
    }

    /// Indices of labels to show so that labels `width` wide, `slot` apart, do not touch: every k-th, starting at 0.
    static func thinned(count: Int, labelWidth: Double, slot: Double) -> [Int] {
        guard count > 0 else { return [] }
        let every = max(1, Int((labelWidth / max(slot, 0.0001)).rounded(.up)))
        return Array(stride(from: 0, to: count, by: every))
    }

    /// Where the ticks of an x axis of dates or periods go: the first x of each month, quarter, half-year or year — the
    /// finest of those giving at most `maxTicks` — with labels such as `2025-04` or, from yearly ticks on, `2025`. Nil when the
    /// x values are not dates or periods (or not in order).
    static func calendarTicks(_ x: [Value], maxTicks: Int) -> [(index: Int, label: String)]? {
        let days: [Int64] = x.compactMap {
            switch $0 {
            case .date(let d): return d
            case .period(let p): return p.startDay
            default: return nil
            }
        }
        guard days.count == x.count, days.count > 1, zip(days, days.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        let months = days.map { d -> Int64 in let c = CivilDate.civil(d); return c.year * 12 + c.month - 1 }
        for every: Int64 in [1, 3, 6, 12, 24, 60, 120] {
            var ticks: [(Int, String)] = []
            for i in days.indices where floorMod(months[i], every) == 0 && (i == 0 ? CivilDate.civil(days[0]).day == 1 : months[i] != months[i - 1]) {
                let year = floorDiv(months[i], 12), month = floorMod(months[i], 12) + 1
                let label = every >= 12 ? "\(year)" : "\(year)-" + (month < 10 ? "0\(month)" : "\(month)")
                ticks.append((i, label))
            }
            if ticks.count <= maxTicks, !ticks.isEmpty { return ticks }
        }
        return nil
    }
}
