import Foundation
import TallyShell
import TallyWeb

/// One script `tally serve` offers: its name (as `.run` knows it), the folder group it is listed under, its text, and
/// the title, description and parameters its page shows.
public struct ServedScript: Sendable {
    public let name: String
    public let group: String
    public let path: String
    public let text: String
    public let title: String
    public let about: String
    public let parameters: ScriptParameters
}

/// The scripts of the served folders, found once at start: `*.tq` files, each subfolder a group of its own (as `examples/`
/// is laid out), the first file of a name winning as on the script path.
public struct ScriptLibrary: Sendable {
    public let scripts: [ServedScript]
    /// Every folder holding a served script: where `.run NAME` inside one looks.
    public let folders: [String]

    /// How deep subfolders are looked into.
    static let maxDepth = 3

    /// The scripts under `roots`; `taken` gives the parameters a script takes through the scripts it runs.
    public init(roots: [String], taken: (String) -> Set<String>) {
        var scripts: [ServedScript] = []
        var names = Set<String>()
        for root in roots {
            for (folder, group) in ScriptLibrary.folders(under: root, depth: 0) {
                for file in ScriptLibrary.scriptFiles(in: folder) {
                    let name = String(file.dropLast(3)), path = folder + "/" + file
                    guard ServeRoute.isScriptName(Substring(name)), !names.contains(name),
                          let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                    names.insert(name)
                    let (title, about) = HTMLReport.firstSentence(HTMLReport.leadingComments(text))
                    scripts.append(ServedScript(name: name, group: group, path: path, text: text, title: title.isEmpty ? name : title, about: about,
                                                parameters: ScriptParameters(script: text, alsoTaken: taken(text))))
                }
            }
        }
        self.scripts = scripts.sorted { ($0.group, $0.name) < ($1.group, $1.name) }
        folders = ScriptLibrary.scriptFolders(under: roots)
    }

    /// The folders under `roots` that hold scripts: where `.run NAME` inside a served script looks.
    public static func scriptFolders(under roots: [String]) -> [String] {
        roots.flatMap { folders(under: $0, depth: 0).map(\.0) }.filter { !scriptFiles(in: $0).isEmpty }
    }

    static func scriptFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".tq") }.sorted()
    }

    public subscript(name: String) -> ServedScript? { scripts.first { $0.name == name } }

    /// `root` and its subfolders (not hidden ones, not through links), each with the group name it is listed under.
    static func folders(under root: String, depth: Int) -> [(String, String)] {
        let group = depth == 0 ? (root as NSString).lastPathComponent : ""
        var out = [(root, group)]
        guard depth < maxDepth else { return out }
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        for entry in entries where !entry.hasPrefix(".") {
            let path = root + "/" + entry
            guard let kind = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType, kind == .typeDirectory else {
                continue
            }
            out += folders(under: path, depth: depth + 1).map { ($0.0, $0.1.isEmpty ? entry : entry + "/" + $0.1) }
        }
        return out
    }
}
