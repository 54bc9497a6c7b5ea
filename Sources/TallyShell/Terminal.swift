import Foundation

/// Facts about the terminal the shell runs in.
public enum Terminal {
    /// The width of standard output in columns, if it is a terminal.
    public static var width: Int? {
        guard isatty(1) != 0 else { return nil }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 80
    }

    /// The height of standard output in lines, if it is a terminal.
    public static var height: Int? {
        guard isatty(1) != 0 else { return nil }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        return ProcessInfo.processInfo.environment["LINES"].flatMap(Int.init) ?? 24
    }

    public static var outputIsTerminal: Bool { isatty(1) != 0 }

    /// Whether standard output takes colour: a terminal, `NO_COLOR` unset or empty, and `TERM` not `dumb`.
    public static var supportsColour: Bool {
        let env = ProcessInfo.processInfo.environment
        return outputIsTerminal && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb"
    }
}
