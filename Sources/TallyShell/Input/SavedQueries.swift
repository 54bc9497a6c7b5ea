import Foundation

/// Named queries (`.save`, `.run`), kept in one plain-text file written atomically:
/// each query is a `-- query: NAME` line followed by its text.
struct SavedQueries {
    let path: String

    /// `$TALLY_QUERIES`, else `$XDG_CONFIG_HOME/tally/queries.tq`, else `$HOME/.config/tally/queries.tq`.
    static var defaultPath: String {
        UserPaths.environment["TALLY_QUERIES"] ?? UserPaths.configHome + "/tally/queries.tq"
    }

    /// The line that starts each query in the file; a query's own lines never start with it (``save(_:_:)`` refuses them).
    static let marker = "-- query: "

    func load() -> [(name: String, text: String)] {
        guard !PrivateFile.isLink(path), let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var out: [(String, String)] = []
        var name: String? = nil
        var body: [String] = []
        func flush() {
            if let name { out.append((name, body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))) }
        }
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix(SavedQueries.marker) {
                flush()
                name = String(line.dropFirst(SavedQueries.marker.count)).trimmingCharacters(in: .whitespaces)
                body = []
            } else {
                body.append(line)
            }
        }
        flush()
        return out
    }

    func query(_ name: String) -> String? { load().last { $0.name == name }?.text }

    /// Saves (or replaces) a query; the file is replaced atomically (0600). A query with a line starting `-- query: ` would
    /// read back as two queries, so it is refused.
    func save(_ name: String, _ text: String) throws {
        if text.components(separatedBy: "\n").contains(where: { $0.hasPrefix(SavedQueries.marker) }) {
            throw PrivateFile.Refused(path: path, reason: "a saved query cannot have a line starting with `\(SavedQueries.marker)`")
        }
        var all = load().filter { $0.name != name }
        all.append((name, text))
        try PrivateFile.write(all.map { "\(SavedQueries.marker)\($0.name)\n\($0.text)\n" }.joined(separator: "\n"), to: path)
    }
}
