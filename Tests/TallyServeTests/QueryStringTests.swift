import TallyWeb
import XCTest

final class QueryStringTests: XCTestCase {
    func parse(_ text: String) throws -> [String] {
        try QueryString(parsing: Substring(text)).pairs.map { "\($0.name)=\($0.value)" }
    }

    func testDecodesPlusEscapesAndUTF8() throws {
        XCTAssertEqual(try parse("month=2025-11&day=20"), ["month=2025-11", "day=20"])
        XCTAssertEqual(try parse("who=M%C3%BCller+%26+Co&x=%2B"), ["who=Müller & Co", "x=+"])
        XCTAssertEqual(try parse("flag&empty=&&"), ["flag=", "empty="])
        XCTAssertEqual(try parse(""), [])
    }

    func testRefusesMalformedStringsWithTheirPosition() {
        XCTAssertThrowsError(try parse("a=1&month=%ZZ")) { XCTAssertEqual($0 as? QueryString.Problem, .badEscape(position: 11)) }
        XCTAssertThrowsError(try parse("a=%4")) { XCTAssertEqual($0 as? QueryString.Problem, .badEscape(position: 3)) }
        XCTAssertThrowsError(try parse("a=1&b=%C3%28")) { XCTAssertEqual($0 as? QueryString.Problem, .notUTF8(position: 7)) }
        XCTAssertThrowsError(try parse("a=1&a=2")) { XCTAssertEqual($0 as? QueryString.Problem, .repeated(name: "a")) }
    }

    func testBoundsLengthAndCount() {
        let many = (0..<101).map { "p\($0)=1" }.joined(separator: "&")
        XCTAssertThrowsError(try parse(many)) { XCTAssertEqual($0 as? QueryString.Problem, .tooManyPairs(count: 101)) }
        XCTAssertNoThrow(try parse((0..<100).map { "p\($0)=1" }.joined(separator: "&")))
        XCTAssertThrowsError(try parse("a=" + String(repeating: "x", count: QueryString.maxLength))) {
            XCTAssertEqual($0 as? QueryString.Problem, .tooLong(length: QueryString.maxLength + 2))
        }
    }

    func testEncodingParsesBackToTheSamePairs() throws {
        let pairs = [QueryString.Pair(name: "who", value: "a&b=c d/é+%"), QueryString.Pair(name: "month", value: "2025-11")]
        let encoded = QueryString(pairs: pairs).encoded
        XCTAssertEqual(encoded, "who=a%26b%3Dc%20d%2F%C3%A9%2B%25&month=2025-11")
        XCTAssertEqual(try QueryString(parsing: Substring(encoded)).pairs, pairs)
    }
}
