import TallyServe
import XCTest

final class PasswordHashTests: XCTestCase {
    func testMatchesOnlyItsPasswordAndReadsBack() throws {
        let hash = try PasswordHash(password: "s3cret", rounds: 210_000)
        XCTAssertTrue(hash.matches("s3cret"))
        XCTAssertFalse(hash.matches("s3cret "))
        XCTAssertEqual(PasswordHash(encoded: hash.encoded), hash)
        XCTAssertTrue(hash.encoded.hasPrefix("pbkdf2-sha256$210000$"))
        XCTAssertNotEqual(try PasswordHash(password: "s3cret", rounds: 210_000).salt, hash.salt, "each hash has its own salt")
    }

    func testRefusesMalformedOrWeakHashes() throws {
        let good = try PasswordHash(password: "x", rounds: 210_000).encoded
        XCTAssertNil(PasswordHash(encoded: good.replacingOccurrences(of: "pbkdf2-sha256", with: "md5")))
        XCTAssertNil(PasswordHash(encoded: good.replacingOccurrences(of: "$210000$", with: "$1000$")), "fewer rounds than swift-crypto allows")
        XCTAssertNil(PasswordHash(encoded: "pbkdf2-sha256$600000$!!$AAAA"))
        XCTAssertNil(PasswordHash(encoded: ""))
    }

    func testAuthFileLinesAndErrors() throws {
        let file = NSTemporaryDirectory() + "/tally-auth-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let hash = try PasswordHash(password: "pw", rounds: 210_000).encoded
        try "# team\n\nmanager:\(hash)\n".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try AccessControl.users(file: file).keys.sorted(), ["manager"])
        try "manager:\(hash)\nanalyst hash\n".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AccessControl.users(file: file)) { XCTAssertTrue("\($0)".contains(":2: expected USER:pbkdf2-sha256")) }
    }
}
