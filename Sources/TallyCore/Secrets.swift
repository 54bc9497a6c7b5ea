import Foundation

/// Passwords in URLs (`postgresql://alice:S3cr3t@host/db`) and Spark Connect tokens (`sc://host/;token=S3cr3t`) are
/// never shown or stored: errors, echoed commands and the history file get `alice:***@` and `;token=***` instead.
public enum Secrets {
    /// `scheme://user:password@` anywhere in the text (the scheme may be missing: `://user:password@` is still a password),
    /// the password running to the last `@` before the host. The pattern is a constant (checked by SecretsTests); user text
    /// is only ever matched against it.
    static let userAndPassword = try! NSRegularExpression(
        pattern: "((?:[A-Za-z][A-Za-z0-9+.-]*)?://[^\\s:/@]+):\\S*@(?=[^\\s@/]*(?:[/?\\s]|$))")

    /// A Spark Connect URL's `token` parameter, to the next `;` or space (checked by SecretsTests).
    static let token = try! NSRegularExpression(pattern: "(;token=)[^;\\s]*")

    /// The text with every URL's password and token replaced by `***`.
    public static func masked(_ text: String) -> String {
        let withoutPasswords = userAndPassword.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1:***@")
        return token.stringByReplacingMatches(in: withoutPasswords, range: NSRange(withoutPasswords.startIndex..., in: withoutPasswords),
                                              withTemplate: "$1***")
    }

    /// The password of a URL-like text (`scheme://user:password@host…`), as written, if it has one.
    public static func password(in url: String) -> String? {
        guard let match = userAndPassword.firstMatch(in: url, range: NSRange(url.startIndex..., in: url)),
              let whole = Range(match.range, in: url), let user = Range(match.range(at: 1), in: url) else { return nil }
        let password = url[user.upperBound..<whole.upperBound].dropFirst().dropLast()
        return password.isEmpty ? nil : String(password)
    }

    /// A message about a URL with its password, and the parts of it between `@` and `:` a parser may have quoted
    /// (libpq reads `p@ss:w0rd` as a port of `w0rd…`), replaced by `***`.
    public static func redacted(_ message: String, password: String?) -> String {
        var out = masked(message)
        guard let password else { return out }
        let pieces = [password] + password.split(whereSeparator: { $0 == "@" || $0 == ":" }).map(String.init).filter { $0.count > 2 }
        for piece in pieces.sorted(by: { $0.count > $1.count }) { out = out.replacingOccurrences(of: piece, with: "***") }
        return out
    }
}
