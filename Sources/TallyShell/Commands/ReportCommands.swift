import Foundation
import TallyLang

extension Shell {
    /// `.report SCRIPT -o FILE.html`: runs a script (a file, or an example or saved query by name) and writes its results
    /// as one HTML page.
    func reportCommand(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 3, args[1] == "-o" else { return usage(c, ".report") }
        if safe { return fail("--safe: .report writes files and is off", name: c.name, line: c.line, text: c.text) }
        guard let (text, name) = reportScript(args[0]) else {
            return fail("no script, example or saved query named `\(args[0])`", name: c.name, line: c.line, text: c.text, hint: "see .queries")
        }
        guard scriptNesting < Shell.maxScriptNesting else { return fail("`.report` nested too deep", name: c.name, line: c.line, text: c.text) }
        scriptNesting += 1
        defer { scriptNesting -= 1 }
        return runReport(text, name: name, to: args[2])
    }

    /// The text and name of a script given as a path, an example's name or a saved query's name.
    func reportScript(_ name: String) -> (String, String)? {
        if let saved = savedQueries.query(name) { return (saved, name) }
        let path = FileManager.default.fileExists(atPath: name) ? name : scriptFile(name)
        return path.flatMap { p in (try? String(contentsOfFile: p, encoding: .utf8)).map { ($0, p) } }
    }

    /// `tally report SCRIPT -o FILE`: checks the parameters, runs, writes the page; false (reported) on any failure.
    public func writeReport(_ script: String, to path: String) -> Bool {
        guard let (text, name) = reportScript(script) else {
            writeError("error: no script, example or saved query named `\(script)`\n")
            return false
        }
        guard checkParameters(Array(session.paramOverrides.keys), for: text, name: name, origin: "--param") else { return false }
        return runReport(text, name: name, to: path)
    }

    /// Runs `text` collecting its results, then writes them as a page to `path`.
    func runReport(_ text: String, name: String, to path: String) -> Bool {
        let outer = reportEntries
        reportEntries = []
        defer { reportEntries = outer }
        guard run(text, name: name) else { return false }
        var page = HTMLReport(script: text, source: name)
        page.entries = reportEntries ?? []
        do {
            try page.render().write(toFile: path, atomically: true, encoding: .utf8)
            write("wrote \(path)\n")
            return true
        } catch {
            writeError("error: cannot write \(path): \(error.localizedDescription)\n")
            return false
        }
    }
}
