import Foundation

/// Statement history in a plain-text file, one statement per line (`\n` and `\\` escaped),
/// appended as each statement is entered so a crash loses nothing already saved.
struct HistoryStore {
    let path: String

    /// `$TALLY_HISTORY`, else `$XDG_STATE_HOME/tally/history`, else `$HOME/.local/state/tally/history`.
    static var defaultPath: String {
        UserPaths.environment["TALLY_HISTORY"] ?? UserPaths.stateHome + "/tally/history"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            if c == "\\", let n = it.next() { out.append(n == "n" ? "\n" : n) } else { out.append(c) }
        }
        return out
    }

    /// Entries oldest first, each kept only at its latest position (none from a symbolic link, which is not followed).
    func load() -> [String] {
        guard !PrivateFile.isLink(path), let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let all = text.split(separator: "\n", omittingEmptySubsequences: true).map { HistoryStore.unescape(String($0)) }
        var seen = Set<String>()
        var out: [String] = []
        for e in all.reversed() where seen.insert(e).inserted { out.append(e) }
        return out.reversed()
    }

    /// Rewrites the file without duplicates (atomically), keeping the last 5,000 entries.
    func compact(_ entries: [String]) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try? PrivateFile.write(entries.suffix(5000).map { HistoryStore.escape($0) + "\n" }.joined(), to: path)
    }

    /// Appends one entry and closes the file at once (0600, in a 0700 folder; a symbolic link is not followed).
    func append(_ entry: String) {
        PrivateFile.append(HistoryStore.escape(entry) + "\n", to: path)
    }
}
