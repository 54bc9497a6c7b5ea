@testable import TallyPostgres
import XCTest

/// The engines behind PostgreSQL's protocol, told apart by the `version()` texts their documentation shows.
final class PostgresEngineTests: XCTestCase {
    func testVersionTextsNameTheEngine() {
        XCTAssertEqual(PostgresEngine.named(version: "PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 "
                                            + "(Red Hat 3.4.2-6.fc3), Redshift 1.0.12103"), .redshift)
        XCTAssertEqual(PostgresEngine.named(version: "CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu, built 2023/09/27 01:53:43, go1.19.10)"), .cockroach)
        XCTAssertEqual(PostgresEngine.named(version: "PostgreSQL 11.2-YB-2.18.0.0-b0 on x86_64-pc-linux-gnu, compiled by clang version 15.0.3"),
                       .yugabyte)
        XCTAssertNil(PostgresEngine.named(version: "PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu"))
    }

    func testRedshiftAndCockroachDBRefuseUploads() {
        XCTAssertNil(PostgresEngine.postgres.uploadRefusal)
        XCTAssertNotNil(PostgresEngine.redshift.uploadRefusal)
        XCTAssertNotNil(PostgresEngine.cockroach.uploadRefusal)
    }
}
