import Foundation
import XCTest

/// `tally --connect` against the live server scripts/test starts (`TALLY_TEST_POSTGRES`; skipped without it): libpq's
/// password conventions, the schema a connection offers, statements that would mix Tally's tables with the database's,
/// and `.sql` after a statement.
final class PostgresConnectionTests: XCTestCase {
    var url = ""
    var parts = URLComponents()
    var home = ""

    override func setUpWithError() throws {
        guard let given = ProcessInfo.processInfo.environment["TALLY_TEST_POSTGRES"], !given.isEmpty, let p = URLComponents(string: given) else {
            throw XCTSkip("set TALLY_TEST_POSTGRES to a PostgreSQL URL (scripts/test starts a server and sets it)")
        }
        (url, parts) = (given, p)
        home = NSTemporaryDirectory() + "tally-pg-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        XCTAssertEqual(try run(["upload", url]).status, 0)
        let setup = """
            DO $$ BEGIN CREATE ROLE analyst LOGIN PASSWORD 's3cret'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            CREATE SCHEMA IF NOT EXISTS crm; DROP TABLE IF EXISTS crm.leads; CREATE TABLE crm.leads (lead_id bigint NOT NULL, source text);
            INSERT INTO crm.leads VALUES (1, 'web'), (2, 'event'); ANALYZE crm.leads;
            GRANT USAGE ON SCHEMA crm TO analyst; GRANT SELECT ON ALL TABLES IN SCHEMA public, crm TO analyst;
            """
        XCTAssertEqual(try run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", setup], program: "/usr/bin/env").status, 0)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Output (standard output and errors) and exit status of `tally` (or another program) with these arguments.
    func run(_ arguments: [String], environment: [String: String] = [:], program: String? = nil) throws -> (output: String, status: Int32) {
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = home
        env["PGPASSWORD"] = nil
        env["PGPASSFILE"] = nil
        env["TALLY_CONNECT"] = nil
        env.merge(environment) { _, new in new }
        return try ChildProcess.run(program ?? TerminalSessionTests.binary, arguments, environment: env)
    }

    /// The server's URL for a role, with a password or without.
    func url(user: String, password: String?) -> String {
        var p = parts
        p.user = user
        p.password = password
        return p.string!
    }

    func testThePasswordComesFromTheURLOrPGPASSWORDOrThePassFile() throws {
        let query = ["--format", "csv", "-c", "sales | count"]
        XCTAssertEqual(try run(["--connect", url(user: "analyst", password: "s3cret")] + query).output, "n\n20000\n")
        let bare = url(user: "analyst", password: nil)
        XCTAssertEqual(try run(["--connect", bare] + query, environment: ["PGPASSWORD": "s3cret"]).output, "n\n20000\n")
        let passfile = home + "/pgpass"
        try "\(parts.host!):\(parts.port!):*:analyst:s3cret\n".write(toFile: passfile, atomically: true, encoding: .utf8)
        chmod(passfile, 0o600)
        XCTAssertEqual(try run(["--connect", bare] + query, environment: ["PGPASSFILE": passfile]).output, "n\n20000\n")
        let refused = try run(["--connect", url(user: "analyst", password: "wrong")] + query)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.output.contains("password authentication failed"), refused.output)
        XCTAssertFalse(refused.output.contains("wrong"), "the password is shown: \(refused.output)")
    }

    func testTheSchemaComesFromTheURLOrTheOption() throws {
        let viaURL = try run(["--connect", url + "?schema=crm", "--format", "csv", "-c", ".tables\nleads | count"])
        XCTAssertEqual(viaURL.output, "table,rows,columns\nleads,2,2\nn\n2\n")
        XCTAssertEqual(try run(["--connect", url, "--schema", "crm", "--format", "csv", "-c", "leads | agg n = count() by source"]).output,
                       "source,n\nevent,1\nweb,1\n")
    }

    func testTallysTablesAndTheDatabasesDoNotMixInOneStatement() throws {
        let script = ".load Tests/TallyEngineTests/Fixtures/tiny.csv\nsales | join (tiny | select region, id) on region | count"
        let mixed = try run(["--connect", url, "-c", script])
        XCTAssertEqual(mixed.status, 1)
        XCTAssertTrue(mixed.output.contains("`tiny` is held in Tally, not in the database: one statement cannot mix the two"), mixed.output)
        let named = try run(["--connect", url, "--format", "csv", "-c", "let east = sales | where region == \"East\" | agg n = count()\neast"])
        XCTAssertEqual(named.status, 0, named.output)
    }

    func testUnderSafeDotConnectReachesOnlyTheDatabaseOfTheCommandLine() throws {
        // Another database on the same server stands for a server of the script's choosing: refused before any connection.
        var elsewhere = parts
        elsewhere.path = "/postgres"
        let script = ".connect \(elsewhere.string!)\nsales | count"
        let refused = try run(["--safe", "-c", script], environment: ["PGPASSWORD": "s3cret"])
        XCTAssertEqual(refused.status, 1, refused.output)
        XCTAssertTrue(refused.output.contains("--safe: .connect may reach only the database given on the command line"), refused.output)
        let another = try run(["--safe", "--connect", url, "-c", script])
        XCTAssertEqual(another.status, 1, another.output)
        XCTAssertFalse(another.output.contains("connected"), another.output)
        let same = try run(["--safe", "--connect", url, "--format", "csv", "-c", ".disconnect\n.connect \(url)\nsales | count"])
        XCTAssertEqual(same.output, "n\n20000\n")
        XCTAssertEqual(same.status, 0)
        let unsafe = try run(["--format", "csv", "-c", ".connect \(url)\nsales | count"])
        XCTAssertEqual(unsafe.output, "n\n20000\n", "without --safe any URL is fine")
    }

    func testABackslashCannotEndALiteralWhenStandardConformingStringsIsOff() throws {
        // Under standard_conforming_strings=off a plain '…' literal reads `\'` as a quote: this pipeline, quoted the old
        // way, closed the first literal, dropped `customers`, opened a literal that the second one's quote closed, and
        // ended in a statement of its own that printed a normal answer with exit status 0.
        let hostile = #"sales | where region == "\\'))) SELECT 1; DROP TABLE customers; SELECT '""#
            + #" or region == " AS q; WITH s1 AS (SELECT 1 AS order_id, 1 AS _tally_1 --" | select order_id"#
        let off = ["PGOPTIONS": "-c standard_conforming_strings=off"]
        let result = try run(["--connect", url, "--format", "csv", "-c", hostile], environment: off)
        XCTAssertEqual(result.output, "order_id\n")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(try run(["--connect", url, "--format", "csv", "-c", "customers | count"], environment: off).output, "n\n2000\n")
        let backslashes = #"sales | take 1 | derive s = "a\\b\\'c" | select s"#
        XCTAssertEqual(try run(["--connect", url, "--format", "csv", "-c", backslashes], environment: off).output, "s\na\\b\\'c\n")
    }

    func testDotSQLShowsWhatWasSent() throws {
        let script = "sales | where region == \"East\" | select order_id | take 2\n.sql\n.sql spark"
        let shown = try run(["--connect", url, "--format", "csv", "-c", script])
        XCTAssertTrue(shown.output.contains("WHERE (region = 'East')"), shown.output)
        // `tally upload` made order_id sales' primary key: both dialects order by it, and name no physical row.
        XCTAssertTrue(shown.output.contains("ORDER BY order_id\n  LIMIT 2"), "PostgreSQL's SQL orders by the key: \(shown.output)")
        XCTAssertTrue(shown.output.contains("ORDER BY order_id NULLS LAST\n  LIMIT 2"), "then Spark's: \(shown.output)")
        XCTAssertFalse(shown.output.contains("ctid") || shown.output.contains("monotonically_increasing_id"), shown.output)
    }
}
