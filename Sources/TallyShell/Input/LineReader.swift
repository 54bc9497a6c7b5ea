import CLineEdit
import Foundation

/// Where the REPL gets its lines: libedit on a terminal, plain reads otherwise.
protocol LineReader {
    /// The next line without its newline; nil at end of input. Throws ``Interrupted`` on Ctrl-C.
    mutating func readLine(prompt: String) throws -> String?
    /// Makes a statement recallable with Up.
    mutating func remember(_ entry: String)
}

/// Ctrl-C while editing a line.
struct Interrupted: Error {}

/// Reads standard input line by line, without prompts (pipes and files).
struct PlainLineReader: LineReader {
    mutating func readLine(prompt: String) throws -> String? { Swift.readLine(strippingNewline: true) }
    mutating func remember(_ entry: String) {}
}

/// libedit-backed editing: emacs keys, ~/.editrc, history and Tab completion.
struct EditLineReader: LineReader {
    /// The Swift completer the C shim calls on Tab (one per process, like the terminal).
    nonisolated(unsafe) static var completer: ((String) -> Completion)?

    init?(completer: @escaping (String) -> Completion) {
        EditLineReader.completer = completer
        guard tly_open("tally", { before in
            guard let before, let complete = EditLineReader.completer else { return nil }
            let c = complete(String(cString: before))
            return strdup(c.insert + (c.candidates.count > 1 ? "\n" + Completion.columns(c.candidates) : ""))
        }) == 0 else { return nil }
    }

    mutating func readLine(prompt: String) throws -> String? {
        tly_clear_interrupt()
        guard let line = tly_gets(prompt) else {
            if tly_interrupted() != 0 {
                tly_clear_interrupt()
                throw Interrupted()
            }
            return nil
        }
        var s = String(cString: line)
        if s.hasSuffix("\n") { s.removeLast() }
        return s
    }

    mutating func remember(_ entry: String) { tly_history_add(entry) }

    func close() { tly_close() }
}
