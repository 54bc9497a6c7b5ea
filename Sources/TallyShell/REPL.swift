import CLineEdit
import Foundation
import TallyCore
import TallyEngine
import TallyLang

/// The interactive loop: read lines into a statement, run it, remember it.
public struct REPL {
    let shell: Shell
    let history = HistoryStore(path: HistoryStore.defaultPath)

    public init(shell: Shell) { self.shell = shell }

    /// The greeting: what Tally is, its tables and a first query, with lines broken between words to fit the terminal.
    static func banner(tables: [String], width: Int) -> String {
        let words = "Tally — sales analytics shell. Tables: \(tables.joined(separator: ", ")). Type .help, or e.g.".split(separator: " ")
        var lines: [String] = [], line = ""
        for word in words {
            if !line.isEmpty, DisplayWidth.of(line) + 1 + DisplayWidth.of(String(word)) > max(20, width - 1) {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return (lines + [line]).joined(separator: "\n") + "\n  sales | agg revenue = sum(amount) by region | sort -revenue\n"
    }

    /// The prompt for the first line and for continuation lines.
    static let prompt = "tally> "
    static let continuation = "   ...> "

    /// Whether the text typed so far needs more lines.
    static func needsMore(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespaces).hasPrefix(".") ? false : Lexer.lineContinues(text)
    }

    /// Runs until end of input or `.quit`; returns false after an error in piped input.
    /// Uses libedit when standard input is a terminal; piped input is read whole and run as a script.
    public func run() -> Bool {
        let interactive = isatty(0) != 0
        guard interactive else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return shell.run(String(decoding: data, as: UTF8.self), name: "<stdin>")
        }
        var pending: [String] = []
        var reader: LineReader
        var editLine: EditLineReader? = nil
        if let el = EditLineReader(completer: { [shell] before in
            Completer(session: shell.session, dotCommands: Shell.commands.map(\.name),
                      queryNames: { shell.runnableNames() }, fileFolder: shell.safe ? .only(shell.dataDirectory) : .any)
                .complete(pending: REPL.pendingText, line: before)
        }) {
            editLine = el
            reader = el
            shell.interactive = true
            tly_install_sigint()
            shell.session.isCancelled = { tly_interrupted() != 0 }
            if !shell.safe {
                for entry in history.load() { reader.remember(REPL.recallForm(entry)) }
                history.compact(history.load())
            }
            shell.write(REPL.banner(tables: shell.session.catalog.names, width: Terminal.width ?? 80))
        } else {
            reader = PlainLineReader()
        }
        defer { editLine?.close() }
        while !shell.quitRequested {
            REPL.pendingText = pending.joined(separator: "\n")
            let line: String?
            do {
                line = try reader.readLine(prompt: pending.isEmpty ? REPL.prompt : REPL.continuation)
            } catch {
                shell.write("^C\n")
                pending = []
                continue
            }
            guard let line else { break }
            if pending.isEmpty, line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if pending.isEmpty, let previous = shell.lastStatement, REPL.refines(line) { pending.append(previous) }
            pending.append(line)
            let text = pending.joined(separator: "\n")
            if REPL.needsMore(text) || (editLine != nil && tly_input_pending() != 0) { continue }
            pending = []
            reader.remember(REPL.recallForm(text))
            // Under --safe nothing is written, history included (a statement may hold a secret in a comment); a URL's
            // password is never written.
            if !shell.safe { history.append(Secrets.masked(text)) }
            tly_clear_interrupt()
            shell.options.width = Terminal.width
            shell.run(text, name: "<repl>")
        }
        if !shell.quitRequested { shell.write("\n") }
        return true
    }

    /// Whether a first line continues the previous statement: it starts with `|` (refine and run again).
    static func refines(_ line: String) -> Bool {
        line.trimmingCharacters(in: .whitespaces).hasPrefix("|")
    }

    /// The statement typed so far (for completion across lines).
    nonisolated(unsafe) static var pendingText = ""

    /// A multi-line statement as one editable line: comments dropped, lines joined by spaces.
    static func recallForm(_ text: String) -> String {
        text.components(separatedBy: "\n").map(stripComment).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A line without its `--` or `#` comment (outside quotes).
    static func stripComment(_ line: String) -> String {
        var quote: Character? = nil
        var previous: Character? = nil
        var out = ""
        for ch in line {
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "\"" || ch == "'" || ch == "`" {
                quote = ch
            } else if ch == "#" || (ch == "-" && previous == "-") {
                if ch == "-" { out.removeLast() }
                return out
            }
            out.append(ch)
            previous = ch
        }
        return out
    }
}
