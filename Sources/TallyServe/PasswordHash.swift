import Crypto
import Foundation
import _CryptoExtras

/// A salted password hash as `--auth-file` keeps it: `pbkdf2-sha256$ROUNDS$SALT$HASH` (salt and hash in base64),
/// PBKDF2 from swift-crypto. A line of the file is `USER:HASH`; `tally serve --hash-password` prints the hash.
public struct PasswordHash: Sendable, Equatable {
    public let rounds: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// OWASP's recommendation for PBKDF2 with SHA-256 (2023).
    public static let standardRounds = 600_000
    /// The fewest rounds swift-crypto's checked PBKDF2 accepts.
    static let minimumRounds = 210_000
    static let scheme = "pbkdf2-sha256"

    /// A new hash of `password` with a fresh random salt.
    public init(password: String, rounds: Int = standardRounds) throws {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.init(rounds: rounds, salt: salt, hash: try PasswordHash.derive(password, salt: salt, rounds: rounds))
    }

    init(rounds: Int, salt: [UInt8], hash: [UInt8]) {
        (self.rounds, self.salt, self.hash) = (rounds, salt, hash)
    }

    /// Reads the `pbkdf2-sha256$ROUNDS$SALT$HASH` form; nil for anything else.
    public init?(encoded: String) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == PasswordHash.scheme, let rounds = Int(parts[1]), (PasswordHash.minimumRounds...10_000_000).contains(rounds),
              let salt = Data(base64Encoded: String(parts[2])), salt.count >= 8,
              let hash = Data(base64Encoded: String(parts[3])), hash.count == 32 else { return nil }
        self.init(rounds: rounds, salt: Array(salt), hash: Array(hash))
    }

    public var encoded: String {
        [PasswordHash.scheme, String(rounds), Data(salt).base64EncodedString(), Data(hash).base64EncodedString()].joined(separator: "$")
    }

    /// Whether `password` is the one hashed, comparing in constant time.
    public func matches(_ password: String) -> Bool {
        guard let derived = try? PasswordHash.derive(password, salt: salt, rounds: rounds) else { return false }
        return PasswordHash.constantTimeEqual(derived, hash)
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }

    /// Equal bytes, in time that depends on the length only.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
