import Crypto
import Foundation
import Synchronization

/// Who may read the served pages: anyone who can reach the port (bound to this machine only), holders of a token
/// (`--token`: an `Authorization: Bearer` header, or the login form), or the users of an `--auth-file`. A login sets a
/// random session cookie (HttpOnly, SameSite=Strict) that lasts ``sessionLifetime``.
public final class AccessControl: Sendable {
    public enum Rule: Sendable {
        case open
        case token(String)
        case users([String: PasswordHash])
    }

    public let rule: Rule
    /// How long a login lasts.
    static let sessionLifetime: TimeInterval = 12 * 3600
    static let cookieName = "tally_session"
    private let sessions = Mutex<[String: Date]>([:])

    public init(rule: Rule) { self.rule = rule }

    public var isOpen: Bool { if case .open = rule { return true } else { return false } }

    /// Reads an `--auth-file`: `USER:HASH` lines, `#` comments and blank lines ignored.
    public static func users(file path: String) throws -> [String: PasswordHash] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServeError("cannot read the auth file \(path)")
        }
        var users: [String: PasswordHash] = [:]
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex,
                  let hash = PasswordHash(encoded: String(trimmed[trimmed.index(after: colon)...])) else {
                throw ServeError("\(path):\(k + 1): expected USER:pbkdf2-sha256$ROUNDS$SALT$HASH (make one with `tally serve --hash-password`)")
            }
            users[String(trimmed[..<colon])] = hash
        }
        guard !users.isEmpty else { throw ServeError("\(path) names no users") }
        return users
    }

    /// Whether a request with these headers may read pages.
    func allows(authorization: String?, cookie: String?) -> Bool {
        switch rule {
        case .open: return true
        case .token(let token):
            if let authorization, authorization.hasPrefix("Bearer "),
               AccessControl.sameSecret(String(authorization.dropFirst(7)), token) { return true }
        case .users: break
        }
        guard let cookie else { return false }
        return sessions.withLock { sessions in
            guard let expiry = sessions[cookie] else { return false }
            if expiry < Date() {
                sessions[cookie] = nil
                return false
            }
            return true
        }
    }

    /// Checks a login form; a new session's cookie value when it is right.
    func logIn(user: String?, secret: String) -> String? {
        switch rule {
        case .open: return nil
        case .token(let token): guard AccessControl.sameSecret(secret, token) else { return nil }
        case .users(let users): guard let user, let hash = users[user], hash.matches(secret) else { return nil }
        }
        var generator = SystemRandomNumberGenerator()
        let id = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        sessions.withLock { sessions in
            let now = Date()
            sessions = sessions.filter { $0.value > now }
            sessions[id] = now.addingTimeInterval(AccessControl.sessionLifetime)
        }
        return id
    }

    func logOut(_ cookie: String?) {
        guard let cookie else { return }
        _ = sessions.withLock { $0.removeValue(forKey: cookie) }
    }

    /// Equal secrets, compared by their SHA-256 digests so that the time taken tells nothing of where they differ.
    static func sameSecret(_ a: String, _ b: String) -> Bool {
        PasswordHash.constantTimeEqual(Array(SHA256.hash(data: Array(a.utf8))), Array(SHA256.hash(data: Array(b.utf8))))
    }
}

/// A reason `tally serve` cannot start.
public struct ServeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
