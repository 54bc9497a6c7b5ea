import Foundation
import TallyCore
import TallyEngine
import TallyPostgres
import XCTest

/// String literals on the live server scripts/test starts (`TALLY_TEST_POSTGRES`; skipped without it): whatever the
/// text, the literal Tally writes reads back as that text, with `standard_conforming_strings` on and off.
final class LiteralQuotingTests: XCTestCase {
    func connection() throws -> PostgresConnection {
        guard let url = ProcessInfo.processInfo.environment["TALLY_TEST_POSTGRES"], !url.isEmpty else {
            throw XCTSkip("set TALLY_TEST_POSTGRES to a PostgreSQL URL (scripts/test starts a server and sets it)")
        }
        return try PostgresConnection(url: url)
    }

    /// Texts built from the characters that matter to quoting, plus a few fixed hostile ones.
    func texts(count: Int) -> [String] {
        let alphabet: [String] = ["'", "\\", "\"", "$$", "E'", "--", ";", "\n", "\t", "a", " ", "é", "😀", "%", "_", "\r", "\u{7f}"]
        var random = SplitMix64(seed: 2026)
        var out = [#"\'; DROP TABLE t; --"#, #"\"#, #"\\"#, "'", "''", #"\x41"#, #"\u0041"#, "", "E'\\\\'"]
        for _ in 0..<count {
            let length = Int(random.next() % 12)
            out.append((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined())
        }
        return out
    }

    func testEveryStringLiteralReadsBackUnchangedWithStandardConformingStringsOnAndOff() throws {
        let pg = try connection()
        let texts = texts(count: 500)
        for setting in ["on", "off"] {
            try pg.run("SET standard_conforming_strings TO \(setting)")
            let select = "SELECT " + texts.enumerated().map { "\(SQLDialects.postgres.string($0.element)) AS c\($0.offset)" }.joined(separator: ", ")
            let row = try pg.query(select, names: texts.indices.map { "c\($0)" }, types: texts.map { _ in .string })
            XCTAssertEqual(row.rowCount, 1)
            for (i, text) in texts.enumerated() {
                XCTAssertEqual(row.columns[i].value(at: 0), .string(text), "standard_conforming_strings \(setting): \(text.debugDescription)")
            }
        }
    }

    func testATextWithANulCharacterIsRefusedBeforeItReachesTheServer() throws {
        let pg = try connection()
        XCTAssertThrowsError(try pg.query("SELECT " + SQLDialects.postgres.string("a\u{0}b"), names: ["c"], types: [.string])) { error in
            XCTAssertTrue("\(error)".contains("NUL character"), "\(error)")
        }
    }
}
