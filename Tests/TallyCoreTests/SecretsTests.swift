import TallyCore
import XCTest

/// Passwords in URLs and Spark Connect tokens, masked wherever a text is shown or stored.
final class SecretsTests: XCTestCase {
    func testEveryURLsPasswordIsMasked() {
        XCTAssertEqual(Secrets.masked(".connect postgresql://alice:S3cr3t@db.example:5432/sales"), ".connect postgresql://alice:***@db.example:5432/sales")
        XCTAssertEqual(Secrets.masked("postgresql://alice:p@ss:w0rd@host/db and sc://bob:x@y:15002"),
                       "postgresql://alice:***@host/db and sc://bob:***@y:15002")
        XCTAssertEqual(Secrets.masked("postgresql://alice:S3cr3t@[::1/tally"), "postgresql://alice:***@[::1/tally")
        XCTAssertEqual(Secrets.masked("postgresql://alice@host/db, a@b.c, x:y"), "postgresql://alice@host/db, a@b.c, x:y", "no password, nothing masked")
        // Without a scheme it is still a password (the postgres fuzz target found it left in place).
        XCTAssertEqual(Secrets.masked("://alce:S0c88888@db.example/sales"), "://alce:***@db.example/sales")
    }

    func testASparkConnectTokenIsMasked() {
        XCTAssertEqual(Secrets.masked(".connect sc://spark:15002/;token=S3cr3t;user_id=ana"), ".connect sc://spark:15002/;token=***;user_id=ana")
        XCTAssertEqual(Secrets.masked("sc://spark/;user_id=ana;token=abc def"), "sc://spark/;user_id=ana;token=*** def")
        XCTAssertEqual(Secrets.masked("sc://spark/;user_id=ana"), "sc://spark/;user_id=ana", "no token, nothing masked")
    }

    func testAMessageQuotingPartsOfThePasswordIsRedacted() {
        let url = "postgresql://alice:p@ss:w0rd@127.0.0.1:1/tally"
        XCTAssertEqual(Secrets.password(in: url), "p@ss:w0rd")
        XCTAssertEqual(Secrets.redacted(#"invalid integer value "w0rd@127.0.0.1:1" for connection option "port""#, password: Secrets.password(in: url)),
                       #"invalid integer value "***@127.0.0.1:1" for connection option "port""#)
        XCTAssertNil(Secrets.password(in: "postgresql://alice@host/db"))
    }
}
