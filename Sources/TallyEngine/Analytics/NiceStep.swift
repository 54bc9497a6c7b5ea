import Foundation

/// Heckbert's "nice numbers": the finest step of 1, 2, 2.5 or 5 × 10^k that spans a range in at most a given number of
/// ticks — shared by chart axes and histogram bins, so bins fall on the axis's own edges.
public enum NiceStep {
    /// The finest nice step putting at most `maxTicks` ticks on `span` (2.5 only where it stays whole on integer axes).
    public static func step(span: Double, maxTicks: Int, integers: Bool) -> Double {
        guard span.isFinite, span > 0 else { return 1 }
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
}
