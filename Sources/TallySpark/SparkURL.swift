import Foundation
import TallyCore

/// A Spark Connect URL as its clients read it: `sc://host[:port][/;param=value;...]`, port 15002 by default, with the
/// parameters `token` (sent as a bearer token, which turns TLS on), `user_id`, `use_ssl` and `session_id`.
struct SparkURL {
    let host: String
    let port: Int
    let token: String?
    let userID: String
    let useTLS: Bool
    let sessionID: String?
    /// The URL without its token, for messages.
    let shown: String

    static let defaultPort = 15002

    init(_ url: String) throws {
        guard url.hasPrefix("sc://") else { throw SparkError("a Spark Connect URL starts with sc:// (sc://host:15002); `\(url)` does not") }
        let rest = url.dropFirst("sc://".count)
        let authority = rest.prefix { $0 != "/" && $0 != ";" }
        var parameters: [String: String] = [:]
        for item in rest.dropFirst(authority.count).split(separator: ";").dropFirst(rest.dropFirst(authority.count).hasPrefix("/") ? 1 : 0) {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw SparkError("`\(Secrets.masked(String(item)))` in a Spark Connect URL is not name=value") }
            parameters[String(pair[0])] = String(pair[1]).removingPercentEncoding ?? String(pair[1])
        }
        let known: Set = ["token", "user_id", "use_ssl", "session_id", "user_agent", "grpc_max_message_size"]
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw SparkError("`\(unknown)` is no Spark Connect URL parameter (token, user_id, use_ssl, session_id, user_agent)")
        }
        var hostPart = Substring(authority), portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw SparkError("`[` of an IPv6 address in `\(authority)` is never closed") }
            portPart = hostPart[close...].dropFirst().first == ":" ? hostPart[close...].dropFirst(2) : nil
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else { throw SparkError("a Spark Connect URL names its host: sc://host:15002") }
        host = String(hostPart)
        if let portPart {
            guard let p = Int(portPart), (1...65535).contains(p) else { throw SparkError("`\(portPart)` is not a port (1-65535)") }
            port = p
        } else {
            port = SparkURL.defaultPort
        }
        token = parameters["token"]
        userID = parameters["user_id"] ?? ProcessInfo.processInfo.environment["USER"] ?? "tally"
        // As Spark's own clients do: a token is sent only over TLS, unless `use_ssl=false` says otherwise.
        switch parameters["use_ssl"]?.lowercased() {
        case "true": useTLS = true
        case "false": useTLS = false
        case nil: useTLS = token != nil
        case let other?: throw SparkError("use_ssl is true or false, not `\(other)`")
        }
        if let id = parameters["session_id"], UUID(uuidString: id) == nil { throw SparkError("session_id `\(id)` is not a UUID") }
        sessionID = parameters["session_id"]
        shown = "sc://\(authority)"
    }
}
