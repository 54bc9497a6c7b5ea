@testable import TallyPostgres
import XCTest

/// How a URL becomes libpq's connection string, the schema offered and the text shown in messages.
final class PostgresURLTests: XCTestCase {
    func testTheSchemaComesFromTheURLUnlessTheOptionNamesOne() {
        let url = PostgresURL("postgresql://alice@db.example:5433/sales?schema=crm&sslmode=require")
        XCTAssertEqual(url.schema, "crm")
        XCTAssertEqual(url.conninfo, "postgresql://alice@db.example:5433/sales?sslmode=require", "libpq never sees Tally's own parameter")
        XCTAssertEqual(PostgresURL("postgresql://alice@db.example/sales?schema=crm", schema: "ops").schema, "ops")
        XCTAssertEqual(PostgresURL("postgresql://alice@db.example/sales?schema=crm").conninfo, "postgresql://alice@db.example/sales")
        XCTAssertEqual(PostgresURL("postgres://db.example/sales").schema, "public")
    }

    /// A text of parameters only once showed as nothing in messages (the postgres fuzz target found `?\u{2}`).
    func testATextOfParametersOnlyShowsAsItself() {
        XCTAssertEqual(PostgresURL("?\u{2}").shown, "?\u{2}")
        XCTAssertEqual(PostgresURL("?schema=crm").shown, "?schema=crm")
        // Read as a path, `://` became `%3A//` and hid the password from the masking (the fuzz target's third finding).
        XCTAssertEqual(PostgresURL("://alce:SInt8888@host/x}").shown, "://alce:***@host/x}")
    }

    func testThePasswordIsNeverShown() {
        XCTAssertEqual(PostgresURL("postgresql://alice:S3cr3t@db.example:5433/sales?schema=crm").shown, "postgresql://alice@db.example:5433/sales")
        XCTAssertEqual(PostgresURL("postgresql://alice:S3cr3t@db.example:5433/sales").conninfo, "postgresql://alice:S3cr3t@db.example:5433/sales",
                       "libpq gets the password")
        // Texts that are no valid URL keep their shape, with the password masked.
        for (text, shown) in [("postgresql://alice:S3cr3t@127.0.0.1:notaport/tally", "postgresql://alice:***@127.0.0.1:notaport/tally"),
                              ("postgresql://alice:S3cr3t@[::1/tally", "postgresql://alice:***@[::1/tally"),
                              ("mysql://alice:p@ss@host/db", "mysql://alice@host/db")] {
            let url = PostgresURL(text)
            XCTAssertEqual(url.shown, shown)
            XCTAssertFalse(url.shown.contains("S3cr3t") || url.shown.contains("p@ss"), url.shown)
        }
    }
}
