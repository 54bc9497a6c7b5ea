import TallyCore
import TallyLang
import TallyEngine

/// What charts share between the terminal and SVG: the colour-blind-safe palette (Okabe and Ito), per-series fills for
/// terminals without colour, the y-axis rule (bars from zero, lines tight) and x labels.
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

    /// The y axis of a chart: from zero for bars (and stacked totals), tight around the values for lines and points.
    static func yAxis(_ c: ChartSpec, maxTicks: Int = 7) -> AxisScale {
        var values = c.present
        if c.stacked {
            values = c.x.indices.flatMap { i -> [Double] in
                let v = c.series.compactMap { $0.values[i] }
                return [v.filter { $0 > 0 }.reduce(0, +), v.filter { $0 < 0 }.reduce(0, +)]
            }
        }
        let bars = c.kind == .bar || c.kind == .hist || c.kind == .funnel
        let (low, high) = bars ? (values.min() ?? 0, values.max() ?? 1) : padded(values)
        return AxisScale(low: low, high: high, integers: c.yIsWhole, fromZero: bars, style: c.yIsPercent ? .percent : .number, maxTicks: maxTicks)
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

    /// The x values as labels: histogram bin starts as compact numbers, everything else as written.
    static func labels(_ c: ChartSpec) -> [String] {
        c.x.map { v in
            if c.kind == .hist, let d = v.asDouble { return formatNumber(d) }
            return v == .null ? "NULL" : VisibleText.escaped(v.text)
        }
    }

    /// Indices of labels to show so that labels `width` wide, `slot` apart, do not touch: every k-th, starting at 0.
    static func thinned(count: Int, labelWidth: Double, slot: Double) -> [Int] {
        guard count > 0 else { return [] }
        let every = max(1, Int((labelWidth / max(slot, 0.0001)).rounded(.up)))
        return Array(stride(from: 0, to: count, by: every))
    }
}
