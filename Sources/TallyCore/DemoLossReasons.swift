/// Why deals are lost and whom they are lost to, in the demo data: `lost_reason` (price, timing, competitor,
/// no decision, feature; null unless lost) and `competitor` (the rival named in a loss or in the deal, null when none).
/// Drawn from a random stream of its own after a deal's outcome, so the outcome is the same bytes as before.
extension DemoData {
    static let lostReasons = ["price", "timing", "competitor", "no decision", "feature"]
    static let competitors = ["CompetiCorp", "Rivalry Inc", "Underbid Ltd"]
    /// Reason weights per source (as `customerChannels`); price grows in 2025 and each rep has a weak spot of their own.
    static let reasonWeights: [String: [Double]] = [
        "web": [0.35, 0.2, 0.2, 0.15, 0.1], "referral": [0.2, 0.3, 0.1, 0.25, 0.15], "event": [0.25, 0.2, 0.3, 0.15, 0.1],
        "partner": [0.2, 0.2, 0.25, 0.15, 0.2], "cold_call": [0.3, 0.15, 0.1, 0.4, 0.05],
    ]
    /// Who is named: in a loss to a competitor (CompetiCorp most), in another loss, and in a deal won or still open
    /// (Underbid Ltd most: we usually beat them).
    static let lossCompetitorWeights = [0.5, 0.32, 0.18], otherCompetitorWeights = [0.25, 0.3, 0.45]

    /// The reason (nil unless lost) and the competitor (nil when none) of one deal.
    static func lossDetails(final: String, source: String, rep: Int, closed: Int64?, rng: inout SplitMix64) -> (reason: String?, competitor: String?) {
        func pick(_ weights: [Double]) -> Int {
            var u = rng.unit() * weights.reduce(0, +)
            for (i, w) in weights.enumerated() {
                u -= w
                if u < 0 { return i }
            }
            return weights.count - 1
        }
        guard final == "lost" else {
            return (nil, rng.unit() < 0.15 ? competitors[pick(otherCompetitorWeights)] : nil)
        }
        var weights = reasonWeights[source] ?? [1, 1, 1, 1, 1]
        weights[rep % weights.count] += 0.15
        if let closed, closed >= CivilDate.days(year: 2025, month: 1, day: 1) { weights[0] += 0.15 }
        let reason = lostReasons[pick(weights)]
        if reason == "competitor" { return (reason, competitors[pick(lossCompetitorWeights)]) }
        return (reason, rng.unit() < 0.2 ? competitors[pick(otherCompetitorWeights)] : nil)
    }
}
