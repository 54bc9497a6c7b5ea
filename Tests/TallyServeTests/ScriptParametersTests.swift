import TallyCore
import TallyWeb
import XCTest

final class ScriptParametersTests: XCTestCase {
    let script = """
        -- A report.
        param month = 2025-11
        param day = 2025-11-15
        param top = 10
        param price = 5%
        param band = 40k
        param quarter = 2025-Q4
        param who = "west"
        sales | where date in $month and region == $who and amount > $floor | take $top
        .run other month=$month
        """

    func testFieldsFollowTheDefaults() {
        let p = ScriptParameters(script: script, alsoTaken: ["target"])
        XCTAssertEqual(p.parameters.map(\.name), ["month", "day", "top", "price", "band", "quarter", "who", "floor"])
        XCTAssertEqual(p.parameters.map(\.field), [.month, .date, .integer, .percent, .integer, .quarter, .text, .text])
        XCTAssertEqual(p.parameters.map(\.defaultText), ["2025-11", "2025-11-15", "10", "5%", "40k", "2025-Q4", "\"west\"", nil])
        XCTAssertEqual(p.parameters[4].defaultValue, .int(40_000))
        XCTAssertEqual(p.parameters[3].defaultValue, .float(0.05))
    }

    func testValuesAreMadeTheirDefaultsTypes() {
        let p = ScriptParameters(script: script, alsoTaken: ["target"])
        let (values, problems) = p.values(from: [.init(name: "month", value: "2025-10"), .init(name: "price", value: "7%"),
                                                 .init(name: "who", value: "2025"), .init(name: "day", value: ""), .init(name: "_table", value: "2"),
                                                 .init(name: "target", value: "9")])
        XCTAssertEqual(problems, [:])
        XCTAssertEqual(values["month"], .period(.month(2025, 10)))
        XCTAssertEqual(values["price"], .float(0.07))
        XCTAssertEqual(values["who"], .string("2025"))
        XCTAssertNil(values["day"], "an empty value keeps the default")
        XCTAssertEqual(values["target"], .int(9))
    }

    func testRefusalsCarryTheShellsMessage() {
        let p = ScriptParameters(script: script)
        let (_, problems) = p.values(from: [.init(name: "month", value: "abc"), .init(name: "top", value: "2025-11"), .init(name: "mnth", value: "1")])
        XCTAssertEqual(problems["month"], "parameter month takes a period (like its default 2025-11), but was given `abc`; hint: for example month=2025-11")
        XCTAssertEqual(problems["top"], "parameter top takes an int (like its default 10), but was given `2025-11`; hint: for example top=10")
        XCTAssertEqual(problems["mnth"]?.hasPrefix("unknown parameter `mnth`; it takes: band, day, floor, month"), true)
    }
}
