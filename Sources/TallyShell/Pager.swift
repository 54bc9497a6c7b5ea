import Foundation

/// Shows a result taller than the terminal through `$PAGER` (default `less -SR`: long lines scroll sideways,
/// colours kept), as psql does. Only in the interactive shell; `.pager off` turns it off.
enum Pager {
    /// The pager command: `$PAGER` when set and not empty.
    static var command: String {
        if let p = ProcessInfo.processInfo.environment["PAGER"], !p.trimmingCharacters(in: .whitespaces).isEmpty { return p }
        return "less -SR"
    }

    /// Whether `text` needs a pager on a terminal of `height` lines (the prompt needs one more).
    static func needed(_ text: String, height: Int?) -> Bool {
        guard let height else { return false }
        var lines = 0
        for byte in text.utf8 where byte == 10 {
            lines += 1
            if lines >= height - 1 { return true }
        }
        return false
    }

    /// Sends `text` to the pager and waits for it; false when the pager cannot start or fails (then print instead).
    static func show(_ text: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        process.standardInput = input
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        do { try process.run() } catch { return false }
        // A pager quit early closes the pipe: the rest of the text is not wanted.
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus != 126 && process.terminationStatus != 127
    }
}
