import Foundation
import TallyCore
import XCTest

final class DemoDataTests: XCTestCase {
    /// `seeds/` must be exactly what `tally gen` writes at the default scale.
    func testSeedsEqualTheGenerator() throws {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds")
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
