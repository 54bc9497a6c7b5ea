import Foundation
import TallyCore

/// A PostgreSQL URL as Tally reads it: the connection string libpq gets, the schema whose tables are offered, and the
/// URL as Tally shows it — never with its password.
package struct PostgresURL {
    /// What libpq connects with (the URL without Tally's own `schema` parameter).
    package let conninfo: String
    /// `?schema=` of the URL, or the one asked for, or `public`.
    package let schema: String
    /// The URL without its password and parameters, for messages.
    package let shown: String

    package init(_ url: String, schema asked: String? = nil) {
        // A text without a scheme is no URL (URLComponents would read it as a path and percent-encode its `:`, which
        // hides a password from the masking): it is shown as written, masked.
        guard var parts = URLComponents(string: url), parts.scheme != nil else {
            (conninfo, schema, shown) = (url, asked ?? "public", Secrets.masked(url))
            return
        }
        var chosen = asked ?? "public"
        var conninfo = url
        if let item = parts.queryItems?.first(where: { $0.name == "schema" }) {
            chosen = asked ?? item.value ?? "public"
            parts.queryItems = parts.queryItems?.filter { $0.name != "schema" }
            if parts.queryItems?.isEmpty ?? false { parts.queryItems = nil }
            conninfo = parts.string ?? url
        }
        parts.password = nil
        parts.queryItems = nil
        // A text that is all parameters shows as itself (masked), never as nothing.
        let bare = parts.string.flatMap { $0.isEmpty ? nil : $0 } ?? url
        (self.conninfo, schema, shown) = (conninfo, chosen, Secrets.masked(bare))
    }
}
