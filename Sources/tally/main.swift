import ArgumentParser
import CAllocator
import Foundation
import TallyCore
import TallyFormats
import TallyEngine
import TallyPostgres
import TallySpark
import TallyServe
import TallyShell

/// The `tally` command line.
struct Tally: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "An interactive shell for sales analytics.",
        usage: """
            tally [--data <dir> | --db <file> | --connect <url>] [-c <query> | -f <file>] [--param <name=value> ...] [--format <format>] [--safe]
              tally gen|pack|convert|report|serve|sql|upload ...
            """,
        discussion: "Without a subcommand: open the shell on the demo data (or --data/--db), run a query (-c) or a script (-f).",
        version: TallyVersion.current,
        subcommands: [Shell.self, Gen.self, Pack.self, Convert.self, Report.self, Serve.self, SQL.self, Upload.self]
    )

    @OptionGroup var options: ShellOptions

    func validate() throws { try options.validate() }

    func run() throws { try options.run() }

    /// `tally shell …`: the same as `tally …` without a subcommand.
    struct Shell: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "shell", abstract: "Open the shell, run a query (-c) or a script (-f).")

        @OptionGroup var options: ShellOptions

        func validate() throws { try options.validate() }

        func run() throws { try options.run() }
    }

    /// `tally gen --scale N --out DIR`: writes the demo tables as CSV.
    struct Gen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the demo data as CSV files.")

        @Option(name: .long, help: "Number of sales rows: 20000, 100k, 1m, 10m.")
        var scale: String = "20000"

        @Option(name: .long, help: "Output folder (created if missing).")
        var out: String

        func validate() throws {
            try refusingSafe("gen", "writes files")
            guard DemoData.parseScale(scale) != nil else { throw ValidationError("--scale takes a positive number such as 20000, 100k or 1m, got '\(scale)'") }
        }

        func run() throws {
            let n = DemoData.parseScale(scale)!
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for (name, table) in DemoData.generate(scale: n) {
                    // A block of rows at a time: at 50m rows the whole text of `sales` alone would be gigabytes.
                    let path = "\(out)/\(name).csv", partial = "\(out)/.\(name).csv.partial"
                    guard FileManager.default.createFile(atPath: partial, contents: nil), let file = FileHandle(forWritingAtPath: partial) else {
                        throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partial])
                    }
                    try CSVWriter.write(table, to: file)
                    try file.close()
                    _ = try? FileManager.default.removeItem(atPath: path)
                    try FileManager.default.moveItem(atPath: partial, toPath: path)
                }
            } catch {
                FileHandle.standardError.write(Data("error: cannot write to \(out): \(error.localizedDescription)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

/// `tally convert IN OUT`: one table file to another format, by extension (CSV, TSV, Parquet).
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a table file: CSV, TSV, Parquet (a file or a folder of parts) or an Excel sheet to CSV, TSV, Parquet or Excel.")

    @Argument(help: "The file to read (.csv, .tsv, .parquet, a folder of .parquet parts, or .xlsx).")
    var input: String

    @Argument(help: "The file to write (.csv, .tsv, .parquet or .xlsx).")
    var output: String

    @Option(name: .long, help: "The sheet to read from a workbook of several.")
    var sheet: String?

    @Option(name: .long, help: "Parquet page compression: none, snappy or zstd.")
    var compression: String = "snappy"

    func validate() throws {
        try refusingSafe("convert", "writes a file")
        guard ParquetWriter.Compression(rawValue: compression) != nil else {
            throw ValidationError("--compression takes none, snappy or zstd, got '\(compression)'")
        }
        let lower = output.lowercased()
        guard [".csv", ".tsv", ".parquet", ".xlsx"].contains(where: lower.hasSuffix) else {
            throw ValidationError("cannot tell the format of '\(output)': use .csv, .tsv, .parquet or .xlsx")
        }
    }

    func run() throws {
        do {
            let table = try TableFile.read(path: input, sheet: sheet)
            let lower = output.lowercased()
            if lower.hasSuffix(".xlsx") {
                try XLSXWriter.write(table, to: output, sheet: TableName.from(path: input))
            } else if lower.hasSuffix(".parquet") {
                try ParquetWriter.write(table, to: output, compression: ParquetWriter.Compression(rawValue: compression)!)
            } else {
                let bytes = CSVWriter.bytes(table, delimiter: lower.hasSuffix(".tsv") ? "\t" : ",")
                do {
                    try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw CSVError(file: output, line: 0, column: 0, message: "cannot write: \(error.localizedDescription)")
                }
            }
        } catch let e as FileProblem {
            FileHandle.standardError.write(Data((e.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

/// `tally pack DIR -o FILE.tally`: every table file in DIR as one binary snapshot.
struct Pack: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the table files of a folder (CSV, TSV, Parquet, Excel) as a binary snapshot for `--db`.")

    @Argument(help: "A folder of CSV, TSV, Parquet and Excel files.")
    var folder: String

    @Option(name: .short, help: "The snapshot file to write.")
    var o: String

    func validate() throws { try refusingSafe("pack", "writes a file") }

    func run() throws {
        do {
            let catalog = try CatalogLoader.catalog(dataDirectory: folder)
            try Snapshot.write(catalog.names.map { ($0, try catalog[$0]!.whole()) }, to: o)
        } catch let e as FileProblem {
            FileHandle.standardError.write(Data((e.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

/// `tally report FILE.tq [--param k=v ...] -o report.html`: the script's results as one self-contained HTML page.
/// `tally sql [--dialect D] -c QUERY | -f FILE`: the SQL a pipeline compiles to.
struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sql", abstract: "Print the SQL of each query (PostgreSQL, DuckDB or Spark SQL).")

    @Option(name: .long, help: "postgres, duckdb or spark.")
    var dialect: String = "postgres"

    @OptionGroup var options: ShellOptions

    func validate() throws {
        try options.validate()
        guard SQLDialects.named(dialect) != nil else {
            throw ValidationError("unknown dialect '\(dialect)'; use one of: \(SQLDialects.all.map(\.name).joined(separator: ", "))")
        }
        if options.c == nil && options.f == nil { throw ValidationError("give the query with -c or the script with -f") }
    }

    func run() throws {
        let shell = try options.makeShell(showsProgress: false)
        let text: String
        if let c = options.c {
            text = c
        } else if let f = options.f, let content = try? String(contentsOfFile: f, encoding: .utf8) {
            text = content
        } else {
            FileHandle.standardError.write(Data("error: cannot read \(options.f ?? ""): no such file or not UTF-8\n".utf8))
            throw ExitCode(1)
        }
        if !shell.printSQL(text, name: options.c != nil ? "<command>" : options.f!, dialect: SQLDialects.named(dialect)) { throw ExitCode(1) }
    }
}

/// `tally upload URL [--from DIR]`: the tables into a PostgreSQL database (CREATE TABLE, then COPY) or Spark's catalog
/// (CREATE TABLE … USING parquet, then INSERT).
struct Upload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy tables (the demo data, or every file of --from) into a PostgreSQL database or Spark's catalog.")

    @Argument(help: ArgumentHelp("The database: postgresql://user@host:port/db or sc://host:15002.", valueName: "url"))
    var url: String

    // Not `--data`: the root command's option of that name would take it.
    @Option(name: .long, help: ArgumentHelp("A folder of CSV, TSV, Parquet and Excel files (default: the demo data).", valueName: "dir"))
    var from: String?

    func validate() throws { try refusingSafe("upload", "writes to a database") }

    func run() throws {
        try exitingOnError {
            let catalog = try CatalogLoader.catalog(dataDirectory: from)
            let connection = try Shell.backend(url, schema: nil)
            for name in catalog.names {
                let table = try catalog[name]!.whole()
                if let postgres = connection as? PostgresConnection { try postgres.upload(table, as: name) }
                if let spark = connection as? SparkConnection { try spark.upload(table, as: name) }
            }
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script and write its results, tables and charts, as one HTML page.")

    @Argument(help: ArgumentHelp("The script (.tq), or the name of an example or saved query.", valueName: "script"))
    var script: String

    @Option(name: .short, help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var o: String

    @OptionGroup var options: ShellOptions

    func validate() throws {
        try options.validate()
        if options.c != nil || options.f != nil { throw ValidationError("`tally report` takes the script as its argument, not -c or -f") }
        try refusingSafe("report", "writes a file")
    }

    func run() throws {
        let shell = try options.makeShell(showsProgress: false)
        if !shell.writeReport(script, to: o) { throw ExitCode(1) }
    }
}

/// Where the tables come from, and how much memory a result may take: the shell's options that `tally serve` shares.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A folder of CSV, TSV, Parquet and Excel files; each becomes a table named after its file.", valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("A snapshot written by `tally pack`; opened without parsing CSV.", valueName: "file"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Run on PostgreSQL (postgresql://…) or Spark Connect (sc://…), also TALLY_CONNECT: its tables are the sources.",
                                                 valueName: "url"))
    var connect: String?

    @Option(name: .long, help: ArgumentHelp(
        "The schema (PostgreSQL: default public, or the URL's ?schema=) or Spark database (default `default`) whose tables are offered.",
        valueName: "name"))
    var schema: String?

    @Option(name: .long, help: ArgumentHelp("The most memory one result may take, e.g. 4GB (default 80% of physical memory).", valueName: "size"))
    var memoryLimit: String?

    /// The database to run on: `--connect`, else `TALLY_CONNECT` when set.
    var database: String? { connect ?? ProcessInfo.processInfo.environment["TALLY_CONNECT"].flatMap { $0.isEmpty ? nil : $0 } }

    /// A shell over the tables of `--data`/`--db` (or the demo data), connected to the database when one is given.
    func makeShell(showsProgress: Bool, safe: Bool) throws -> TallyShell.Shell {
        var catalog = Catalog()
        let database = self.database
        if database == nil || data != nil || db != nil {
            catalog = try exitingOnError {
                try Progress.around("loading \(db ?? data ?? "the demo data")", enabled: showsProgress) {
                    try db.map(CatalogLoader.catalog(snapshot:)) ?? CatalogLoader.catalog(dataDirectory: data, confined: safe)
                } as Catalog
            }
        }
        let session = Session(catalog: catalog)
        if let memoryLimit { session.budget = MemoryBudget.parse(memoryLimit)! }
        let shell = TallyShell.Shell(session: session)
        if let database { try exitingOnError { try shell.connect(database, schema: schema) } }
        shell.safe = safe
        shell.commandLineConnection = database
        shell.dataDirectory = data
        return shell
    }

    func validate() throws {
        if data != nil && db != nil { throw ValidationError("use either --data or --db, not both") }
        if let memoryLimit, MemoryBudget.parse(memoryLimit) == nil {
            throw ValidationError("--memory-limit takes a size of at least 1MB such as 512MB or 4GB, got '\(memoryLimit)'")
        }
    }
}

/// The options of the shell: data, query or script, parameters, format.
struct ShellOptions: ParsableArguments {
    @OptionGroup var source: SourceOptions

    @Option(name: .short, parsing: .unconditional, help: ArgumentHelp("Run this query and exit (it may start with `--`, a comment).", valueName: "query"))
    var c: String?

    @Option(name: .short, help: ArgumentHelp("Run this script (.tq) and exit.", valueName: "file"))
    var f: String?

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Set a parameter: --param month=2025-11 (repeatable).", valueName: "name=value"))
    var param: [String] = []

    @Option(name: .long, help: "Output format: table, csv, tsv, json, jsonl, markdown, line.")
    var format: String?

    @Flag(name: .long, help: "No file writes; .load only inside --data; .connect only to the --connect URL.")
    var safe = false

    @Option(name: .long, help: "Benchmark: run each query once, then N timed times; timings go to standard error.")
    var bench: Int?

    func validate() throws {
        if c != nil && f != nil { throw ValidationError("use either -c or -f, not both") }
        if let bench, bench < 1 { throw ValidationError("--bench takes a number of runs ≥ 1") }
        if let format, OutputMode.parse(format) == nil {
            throw ValidationError("unknown format '\(format)'; use one of: \(OutputMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for p in param where !p.contains("=") || p.hasPrefix("=") { throw ValidationError("--param takes NAME=VALUE, got '\(p)'") }
    }

    /// A shell over the tables of `--data`/`--db` (or the demo data) with the parameters, format and safety asked for.
    func makeShell(showsProgress: Bool) throws -> TallyShell.Shell {
        let shell = try source.makeShell(showsProgress: showsProgress, safe: safe)
        for p in param {
            let eq = p.firstIndex(of: "=")!
            shell.session.paramOverrides[String(p[..<eq])] = Session.parameterValue(String(p[p.index(after: eq)...]))
        }
        shell.options.fancy = Terminal.outputIsTerminal
        shell.options.colour = Terminal.supportsColour
        shell.options.width = Terminal.width
        if let format { shell.mode = OutputMode.parse(format)! }
        shell.benchRuns = bench
        return shell
    }

    func run() throws {
        let loadStart = Date()
        let shell = try makeShell(showsProgress: c == nil && f == nil && isatty(0) != 0 && isatty(2) != 0)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let ok: Bool
        if let c {
            ok = shell.runScript(c, name: "<command>")
        } else if let f {
            guard let text = try? String(contentsOfFile: f, encoding: .utf8) else {
                FileHandle.standardError.write(Data("error: cannot read \(f): no such file or not UTF-8\n".utf8))
                throw ExitCode(1)
            }
            ok = shell.runScript(text, name: f)
        } else {
            ok = REPL(shell: shell).run()
        }
        if bench != nil {
            var report = String(format: "load\t%.1f\n", loadSeconds * 1000)
            for (query, times) in shell.benchTimings {
                let runs = times.map { String(format: "%.3f", $0) }.joined(separator: ",")
                report += "bench\t" + runs + "\t" + query.replacingOccurrences(of: "\n", with: " ") + "\n"
            }
            FileHandle.standardError.write(Data(report.utf8))
        }
        if !ok { throw ExitCode(1) }
    }
}

/// The body's value; an error it throws is printed (a file problem as its own message) and the process exits with status 1.
func exitingOnError<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as FileProblem {
        FileHandle.standardError.write(Data((e.description + "\n").utf8))
        throw ExitCode(1)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// A subcommand that cannot honour `--safe` (it writes files or to a database) refuses it rather than ignore it. The
/// flag is looked for in the arguments themselves: the root command's option group takes it wherever it stands.
func refusingSafe(_ command: String, _ what: String) throws {
    if CommandLine.arguments.dropFirst().contains("--safe") {
        throw ValidationError("`tally \(command)` \(what), which --safe forbids; run it without --safe")
    }
}

tly_keep_large_blocks()

/// Exit status 2 for bad usage (argument-parser's own default is 64).
do {
    var command = try Tally.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let status = Tally.exitCode(for: error)
    if status == .success {
        print(Tally.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data((Tally.fullMessage(for: error) + "\n").utf8))
    exit(2)
}
