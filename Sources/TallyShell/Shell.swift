import Foundation
import TallyCore
import TallyEngine
import TallyLang

/// A failure that stops a script: already reported on standard error.
public struct ScriptFailure: Error {}

/// The interactive and scripted front end: runs statements and dot-commands, prints results.
public final class Shell {
    public let session: Session
    public var mode: OutputMode = .table
    public var options = RenderOptions()
    public var timer = false
    /// No file writes, no `.load` outside ``dataDirectory``.
    public var safe = false
    /// The database URL given on the command line (`--connect` or `TALLY_CONNECT`): under `--safe` the only one `.connect`
    /// may reach, so that a script cannot send the user's password (`PGPASSWORD`, `~/.pgpass`) to a server of its choosing.
    public var commandLineConnection: String?
    public var dataDirectory: String?
    /// Running scripts for `tally serve`: read-only, so only the dot-commands in ``servedCommands`` work, `.run` finds
    /// scripts in ``scriptFolders`` only and saved queries are not consulted.
    public var serving = false
    /// Where `.run NAME` looks for `NAME.tq` (nil: the script path, ``UserPaths/scriptFolders``).
    public var scriptFolders: [String]?
    let write: (String) -> Void
    let writeError: (String) -> Void
    var lastStatement: String?
    /// The text the last query was part of (its plan's ranges point into it).
    var lastQuerySource: SourceText?
    var lastResult: QueryResult?
    var lastChart: ChartSpec?
    /// How many `.read`/`.run` scripts are running inside each other now.
    var scriptNesting = 0
    var savedQueries = SavedQueries(path: SavedQueries.defaultPath)
    /// The REPL on a terminal: progress lines and the pager are on (never in scripts).
    public var interactive = false
    /// `.pager on|off`: results taller than the terminal go through `$PAGER` in the interactive shell.
    public var pager = true
    /// Set by `.quit`.
    public internal(set) var quitRequested = false
    /// `--bench N`: each query runs once to warm up, then N timed times; the result prints once.
    public var benchRuns: Int?
    /// Per query: its text and the wall time of each timed run, in milliseconds.
    public private(set) var benchTimings: [(query: String, milliseconds: [Double])] = []

    public init(session: Session, write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
                writeError: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.session = session
        self.write = write
        // Messages quote file names, cells and commands: their control characters are shown, never sent to the terminal.
        self.writeError = { writeError(VisibleText.escaped($0)) }
    }

