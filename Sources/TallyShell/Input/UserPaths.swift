import Foundation

/// Where Tally keeps and finds its files: XDG base directories under `$HOME`, and the search path for
/// saved-query scripts (`.run NAME`, `.queries`).
public enum UserPaths {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `$HOME` when set (and not empty), else the account's home directory.
    static var home: String {
        if let h = environment["HOME"], !h.isEmpty { return h }
        return NSHomeDirectory()
    }

    /// `$XDG_STATE_HOME`, else `$HOME/.local/state`.
    static var stateHome: String { xdg("XDG_STATE_HOME", default: "/.local/state") }

    /// `$XDG_CONFIG_HOME`, else `$HOME/.config`.
    static var configHome: String { xdg("XDG_CONFIG_HOME", default: "/.config") }

    /// An XDG variable when it holds an absolute path (the specification ignores relative ones), else `$HOME` + `suffix`.
    static func xdg(_ name: String, default suffix: String) -> String {
        if let v = environment[name], v.hasPrefix("/") { return v }
        return home + suffix
    }

    /// Folders searched for `NAME.tq`, in order: each entry of `$TALLY_PATH` (colon-separated), `./examples`,
    /// `$XDG_CONFIG_HOME/tally/examples`, then beside the binary: `../share/tally/examples`, `examples`, and the
    /// `examples` folder of the source tree the binary was built in.
    public static var scriptFolders: [String] {
        var folders = (environment["TALLY_PATH"] ?? "").split(separator: ":").map(String.init)
        folders.append("examples")
        folders.append(configHome + "/tally/examples")
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        folders.append(binary.deletingLastPathComponent().appendingPathComponent("share/tally/examples").path)
        folders.append(binary.appendingPathComponent("examples").path)
        if let tree = sourceTree(above: binary) { folders.append(tree + "/examples") }
        var seen = Set<String>()
        return folders.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }

    /// The nearest folder above `start` (at most four levels) holding `Package.swift` and `examples/`: a `swift build` tree.
    static func sourceTree(above start: URL) -> String? {
        var dir = start
        for _ in 0..<4 {
            dir = dir.deletingLastPathComponent()
            let fm = FileManager.default
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
               fm.fileExists(atPath: dir.appendingPathComponent("examples").path) { return dir.path }
        }
        return nil
    }

    /// Every `*.tq` in the script folders, the first of each name winning, sorted by name.
    public static func scripts(in folders: [String] = scriptFolders) -> [(name: String, path: String)] {
        var found: [String: String] = [:]
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files where file.hasSuffix(".tq") {
                let name = String(file.dropLast(3))
                if found[name] == nil { found[name] = folder + "/" + file }
            }
        }
        return found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
