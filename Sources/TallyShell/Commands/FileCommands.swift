import Foundation
import TallyCore
import TallyFormats
import TallyEngine

extension Shell {
    /// `.load FILE [sheet NAME] [as TABLE]`: a CSV, TSV, Parquet file or part folder, or an Excel workbook (every sheet
    /// with data, or the one named).
    func load(_ args: [String], _ c: DotContext) -> Bool {
        guard let path = args.first else { return usage(c, ".load") }
        var rest = Array(args.dropFirst())
        var sheet: String? = nil
        var alias: String? = nil
        if rest.count >= 2, rest[0] == "sheet" { sheet = rest[1]; rest.removeFirst(2) }
        if rest.count == 2, rest[0] == "as" { alias = rest[1]; rest.removeFirst(2) }
        guard rest.isEmpty else { return usage(c, ".load") }
        if safe, let dir = dataDirectory, TableFile.outside(path, folder: dir) != nil {
            return fail("--safe: .load may read only inside the data folder \(dir)", name: c.name, line: c.line, text: c.text)
        } else if safe, dataDirectory == nil {
            return fail("--safe: .load is off without --data", name: c.name, line: c.line, text: c.text)
        }
        if let name = alias ?? (path.lowercased().hasSuffix(".xlsx") ? nil : TableName.from(path: path)), !TableName.isValid(name) {
            return fail("`\(name)` is not a valid table name", name: c.name, line: c.line, text: c.text, hint: "name it: .load \(path) as my_table")
        }
        do {
            let tables = try Progress.around("loading \(path)", enabled: showsProgress) { try TableFile.tables(path: path, sheet: sheet) }
            if alias != nil, tables.count > 1 {
                let sheets = tables.map(\.sheet).joined(separator: ", ")
                return fail("the workbook has \(tables.count) sheets with data (\(sheets)); `as` names one", name: c.name, line: c.line, text: c.text,
                            hint: ".load \(path) sheet \(tables[0].sheet) as \(alias!)")
            }
            for (name, _, table) in tables {
                let name = alias ?? name
                session.catalog.add(table, as: name)
                write("loaded \(name): \(table.rowCount) rows, \(table.names.count) columns\n")
            }
            return true
        } catch let e as FileProblem {
            writeError(e.description + "\n")
            return false
        } catch is Cancelled {
            writeError("cancelled: \(path) was not loaded\n")
            return false
        } catch {
            return fail("cannot load \(path): \(error)", name: c.name, line: c.line, text: c.text)
        }
    }

    func isInside(_ path: String, _ dir: String) -> Bool {
        let p = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let d = URL(fileURLWithPath: dir).standardizedFileURL.resolvingSymlinksInPath().path
        return p.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }

    func export(_ args: [String], _ c: DotContext) -> Bool {
        guard let path = args.first, args.count == 1 || (args.count == 2 && path.lowercased().hasSuffix(".parquet")) else { return usage(c, ".export") }
        if safe { return fail("--safe: .export writes files and is off", name: c.name, line: c.line, text: c.text) }
        if path.lowercased().hasSuffix(".parquet") { return exportParquet(path, compression: args.count == 2 ? args[1] : nil, c) }
        if path.lowercased().hasSuffix(".xlsx") {
            guard let result = lastResult else { return fail("no result to export yet", name: c.name, line: c.line, text: c.text) }
            do {
                try XLSXWriter.write(result.table, to: path)
                write("wrote \(path)\n")
                return true
            } catch {
                writeError("\(error)\n")
                return false
            }
        }
        let text: String
        if path.lowercased().hasSuffix(".svg") {
            guard let chart = lastChart else { return fail("no chart to export yet", name: c.name, line: c.line, text: c.text,
                hint: "run a query ending in `| chart bar X Y` first") }
            text = SVGChart.render(chart)
        } else {
            guard let result = lastResult else { return fail("no result to export yet", name: c.name, line: c.line, text: c.text) }
            guard let m = OutputMode.forFile(path) else {
                return fail("cannot tell the format of \(path)", name: c.name, line: c.line, text: c.text,
                            hint: "use .csv, .tsv, .json, .jsonl, .md, .parquet, .xlsx or .svg")
            }
            text = Renderer.render(result.table, mode: m, options: RenderOptions(maxRows: .max, width: nil, fancy: false))
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            write("wrote \(path)\n")
            return true
        } catch {
            return fail("cannot write \(path): \(error.localizedDescription)", name: c.name, line: c.line, text: c.text)
        }
    }

    /// `.export FILE.parquet [none|snappy|zstd]`: the last result as a Parquet file (Snappy unless asked otherwise).
    func exportParquet(_ path: String, compression name: String?, _ c: DotContext) -> Bool {
        guard let result = lastResult else { return fail("no result to export yet", name: c.name, line: c.line, text: c.text) }
        guard let compression = ParquetWriter.Compression(rawValue: (name ?? "snappy").lowercased()) else {
            let choices = ParquetWriter.Compression.allCases.map(\.rawValue).joined(separator: ", ")
            return fail("unknown Parquet compression `\(name ?? "")`", name: c.name, line: c.line, text: c.text, hint: "use one of \(choices)")
        }
        do {
            try ParquetWriter.write(result.table, to: path, compression: compression)
            write("wrote \(path)\n")
            return true
        } catch {
            writeError("\(error)\n")
            return false
        }
    }

    /// Whether a script may be read from `path`: always, except under `--safe`, where only files inside the data folder
    /// and the script folders (examples) are read, and nothing of a refused file is shown.
    func mayRead(_ path: String) -> Bool {
        guard safe else { return true }
        return ([dataDirectory].compactMap { $0 } + (scriptFolders ?? UserPaths.scriptFolders)).contains { isInside(path, $0) }
    }

    func readFile(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 1 else { return usage(c, ".read") }
        guard mayRead(args[0]) else {
            return fail("--safe: .read may read only inside the data folder and the script folders", name: c.name, line: c.line, text: c.text)
        }
        guard let text = try? String(contentsOfFile: args[0], encoding: .utf8) else {
            return fail("cannot read \(args[0]): no such file or not UTF-8", name: c.name, line: c.line, text: c.text)
        }
        return runNested(text, name: args[0], c)
    }
}
