import Foundation
import TallyCore
import TallyEngine
import TallyLang
import XCTest

/// `simulate` against the analytic answer: history shaped exactly like a normal distribution,
/// so the sum of N bootstrap draws is close to Normal(N·μ, √N·σ).
final class SimulationTests: XCTestCase {
    /// The standard normal quantile, by bisection on erfc.
    func normalQuantile(_ p: Double) -> Double {
        var lo = -10.0, hi = 10.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if 0.5 * erfc(-mid / 2.squareRoot()) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    func run(_ query: String, on table: Table) throws -> Table {
        var catalog = Catalog()
        catalog.add(table, as: "h")
        let session = Session(catalog: catalog)
        let source = SourceText(name: "t", text: query)
        let (statements, d) = Parser.parse(source)
        XCTAssertEqual(d, [])
        return try session.execute(statements[0])!.table
    }

    func testBootstrapMatchesTheNormalApproximation() throws {
        let periods = 1_000, mu = 100.0, sigma = 10.0
        let values = (0..<periods).map { mu + sigma * normalQuantile((Double($0) + 0.5) / Double(periods)) }
        let months = (0..<periods).map { Period.month(1900 + Int64($0 / 12), Int64($0 % 12 + 1)).encoded }
        let table = Table(names: ["m", "amount"], columns: [Column(ints: months, type: .period), Column(floats: values)])
        let n = 9.0
        let r = try run("h | simulate sum(amount) per m next 9 runs 40000 seed 3 target 930", on: table)
        func value(_ name: String) -> Double { r.column(name)!.double(at: 0) }
        let sd = n.squareRoot() * sigma
        XCTAssertEqual(value("mean"), n * mu, accuracy: 0.6)
        XCTAssertEqual(value("p50"), n * mu, accuracy: 1.0)
        XCTAssertEqual(value("p10"), n * mu - 1.2816 * sd, accuracy: 1.2)
        XCTAssertEqual(value("p90"), n * mu + 1.2816 * sd, accuracy: 1.2)
        XCTAssertEqual(value("p_target"), 0.1587, accuracy: 0.01)  // P(Z ≥ 1)
    }

    func testSameSeedSameNumbers() throws {
        let table = Table(names: ["m", "amount"],
            columns: [Column(ints: (1...12).map { Period.month(2025, $0).encoded }, type: .period), Column(floats: (1...12).map(Double.init))])
        let a = try run("h | simulate sum(amount) per m next 3 runs 500", on: table)
        let b = try run("h | simulate sum(amount) per m next 3 runs 500", on: table)
        XCTAssertEqual(a.column("p90")!.floats, b.column("p90")!.floats)
    }

    func testGoalSeekSolvesANonLinearScenario() throws {
        // revenue(p) = 100 · (1 + p) · (1 − p/2) reaches 110 at p = (1 − √(1 − 0.8)) / 2.
        let table = Table(names: ["price", "qty"], columns: [Column(floats: [10, 20]), Column(floats: [5, 2.5])])
        let r = try run("h | goal sum(price * qty) = 110 vary p in 0..0.5 with price *= 1 + p, qty *= 1 - p / 2", on: table)
        XCTAssertEqual(r.column("p")!.floats[0], (1 - 0.2.squareRoot()) / 2, accuracy: 1e-6)
        XCTAssertEqual(r.column("achieved")!.floats[0], 110, accuracy: 110e-6)
        XCTAssertEqual(r.column("baseline")!.floats[0], 100, accuracy: 1e-9)
    }
}
