import TallyCore
import TallyLang

extension Shell {
    /// The parameters a script declares (`param NAME = …`) or reads (`$NAME`), from its tokens, with those of the
    /// scripts it runs (`.run NAME`, `.read FILE`).
    func parameterNames(in text: String, depth: Int = 0) -> Set<String> {
        var names = Set<String>()
        for line in text.components(separatedBy: "\n") {
            let words = line.split(separator: " ").map(String.init)
            guard depth < Shell.maxScriptNesting, words.count >= 2, words[0] == ".run" || words[0] == ".read" else { continue }
            let path = words[0] == ".read" ? words[1] : scriptFile(words[1])
            if let inner = (serving ? nil : savedQueries.query(words[1])) ?? path.flatMap({ try? String(contentsOfFile: $0, encoding: .utf8) }) {
                names.formUnion(parameterNames(in: inner, depth: depth + 1))
            }
        }
        return names.union(Shell.declaredParameters(in: text))
    }

    /// The parameters a script takes: those it declares or reads and those of the scripts it runs.
    public func parametersTaken(by text: String) -> Set<String> { parameterNames(in: text) }

    /// A parameter's value as a report shows it: a percentage parameter's fraction as `5%`, anything else as written.
    static func parameterText(_ value: Value, percent: Bool) -> String {
        guard percent, let v = value.asDouble else { return value.text }
        return AxisLabelStyle.trimmed(v * 100, decimals: 4) + "%"
    }

    /// The parameters one text declares or reads, from its tokens.
    static func declaredParameters(in text: String) -> Set<String> {
        let uses = ParameterUses(in: text)
        return uses.declared.union(uses.read)
    }

    /// Fails when `overrides` name a parameter the script neither declares nor reads (a typo such as `--param top_rat=9%`),
    /// naming the parameters it does take.
    func checkParameters(_ overrides: [String], for text: String, name: String, origin: String) -> Bool {
        let known = parameterNames(in: text)
        guard let unknown = overrides.sorted().first(where: { !known.contains($0) }) else { return true }
        let takes = known.isEmpty ? "it takes no parameters" : "it takes: " + known.sorted().joined(separator: ", ")
        let guess = suggestions(for: unknown, among: Array(known)).first.map { "did you mean \($0)? " } ?? ""
        writeError("\(name): error: unknown parameter `\(unknown)` (\(origin)); \(takes)\n  hint: \(guess)see `param` lines and `$NAME` uses in \(name)\n")
        return false
    }

    /// Runs a script given on the command line (`-c`, `-f`) after checking that every `--param` is one it takes.
    public func runScript(_ text: String, name: String) -> Bool {
        guard checkParameters(Array(session.paramOverrides.keys), for: text, name: name, origin: "--param") else { return false }
        return run(text, name: name)
    }
}
