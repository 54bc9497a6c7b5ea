import Foundation
@testable import TallyCore
import TallyFormats
import XCTest

final class DemoDataTests: XCTestCase {
    /// `seeds/` must be exactly what `tally gen` writes at the default scale.
    func testSeedsEqualTheGenerator() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let seeds = root.appendingPathComponent("seeds")
        for (name, table) in DemoData.generate() {
            let onDisk = try String(contentsOf: seeds.appendingPathComponent("\(name).csv"), encoding: .utf8)
            XCTAssertTrue(onDisk == CSVWriter.write(table), "seeds/\(name).csv differs from the generator; run `tally gen --out seeds`")
        }
    }

    func testShapeMatchesTheDataBrief() throws {
        let tables = Dictionary(uniqueKeysWithValues: DemoData.generate())
        let sales = tables["sales"]!, customers = tables["customers"]!, reviews = tables["reviews"]!
        XCTAssertEqual(sales.rowCount, 20_000)
        XCTAssertEqual(customers.rowCount, 2_000)
        XCTAssertEqual(tables["targets"]!.rowCount, 50 * 36)
        XCTAssertEqual(Double(reviews.rowCount) / 20_000, 0.2, accuracy: 0.02)
        let amount = sales.column("amount")!, cost = sales.column("cost")!
        for i in 0..<sales.rowCount { XCTAssertLessThan(cost.floats[i], amount.floats[i]) }
        // A customer orders only after signing up.
        let signup = customers.column("signup_date")!, date = sales.column("date")!, customer = sales.column("customer_id")!
        for i in 0..<sales.rowCount { XCTAssertGreaterThanOrEqual(date.ints[i], signup.ints[Int(customer.ints[i]) - 1]) }
    }

    func testSameScaleSameBytes() {
        XCTAssertEqual(CSVWriter.write(DemoData.generate(scale: 500)[0].1), CSVWriter.write(DemoData.generate(scale: 500)[0].1))
    }

    func testScaleParsing() {
        XCTAssertEqual(DemoData.parseScale("1m"), 1_000_000)
        XCTAssertEqual(DemoData.parseScale("100k"), 100_000)
        XCTAssertEqual(DemoData.parseScale("20000"), 20_000)
        XCTAssertNil(DemoData.parseScale("-5"))
        XCTAssertNil(DemoData.parseScale("lots"))
    }
}

/// The pipeline tables follow DATA.md: every deal starts at `lead` (or `qualified`) on the day it was created,
/// moves forward only, ends `won` or `lost` on its `closed` day, and is open (no `closed`) otherwise.
final class DemoPipelineTests: XCTestCase {
    func testStageHistoriesAreConsistentWithTheDeals() throws {
        let tables = Dictionary(uniqueKeysWithValues: DemoData.generate())
        let opp = tables["opportunities"]!, changes = tables["stage_changes"]!, activities = tables["activities"]!
        XCTAssertEqual(opp.rowCount, 5_000)
        let stages = DemoData.pipelineStages + ["lost"]
        var history: [Int64: [(Int, Int64)]] = [:]
        let id = changes.column("opportunity_id")!, stage = changes.column("stage")!, entered = changes.column("entered")!
        for i in 0..<changes.rowCount {
            history[id.ints[i], default: []].append((stages.firstIndex(of: stage.dictionary[Int(stage.codes[i])])!, entered.ints[i]))
        }
        let created = opp.column("created")!, closed = opp.column("closed")!, current = opp.column("stage")!
        for r in 0..<opp.rowCount {
            let h = history[Int64(r + 1)]!
            XCTAssertTrue(h[0].0 <= 1 && h[0].1 == created.ints[r], "starts at lead or qualified on its created day")
            for k in 1..<h.count { XCTAssertTrue(h[k].0 > h[k - 1].0 && h[k].1 >= h[k - 1].1, "moves forward only") }
            let last = stages[h.last!.0]
            XCTAssertEqual(last, current.dictionary[Int(current.codes[r])])
            XCTAssertEqual(closed.isNull(r), last != "won" && last != "lost")
            if !closed.isNull(r) { XCTAssertEqual(closed.ints[r], h.last!.1) }
        }
        let deal = activities.column("opportunity_id")!
        let care = (0..<activities.rowCount).filter { deal.isNull($0) }.count
        XCTAssertTrue(care > 0 && care < activities.rowCount, "both account care and deal follow-up")
    }

    /// A reason for every lost deal and for no other; a rival named in every loss to a competitor.
    func testLostDealsHaveAReasonAndCompetitorLossesAName() throws {
        let opp = Dictionary(uniqueKeysWithValues: DemoData.generate())["opportunities"]!
        let stage = opp.column("stage")!, reason = opp.column("lost_reason")!, rival = opp.column("competitor")!
        for r in 0..<opp.rowCount {
            let lost = stage.value(at: r) == .string("lost")
            XCTAssertEqual(reason.isNull(r), !lost, "row \(r + 1): a reason exactly when lost")
            if case .string(let why) = reason.value(at: r) {
                XCTAssertTrue(DemoData.lostReasons.contains(why))
                if why == "competitor" { XCTAssertFalse(rival.isNull(r), "row \(r + 1): a loss to a competitor names it") }
            }
            if case .string(let name) = rival.value(at: r) { XCTAssertTrue(DemoData.competitors.contains(name)) }
        }
    }

    /// Trainings name real reps and courses, inside the data's years, scored 0–100, in date order.
    func testTrainingsAreRepsCoursesInDateOrder() throws {
        let tables = Dictionary(uniqueKeysWithValues: DemoData.generate())
        let trainings = tables["trainings"]!, sales = tables["sales"]!
        let reps = Set((0..<sales.rowCount).map { sales.column("rep")!.value(at: $0) })
        let rep = trainings.column("rep")!, course = trainings.column("course")!, date = trainings.column("date")!
        let score = trainings.column("score")!
        XCTAssertGreaterThan(trainings.rowCount, 50)
        for r in 0..<trainings.rowCount {
            XCTAssertTrue(reps.contains(rep.value(at: r)))
            XCTAssertTrue(DemoData.courses.contains { .string($0.name) == course.value(at: r) })
            XCTAssertTrue((DemoData.startDay...DemoData.endDay).contains(date.ints[r]))
            XCTAssertTrue((0...100).contains(score.ints[r]))
            if r > 0 { XCTAssertLessThanOrEqual(date.ints[r - 1], date.ints[r]) }
        }
    }
}