    /// Runs a text of statements and dot-commands (a script, `-c`, a REPL entry).
    /// Stops at the first error, which is reported; returns whether everything succeeded.
    @discardableResult
    public func run(_ text: String, name: String, firstLine: Int = 1) -> Bool {
        var buffer: [String] = []
        var bufferStart = firstLine
        let lines = text.components(separatedBy: "\n")
        func flush() -> Bool {
            defer { buffer = [] }
            let chunk = buffer.joined(separator: "\n")
            guard !chunk.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return true }
            return runStatements(chunk, name: name, firstLine: bufferStart)
        }
        for (i, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // Only a dot line needs to know whether the statement before it continues (lexing the buffer per line would
            // make scripts quadratic); the buffer is flushed at each dot-command, so this stays linear.
            if trimmed.hasPrefix("."), !trimmed.hasPrefix(".."), buffer.isEmpty || !Lexer.lineContinues(buffer.joined(separator: "\n")) {
                guard flush() else { return false }
                guard runDotCommand(trimmed, name: name, line: firstLine + i) else { return false }
                if quitRequested { return true }
                bufferStart = firstLine + i + 1
                continue
            }
            if buffer.isEmpty { bufferStart = firstLine + i }
            buffer.append(line)
        }
        return flush()
    }

    /// Parses and runs statements; every parse error is reported before anything runs.
    func runStatements(_ text: String, name: String, firstLine: Int) -> Bool {
        let source = SourceText(name: name, text: text, firstLine: firstLine)
        guard let statements = parsed(source) else { return false }
        for statement in statements {
            let started = Date()
            do {
                session.resultBatches = streamsRows ? RowStream(mode: mode, write: write).show : nil
                defer { session.resultBatches = nil }
                var result = try Progress.around("running " + source.slice(statement.range), enabled: showsProgress) {
                    try session.execute(statement)
                }
                if case .query = statement {
                    lastStatement = source.slice(statement.range)
                    lastQuerySource = source
                    if let runs = benchRuns {
                        let (last, times) = try session.benchmark(statement, runs: runs)
                        result = last
                        benchTimings.append((source.slice(statement.range), times))
                    }
                }
                if case .param(let name, let value) = statement {
                    if source.slice(value.range).trimmingCharacters(in: .whitespaces).hasSuffix("%") {
                        percentParameters.insert(name.text)
                    } else {
                        percentParameters.remove(name.text)
                    }
                }
                if let result, reportEntries != nil {
                    let text = source.slice(statement.range)
                    let parameters = Shell.declaredParameters(in: text).sorted().compactMap { name in
                        session.params[name].map { (name, Shell.parameterText($0, percent: percentParameters.contains(name))) }
                    }
                    reportEntries?.append(HTMLReport.Entry(statement: text, result: result, parameters: parameters, section: reportSection))
                } else if let result {
                    if result.wasStreamed {
                        lastResult = result
                        resultsShown += 1
                    } else {
                        show(result)
                    }
                    for w in result.warnings { writeError(w.render(in: source)) }
                }
                if timer { write(String(format: "Run Time: %.3f s\n", Date().timeIntervalSince(started))) }
            } catch {
                report(error, in: source)
                return false
            }
        }
        return true
    }

    /// The statements of a text, or nil after reporting every parse error.
    func parsed(_ source: SourceText) -> [Statement]? {
        let (statements, diagnostics) = Parser.parse(source)
        if !diagnostics.isEmpty {
            report(diagnostics, in: source)
            return nil
        }
        return statements
    }

    /// Reports a failed statement: its diagnostics against the source, or that it was cancelled.
    func report(_ error: Error, in source: SourceText) {
        switch error {
        case let d as Diagnostic: writeError(d.render(in: source))
        case let list as DiagnosticList: report(list.diagnostics, in: source)
        case is Cancelled: writeError("cancelled\n")
        default: writeError("error: \(error)\n")
        }
    }

    /// How many problems of one statement are shown; the rest are counted.
    static let diagnosticLimit = 20

    /// Reports a statement's problems, the first ``diagnosticLimit`` in full.
    func report(_ diagnostics: [Diagnostic], in source: SourceText) {
        for d in diagnostics.prefix(Shell.diagnosticLimit) { writeError(d.render(in: source)) }
        if diagnostics.count > Shell.diagnosticLimit {
            writeError("… and \(diagnostics.count - Shell.diagnosticLimit) more errors in this statement\n")
        }
    }

    /// Whether long work draws a progress line: in the interactive shell with standard error on a terminal.
    var showsProgress: Bool { interactive && isatty(2) != 0 }

    /// Prints a result's text, through the pager when it is taller than the terminal (interactive shell only).
    func display(_ text: String) {
        if interactive, pager, Terminal.outputIsTerminal, Pager.needed(text, height: Terminal.height), Pager.show(text) { return }
        write(text)
    }

    /// While a report is made: each result, in order, instead of printing it.
    var reportEntries: [HTMLReport.Entry]?
    /// Parameters whose `param` default is written as a percentage (`param points = 5%`): reports show their values so.
    var percentParameters: Set<String> = []
    /// The title of the script `.run` by name while it runs, for the report's heading over its results.
    var reportSection: String?

    /// Whether a database's rows are printed batch by batch as they arrive: csv, tsv and jsonl output that no pager,
    /// report or `--bench` loop holds back.
    var streamsRows: Bool {
        [.csv, .tsv, .jsonl].contains(mode) && reportEntries == nil && benchRuns == nil && !(interactive && pager && Terminal.outputIsTerminal)
    }

    /// How many results this shell has printed (markdown tables after the first are set apart by a blank line).
    var resultsShown = 0

    /// Prints a result in the current mode. A chart replaces the table in table mode; in csv, json and the other data
    /// modes a chart statement prints its data, for scripts.
    func show(_ result: QueryResult) {
        lastResult = result
        defer { resultsShown += 1 }
        if mode == .markdown, resultsShown > 0 { write("\n") }
        if let chart = result.chart { lastChart = chart }
        if let chart = result.chart, mode == .table {
            display(ChartRenderer(width: options.width ?? 80, unicode: options.fancy, colour: options.colour).render(chart))
        } else if streamsRows {
            // Row by row modes print 65,536 rows at a time: the text of 80 million rows is never held whole.
            let stream = RowStream(mode: mode, write: write)
            for start in stride(from: 0, to: max(result.table.rowCount, 1), by: 1 << 16) {
                stream.show(result.table.slice(start..<min(start + 1 << 16, result.table.rowCount)))
            }
        } else {
            display(Renderer.render(result.table, mode: mode, options: options))
        }
        if let a = result.assumptions {
            write("assumptions: bootstrap of \(a.periods) historical periods (\(a.first.text) … \(a.last.text)); per-period mean \(formatNumber(a.mean)), "
                  + "sd \(formatNumber(a.standardDeviation)); \(a.runs) runs, seed \(a.seed)\n")
        }
    }

    /// How deep `.read` and `.run` may nest (a file that reads itself stops here).
    static let maxScriptNesting = 16

    /// Runs a script or saved query from `.read`/`.run`, refusing to nest past ``maxScriptNesting``.
    func runNested(_ text: String, name: String, _ c: DotContext) -> Bool {
        guard scriptNesting < Shell.maxScriptNesting else {
            return fail("`.read`/`.run` nested more than \(Shell.maxScriptNesting) deep", name: c.name, line: c.line, text: c.text,
                        hint: "does \(name) read or run itself?")
        }
        scriptNesting += 1
        defer { scriptNesting -= 1 }
        return run(text, name: name)
    }

    /// Reports a shell-level problem (dot-commands, files) in the same voice as query errors.
    func fail(_ message: String, name: String, line: Int, text: String, hint: String? = nil) -> Bool {
        let (message, text) = (Secrets.masked(message), Secrets.masked(text))
        var out = "\(VisibleText.escaped(name)):\(line):1: error: \(VisibleText.escaped(message))\n  \(VisibleText.escaped(text))\n  ^\n"
        if let hint { out += "  hint: \(VisibleText.escaped(hint))\n" }
        writeError(out)
        return false
    }
}
