import TallyCore
import TallyEngine

extension Shell {
    /// Runs a script for `tally serve` with parameter values, collecting each statement's result as a report's entries
    /// instead of printing them. The tables and parameters are as before afterwards, so one request never sees another's
    /// `let` names, values or settings (`.mode`, `.maxrows`). Nil when the script failed; its error went to the shell's
    /// error output.
    public func collectReport(_ text: String, name: String, overrides: [String: Value]) -> HTMLReport? {
        let (catalog, outer, mode, options) = (session.catalog, reportEntries, self.mode, self.options)
        reportEntries = []
        defer {
            (session.catalog, reportEntries, self.mode, self.options) = (catalog, outer, mode, options)
        }
        guard session.withParameterScope(overrides, { run(text, name: name) }) else { return nil }
        var page = HTMLReport(script: text, source: name)
        page.entries = reportEntries ?? []
        return page
    }
}

extension Shell {
    /// What Tab would offer at the end of `text` in the shell (tables, verbs, functions, `$` parameters and the columns at
    /// that stage of the pipeline), without file paths or dot-commands: the served ad-hoc box's completion.
    public func completions(for text: String) -> Completion {
        let lines = text.components(separatedBy: "\n")
        return Completer(session: session, dotCommands: [], queryNames: { [] }, fileFolder: .only(nil))
            .complete(pending: lines.dropLast().joined(separator: "\n"), line: lines.last ?? "")
    }
}
