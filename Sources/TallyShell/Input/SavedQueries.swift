import Foundation

/// Named queries (`.save`, `.run`), kept in one plain-text file written atomically:
/// each query is a `-- query: NAME` line followed by its text.
struct SavedQueries {
    let path: String

    /// `$TALLY_QUERIES`, else `$XDG_CONFIG_HOME/tally/queries.tq`, else `$HOME/.config/tally/queries.tq`.
    static var defaultPath: String {
        UserPaths.environment["TALLY_QUERIES"] ?? UserPaths.configHome + "/tally/queries.tq"
    }

    func load() -> [(name: String, text: String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var out: [(String, String)] = []
        var name: String? = nil
        var body: [String] = []
        func flush() {
            if let name { out.append((name, body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))) }
        }
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("-- query: ") {
                flush()
                name = String(line.dropFirst("-- query: ".count)).trimmingCharacters(in: .whitespaces)
                body = []
            } else {
                body.append(line)
            }
        }
        flush()
        return out
    }

    func query(_ name: String) -> String? { load().last { $0.name == name }?.text }

    /// Saves (or replaces) a query; the file is replaced atomically.
    func save(_ name: String, _ text: String) throws {
        var all = load().filter { $0.name != name }
        all.append((name, text))
        let content = all.map { "-- query: \($0.name)\n\($0.text)\n" }.joined(separator: "\n")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
