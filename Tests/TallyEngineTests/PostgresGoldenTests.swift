import Foundation
import XCTest

/// Every golden case again on a live PostgreSQL server (DatabaseGoldenSuite). The server's URL comes from
/// `TALLY_TEST_POSTGRES` (scripts/test starts one); without it the test is skipped. With `TALLY_TEST_POSTGRES_LOG` (the
/// server's statement log) it also counts the cases that sent SQL to the server.
final class PostgresGoldenTests: XCTestCase {
    func testGoldenFilesOnPostgreSQL() throws {
        guard let url = ProcessInfo.processInfo.environment["TALLY_TEST_POSTGRES"], !url.isEmpty else {
            throw XCTSkip("set TALLY_TEST_POSTGRES to a PostgreSQL URL (scripts/test starts a server and sets it)")
        }
        let suite = DatabaseGoldenSuite(dialect: "postgres", engine: "PostgreSQL", url: url)
        let counts = try suite.run()
        let log = ProcessInfo.processInfo.environment["TALLY_TEST_POSTGRES_LOG"].flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        // A case's own statements, not the catalog queries and settings every connection sends.
        let sent = log.map { text in Set(text.split(separator: "\n").compactMap { line -> Substring? in
            guard line.hasPrefix("golden-"), line.contains("statement: WITH ") || line.contains("statement: SELECT "),
                  !line.contains("statement: SELECT c.relname") else { return nil }
            return line.split(separator: "|").first
        }).count }
        print(counts.summary + (sent.map { "; \($0) sent SQL to the server" } ?? ""))
    }
}
