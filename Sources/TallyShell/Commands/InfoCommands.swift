import Foundation
import TallyCore
import TallyEngine
import TallyLang

extension Shell {
    func help(_ topic: String?) -> Bool {
        guard let topic else {
            var out = "Statements: a source, then verbs separated by |, e.g.\n"
                + "  sales | where region == \"East\" | agg revenue = sum(amount) by rep | sort -revenue\n\nCommands:\n"
            let width = Shell.commands.map { $0.name.count + $0.arguments.count + 1 }.max() ?? 0
            for c in Shell.commands {
                out += "  " + DisplayWidth.pad("\(c.name) \(c.arguments)", to: width, right: false) + "  \(c.help)\n"
            }
            out += "\nMore: .help verbs, .help functions, .help NAME (a verb or function). Docs in docs/.\n"
            write(out)
            return true
        }
        let name = topic
        if name == "verbs" {
            write(Verb.allCases.map { "  \($0.syntax) — \($0.help)" }.joined(separator: "\n") + "\n")
            return true
        }
        if name == "functions" {
            var lines: [String] = []
            for (k, f) in ScalarFunctions.all.sorted(by: { $0.key < $1.key }) where k != "~" { lines.append("  \(f.signature) — \(f.doc)") }
            lines.append("Aggregates:")
            for (_, f) in AggregateFunctions.all.sorted(by: { $0.key < $1.key }) { lines.append("  \(f.signature) — \(f.doc)") }
            lines.append("Window functions (add `over KEY` for per-group):")
            for (_, f) in WindowFunctions.all.sorted(by: { $0.key < $1.key }) { lines.append("  \(f.signature) — \(f.doc)") }
            write(lines.joined(separator: "\n") + "\n")
            return true
        }
        if let v = Verb(rawValue: name) { write("\(v.syntax) — \(v.help)\n  e.g. \(v.example)\n"); return true }
        if let f = ScalarFunctions.all[name] { write("\(f.signature) — \(f.doc)\n"); return true }
        if let f = AggregateFunctions.all[name] { write("\(f.signature) — \(f.doc) (aggregate)\n"); return true }
        if let f = WindowFunctions.all[name] { write("\(f.signature) — \(f.doc) (window)\n"); return true }
        if let c = Shell.commands.first(where: { $0.name == name || $0.name == "." + name }) { write("\(c.name) \(c.arguments) — \(c.help)\n"); return true }
        writeError("no help for `\(VisibleText.escaped(topic))`; try .help verbs or .help functions\n")
        return false
    }

    func listTables() -> Bool {
        let rows = session.catalog.names.sorted().map { n -> (String, Int, Int) in
            let t = session.catalog[n]!
            return (n, t.rowCount, t.names.count)
        }
        let table = Table(names: ["table", "rows", "columns"],
                          columns: [stringColumn(rows.map(\.0)), Column(ints: rows.map { Int64($0.1) }), Column(ints: rows.map { Int64($0.2) })])
        write(Renderer.render(table, mode: mode, options: options))
        return true
    }

    /// `.schema [table]` lists tables' columns; `.schema PIPELINE` the columns the pipeline would produce, from its plan
    /// (nothing runs).
    func schema(_ name: String?, _ c: DotContext) -> Bool {
        let argument = c.text.trimmingCharacters(in: .whitespaces).dropFirst(".schema".count).trimmingCharacters(in: .whitespaces)
        if argument.contains("|") || argument.contains("(") { return pipelineSchema(argument, c) }
        let names = name.map { [$0] } ?? session.catalog.names
        var rows: [(String, String, String)] = []
        for n in names {
            guard let t = session.catalog[n] else {
                return fail("unknown table `\(n)`", name: c.name, line: c.line, text: c.text,
                            hint: suggestions(for: n, among: session.catalog.names).first.map { "did you mean \($0)?" })
            }
            for (col, type) in zip(t.names, t.types) { rows.append((n, col, type.rawValue)) }
        }
        let table = Table(names: ["table", "column", "type"], columns: [stringColumn(rows.map(\.0)), stringColumn(rows.map(\.1)), stringColumn(rows.map(\.2))])
        write(Renderer.render(table, mode: mode, options: options))
        return true
    }

    func pipelineSchema(_ text: String, _ c: DotContext) -> Bool {
        let source = SourceText(name: c.name, text: text, firstLine: c.line)
        let (statements, diagnostics) = Parser.parse(source)
        guard diagnostics.isEmpty else { report(diagnostics, in: source); return false }
        guard case .query(let pipeline)? = statements.first else { return usage(c, ".schema") }
        do {
            let plan = try session.planner.plan(pipeline)
            var names = plan.schema.names, types = plan.schema.types.map(\.rawValue)
            if let tail = plan.schema.tail { names.append(tail.prefix + "0, " + tail.prefix + "1, …"); types.append(tail.type.rawValue) }
            let table = Table(names: ["column", "type"], columns: [stringColumn(names), stringColumn(types)])
            write(Renderer.render(table, mode: mode, options: options))
            return true
        } catch {
            report(error, in: source)
            return false
        }
    }

    func listQueries() -> Bool {
        var rows = savedQueries.load().map { ($0.name, "saved", $0.text.components(separatedBy: "\n").first ?? "") }
        for script in UserPaths.scripts() {
            let text = (try? String(contentsOfFile: script.path, encoding: .utf8)) ?? ""
            let about = text.components(separatedBy: "\n").first { $0.hasPrefix("--") }.map { $0.dropFirst(2).trimmingCharacters(in: .whitespaces) } ?? ""
            rows.append((script.name, "example", about))
        }
        let table = Table(names: ["name", "kind", "about"], columns: [stringColumn(rows.map(\.0)), stringColumn(rows.map(\.1)), stringColumn(rows.map(\.2))])
        write(Renderer.render(table, mode: mode, options: options))
        return true
    }

    /// The names `.run` knows: saved queries, then scripts on the search path.
    func runnableNames() -> [String] {
        savedQueries.load().map(\.name) + UserPaths.scripts().map(\.name)
    }

    func listParams() -> Bool {
        let all = session.params.sorted { $0.key < $1.key }
        let table = Table(names: ["param", "value", "type", "from"],
                          columns: [stringColumn(all.map(\.key)), stringColumn(all.map { $0.value.text }), stringColumn(all.map { $0.value.type.rawValue }),
                                    stringColumn(all.map { session.paramOverrides[$0.key] != nil ? "override" : "default" })])
        write(Renderer.render(table, mode: mode, options: options))
        return true
    }
}

/// A string column from texts.
func stringColumn(_ texts: [String]) -> Column {
    var b = ColumnBuilder(type: .string, capacity: texts.count)
    for t in texts { b.append(string: t) }
    return b.finish()
}
