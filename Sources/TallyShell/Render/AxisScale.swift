import Foundation

/// A numeric axis: "nice" ticks on a 1-2-5 ladder (Heckbert's nice numbers, choosing the finest step that gives at most
/// seven ticks inside the data's range, so 0–2,076,446 gets 0, 500k, 1M, 1.5M, 2M) and compact tick labels.
struct AxisScale {
    /// The lowest and highest value the axis shows (the data's range, widened to take in the ticks and, for bars, zero).
    let low: Double
    let high: Double
    /// Where the ticks are, ascending.
    let ticks: [Double]
    let step: Double
    /// How values are written on the axis.
    let style: AxisLabelStyle

    /// An axis for values from `low` to `high`; `integers` keeps steps whole (counts), `fromZero` takes in 0 (bars).
    init(low dataLow: Double, high dataHigh: Double, integers: Bool = false, fromZero: Bool = false, style: AxisLabelStyle = .number,
         maxTicks: Int = 7) {
        var lo = fromZero ? min(0, dataLow) : dataLow
        var hi = fromZero ? max(0, dataHigh) : dataHigh
        if !lo.isFinite || !hi.isFinite { (lo, hi) = (0, 1) }
        if hi - lo <= 0 {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (fromZero && lo >= 0 ? lo : lo - pad, hi + pad)
        }
        let step = AxisScale.niceStep(span: hi - lo, maxTicks: maxTicks, integers: integers)
        // A hair of tolerance so that 0.6 / 0.2 = 2.9999… still counts 0.6 as a tick.
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        var ticks: [Double] = []
        if last - first < 1_000 {
            var k = first
            while k <= last { ticks.append(k * step); k += 1 }
        }
        self.ticks = ticks.map { $0 == 0 ? 0 : $0 }
        self.step = step
        self.low = min(lo, ticks.first ?? lo)
        self.high = max(hi, ticks.last ?? hi)
        self.style = style
    }

    /// The finest step of 1, 2, 2.5 or 5 × 10^k that puts at most `maxTicks` ticks on `span` (2.5 only where it stays whole
    /// on integer axes).
    static func niceStep(span: Double, maxTicks: Int, integers: Bool) -> Double {
        let rough = span / Double(max(1, maxTicks - 1))
        var magnitude = pow(10, (log10(rough)).rounded(.down))
        if integers { magnitude = max(1, magnitude) }
        for _ in 0..<4 {
            for f in integers && magnitude < 10 ? [1.0, 2.0, 5.0] : [1.0, 2.0, 2.5, 5.0] {
                let step = f * magnitude
                if (span / step).rounded(.down) + 1 <= Double(maxTicks) { return step }
            }
            magnitude *= 10
        }
        return magnitude
    }

    /// A tick's text: `1.5M`, `250k`, `20%`, `0.25`, integers without decimals.
    func label(_ v: Double) -> String { style.text(v, step: step) }

    /// Where `v` falls between `low` (0) and `high` (1).
    func fraction(_ v: Double) -> Double { high > low ? (v - low) / (high - low) : 0.5 }
}

/// How axis values are written.
enum AxisLabelStyle {
    case number, percent

    /// `v` in a compact form whose precision follows the tick `step`.
    func text(_ v: Double, step: Double) -> String {
        switch self {
        case .percent:
            return AxisLabelStyle.trimmed(v * 100, decimals: AxisLabelStyle.decimals(for: step * 100)) + "%"
        case .number:
            let a = abs(v)
            for (scale, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")] where a >= scale {
                return AxisLabelStyle.trimmed(v / scale, decimals: AxisLabelStyle.decimals(for: step / scale)) + suffix
            }
            return AxisLabelStyle.trimmed(v, decimals: AxisLabelStyle.decimals(for: step))
        }
    }

    /// Decimals needed to write every multiple of `step` exactly (none for whole steps, one for 2.5 or 0.5).
    static func decimals(for step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        for d in 0...6 {
            let scaled = step * pow(10, Double(d))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { return d }
        }
        return 6
    }

    static func trimmed(_ v: Double, decimals: Int) -> String {
        var s = String(format: "%.\(decimals)f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}
