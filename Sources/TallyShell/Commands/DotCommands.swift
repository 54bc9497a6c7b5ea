import Foundation
import TallyCore
import TallyEngine
import TallyLang

/// One dot-command: its name, arguments, help line and handler. The table feeds `.help` and completion.
struct DotCommand {
    let name: String
    let arguments: String
    let help: String
    let run: (Shell, [String], DotContext) -> Bool
}

/// Where a dot-command was written, for error messages.
struct DotContext {
    let name: String
    let line: Int
    let text: String
}

extension Shell {
    static let commands: [DotCommand] = [
        DotCommand(name: ".help", arguments: "[topic]", help: "this list; `.help verbs`, `.help functions`, `.help NAME`", run: { s, a, _ in s.help(a.first) }),
        DotCommand(name: ".tables", arguments: "", help: "tables and let names with their sizes", run: { s, _, _ in s.listTables() }),
        DotCommand(name: ".schema", arguments: "[table | PIPELINE]",
                   help: "columns and types of one table, all, or what a pipeline gives", run: { s, a, c in s.schema(a.first, c) }),
        DotCommand(name: ".load", arguments: "FILE [sheet NAME] [as TABLE]",
                   help: "load a CSV, TSV, Parquet file (or folder of parts) or Excel workbook (a table per sheet), named after it",
                   run: { s, a, c in s.load(a, c) }),
        DotCommand(name: ".export", arguments: "FILE [none|snappy|zstd]",
                   help: "write the last result (csv, tsv, json, jsonl, md, parquet, xlsx) or chart (svg)", run: { s, a, c in s.export(a, c) }),
        DotCommand(name: ".mode", arguments: "table|csv|tsv|json|jsonl|markdown|line", help: "how results are printed", run: { s, a, c in s.setMode(a, c) }),
        DotCommand(name: ".set", arguments: "[memory_limit [SIZE]]", help: "show or change a setting: memory_limit (e.g. 4GB) caps one result's size",
                   run: { s, a, c in s.setSetting(a, c) }),
        DotCommand(name: ".timer", arguments: "on|off", help: "print the time each statement takes", run: { s, a, c in s.setTimer(a, c) }),
        DotCommand(name: ".maxrows", arguments: "[N|all]", help: "how many rows a table shows (first and last halves); bare: the current value",
                   run: { s, a, c in s.setMaxRows(a, c) }),
        DotCommand(name: ".pager", arguments: "[on|off]", help: "results taller than the terminal through $PAGER (default less -SR); interactive only",
                   run: { s, a, c in s.setPager(a, c) }),
        DotCommand(name: ".maxwidth", arguments: "[N|all]", help: "the widest text cell before it is cut; bare: the current value",
                   run: { s, a, c in s.setMaxWidth(a, c) }),
        DotCommand(name: ".report", arguments: "SCRIPT -o FILE.html", help: "run a script (or example) and write its tables and charts as one HTML page",
                   run: { s, a, c in s.reportCommand(a, c) }),
        DotCommand(name: ".read", arguments: "FILE", help: "run the statements in a file", run: { s, a, c in s.readFile(a, c) }),
        DotCommand(name: ".save", arguments: "NAME", help: "save the last statement as a named query", run: { s, a, c in s.save(a, c) }),
        DotCommand(name: ".run", arguments: "NAME [k=v ...]", help: "run a saved query or NAME.tq from the script path (TALLY_PATH, ./examples, …)",
                   run: { s, a, c in s.runQuery(a, c) }),
        DotCommand(name: ".queries", arguments: "", help: "saved queries and examples", run: { s, _, _ in s.listQueries() }),
        DotCommand(name: ".params", arguments: "", help: "parameters in force", run: { s, _, _ in s.listParams() }),
        DotCommand(name: ".explain", arguments: "[analyze] [QUERY]",
                   help: "the plan of QUERY or the last statement, and the database's own plan when it runs there; `analyze` runs it, with rows "
                       + "and time per node",
                   run: { s, _, c in s.explain(c) }),
        DotCommand(name: ".sql", arguments: "[postgres|duckdb|spark] [QUERY]",
                   help: "the SQL of QUERY or the last statement, in the connection's dialect (PostgreSQL's by default)",
                   run: { s, _, c in s.showSQL(c) }),
        DotCommand(name: ".connect", arguments: "URL",
                   help: "run on a database: its tables become the sources (postgresql://user@host/db, or Spark Connect's sc://host:15002)",
                   run: { s, a, c in s.connectCommand(a, c) }),
        DotCommand(name: ".disconnect", arguments: "", help: "back to the tables Tally holds", run: { s, _, c in s.disconnectCommand(c) }),
        DotCommand(name: ".quit", arguments: "", help: "leave (also Ctrl-D)", run: { s, _, _ in s.quitRequested = true; return true }),
        DotCommand(name: ".exit", arguments: "", help: "leave (also Ctrl-D)", run: { s, _, _ in s.quitRequested = true; return true }),
    ]

    /// Runs one dot-command line.
    func runDotCommand(_ text: String, name: String, line: Int) -> Bool {
        let words = DotArguments.split(text)
        let context = DotContext(name: name, line: line, text: text)
        guard let command = Shell.commands.first(where: { $0.name == words[0] }) else {
            let hints = suggestions(for: words[0], among: Shell.commands.map(\.name))
            return fail("unknown command `\(words[0])`", name: name, line: line, text: text,
                        hint: hints.first.map { "did you mean \($0)?" } ?? "type .help for the list")
        }
        if serving, !Shell.servedCommands.contains(command.name) {
            return fail("`\(command.name)` is off in served scripts: a served page reads only its data and writes nothing", name: name, line: line,
                        text: text, hint: "served scripts may use " + Shell.servedCommands.sorted().joined(separator: ", "))
        }
        return command.run(self, Array(words.dropFirst()), context)
    }

    /// The dot-commands a served script may use: none reads a file of its choosing, writes, or reaches a database.
    public static let servedCommands: Set<String> = [".run", ".mode", ".maxrows", ".maxwidth", ".params", ".tables", ".schema", ".help"]

    func usage(_ c: DotContext, _ command: String) -> Bool {
        let spec = Shell.commands.first { $0.name == command }!
        return fail("usage: \(command) \(spec.arguments)", name: c.name, line: c.line, text: c.text)
    }
}

/// Splits a dot-command line into words, honouring double quotes.
enum DotArguments {
    static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var any = false
        for ch in text {
            if ch == "\"" { quoted.toggle(); any = true; continue }
            if ch == " " && !quoted {
                if any || !current.isEmpty { words.append(current) }
                current = ""
                any = false
                continue
            }
            current.append(ch)
        }
        if any || !current.isEmpty { words.append(current) }
        return words.isEmpty ? [""] : words
    }
}
