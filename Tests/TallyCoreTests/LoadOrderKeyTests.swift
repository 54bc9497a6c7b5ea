import TallyCore
import XCTest

/// The columns that name a table's load order, which `tally upload` declares as its key.
final class LoadOrderKeyTests: XCTestCase {
    func table(_ columns: [(String, Column)]) -> Table {
        Table(names: columns.map(\.0), columns: columns.map(\.1))
    }

    func testAWholeNumberColumnThatRisesOnEveryRowIsTheKey() {
        let t = table([("x", Column(ints: [3, 1, 2])), ("id", Column(ints: [1, 5, 9])), ("day", Column(ints: [0, 1, 2], type: .date))])
        XCTAssertEqual(t.loadOrderKey, ["id"], "the first rising column, not x (falls), nor day (also rises, but later)")
    }

    func testAPairIsTheKeyWhenNoColumnIsAndTheFirstNeverFalls() {
        // stage_changes: one opportunity's stages by date, the opportunities in turn.
        let t = table([("stage", Column(codes: [0, 1, 0, 1, 2], dictionary: ["lead", "won", "lost"])),
                       ("opportunity_id", Column(ints: [1, 1, 2, 2, 2])), ("entered", Column(ints: [10, 12, 3, 4, 8], type: .date))])
        XCTAssertEqual(t.loadOrderKey, ["opportunity_id", "entered"])
        let repeated = table([("opportunity_id", Column(ints: [1, 1, 2])), ("entered", Column(ints: [10, 10, 3], type: .date))])
        XCTAssertNil(repeated.loadOrderKey, "two rows alike in both columns: the pair does not identify a row")
    }

    func testEqualValuesNullsTextAndFloatsAreNoKey() {
        XCTAssertNil(table([("id", Column(ints: [1, 1, 2]))]).loadOrderKey, "a repeated value")
        var valid = Bitmap(count: 3, value: true)
        valid[1] = false
        XCTAssertNil(table([("id", Column(ints: [1, 2, 3], validity: valid))]).loadOrderKey, "a null")
        XCTAssertNil(table([("name", Column(codes: [0, 1, 2], dictionary: ["a", "b", "c"]))]).loadOrderKey,
                     "text sorts differently from engine to engine")
        XCTAssertNil(table([("v", Column(floats: [1, 2, 3]))]).loadOrderKey)
    }

    func testTheDemoTablesKeys() {
        let keys = Dictionary(uniqueKeysWithValues: DemoData.generate().map { ($0.0, $0.1.loadOrderKey) })
        XCTAssertEqual(keys["sales"], ["order_id"])
        XCTAssertEqual(keys["customers"], ["customer_id"])
        XCTAssertEqual(keys["stage_changes"], ["opportunity_id", "entered"])
        XCTAssertEqual(keys["targets"], .some(nil), "sorted by rep, whose order is text's")
        XCTAssertEqual(keys["trainings"], .some(nil), "dates repeat and the score does not rise within a day")
    }
}
