import Foundation
import TallyEngine

/// A numeric axis: "nice" ticks on a 1-2-5 ladder (Heckbert's nice numbers, the finest step that gives at most seven
/// ticks) and a domain widened to the nice values around the data, as Vega-Lite's `nice` does, so the extreme value
/// never runs past the last label: 0–2,076,446 gets 0, 500k, 1M, 1.5M, 2M, 2.5M.
struct AxisScale {
    /// The lowest and highest value the axis shows: the first and last tick, which take in the data (and, for bars, zero).
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
        var step = NiceStep.step(span: hi - lo, maxTicks: maxTicks, integers: integers)
        // Widening to the nice values outside the data adds up to two ticks; a coarser step keeps within `maxTicks`.
        var first = 0.0, last = 0.0
        for _ in 0..<8 {
            // A hair of tolerance so that 0.6 / 0.2 = 3.0000…1 still ends on 0.6.
            first = (lo / step + 1e-9).rounded(.down)
            last = (hi / step - 1e-9).rounded(.up)
            if last - first + 1 <= Double(maxTicks) { break }
            step = NiceStep.step(span: (last - first) * step, maxTicks: maxTicks, integers: integers)
        }
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

    /// A tick's text: `1.5M`, `250k`, `20%`, `0.25`, integers without decimals.
    func label(_ v: Double) -> String { style.text(v, step: step) }

    /// Where `v` falls between `low` (0) and `high` (1).
    func fraction(_ v: Double) -> Double { high > low ? (v - low) / (high - low) : 0.5 }
}

/// How axis values are written.
enum AxisLabelStyle {
    case number, percent

    /// `v` in a compact form whose precision follows the tick `step`; from 10^15 on, in scientific notation.
    func text(_ v: Double, step: Double) -> String {
        switch self {
        case .percent:
            return AxisLabelStyle.trimmed(v * 100, decimals: AxisLabelStyle.decimals(for: step * 100)) + "%"
        case .number:
            let a = abs(v)
            // Beyond trillions of trillions, a compact mantissa and exponent (1e+308) rather than hundreds of digits.
            if a >= 1e15 { return String(format: "%.3g", v) }
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
