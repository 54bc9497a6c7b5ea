import TallyCore
@testable import TallyPostgres
import XCTest

/// PostgreSQL's text format of each type, read as Tally's values, and COPY's text format written.
final class PostgresTextTests: XCTestCase {
    func testEachTypeIsReadFromItsText() {
        XCTAssertEqual(PostgresText.value("-9223372036854775808", as: .int), .int(.min))
        XCTAssertEqual(PostgresText.value("42.0", as: .int), .int(42), "a whole numeric is an int")
        XCTAssertNil(PostgresText.value("42.5", as: .int))
        XCTAssertNil(PostgresText.value("1e19", as: .int), "beyond Int64 is no int")
        XCTAssertEqual(PostgresText.value("1.50", as: .float), .float(1.5))
        XCTAssertEqual(PostgresText.value("-Infinity", as: .float), .float(-.infinity))
        XCTAssertTrue(PostgresText.value("NaN", as: .float)?.asDouble?.isNaN ?? false)
        XCTAssertEqual(PostgresText.value("t", as: .bool), .bool(true))
        XCTAssertEqual(PostgresText.value("f", as: .bool), .bool(false))
        XCTAssertNil(PostgresText.value("true", as: .bool), "the server writes booleans as t and f")
        XCTAssertEqual(PostgresText.value("2025-11-30", as: .date), .date(20_422))
        XCTAssertNil(PostgresText.value("2025-02-30", as: .date))
        XCTAssertEqual(PostgresText.value("2025-Q3", as: .period)?.text, "2025-Q3")
        XCTAssertEqual(PostgresText.value("a\tb", as: .string), .string("a\tb"))
    }

    func testSQLTypesMapToTallyTypes() {
        XCTAssertEqual(PostgresText.type(sqlType: "integer", domain: ""), .int)
        XCTAssertEqual(PostgresText.type(sqlType: "numeric(12,2)", domain: ""), .float)
        XCTAssertEqual(PostgresText.type(sqlType: "double precision", domain: ""), .float)
        XCTAssertEqual(PostgresText.type(sqlType: "text", domain: "tally_period"), .period)
        XCTAssertEqual(PostgresText.type(sqlType: "timestamp with time zone", domain: ""), .string)
    }

    func testCopyFieldsEscapeWhatCopyReads() {
        XCTAssertEqual(PostgresText.copyField(.null), "\\N")
        XCTAssertEqual(PostgresText.copyField(.string("a\\b\tc\nd\re")), "a\\\\b\\tc\\nd\\re")
        XCTAssertEqual(PostgresText.copyField(.float(.infinity)), "Infinity")
        XCTAssertEqual(PostgresText.copyField(.bool(false)), "f")
    }

    func testAnErrorReadsItsFields() {
        let fields: [Character: String] = ["M": "syntax error at or near \"FORM\"", "P": "12", "H": "check the spelling"]
        let error = PostgresError(fields: { fields[$0] }, otherwise: "unused")
        XCTAssertEqual(error.message, "PostgreSQL: syntax error at or near \"FORM\"; check the spelling")
        XCTAssertEqual(error.position, 12)
        XCTAssertEqual(PostgresError(fields: { _ in nil }, otherwise: "server closed the connection\n").message,
                       "PostgreSQL: server closed the connection")
    }
}
