import Foundation
import TallyCore
import TallyEngine
import TallyLang

extension Shell {
    func save(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 1, TableName.isValid(args[0]) else { return usage(c, ".save") }
        if safe { return fail("--safe: .save writes files and is off", name: c.name, line: c.line, text: c.text) }
        guard let statement = lastStatement else { return fail("no statement to save yet", name: c.name, line: c.line, text: c.text) }
        // The parameters it reads keep their values as its defaults, so `.run NAME` works alone and `k=v` still overrides.
        let uses = ParameterUses(in: statement)
        let defaults = uses.read.subtracting(uses.declared).sorted().compactMap { name in
            session.params[name].map { "param \(name) = \($0.tallyLiteral)" }
        }
        let text = (defaults + [statement]).joined(separator: "\n")
        do {
            try savedQueries.save(args[0], text)
            write("saved \(args[0])\n")
            return true
        } catch {
            return fail("cannot save: \(error)", name: c.name, line: c.line, text: c.text)
        }
    }

    func runQuery(_ args: [String], _ c: DotContext) -> Bool {
        guard let name = args.first else { return usage(c, ".run") }
        var overrides: [String: Value] = [:]
        for a in args.dropFirst() {
            guard let eq = a.firstIndex(of: "="), eq != a.startIndex else {
                return fail("expected k=v, got `\(a)`", name: c.name, line: c.line, text: c.text, hint: ".run \(name) month=2025-11")
            }
            let given = String(a[a.index(after: eq)...])
            // `k=$name` passes on the value the running script has for its parameter `name`.
            if given.hasPrefix("$") {
                guard let value = session.params[String(given.dropFirst())] else {
                    return fail("no parameter `\(given.dropFirst())` to pass on as \(a)", name: c.name, line: c.line, text: c.text,
                                hint: "declare it with `param \(given.dropFirst()) = …`, or give a value")
                }
                overrides[String(a[..<eq])] = value
            } else {
                overrides[String(a[..<eq])] = Session.parameterValue(given)
            }
        }
        let text: String, sourceName: String
        if !serving, let saved = savedQueries.query(name) {
            (text, sourceName) = (saved, name)
        } else if let file = scriptFile(name), !mayRead(file) {
            return fail("--safe: .run may read only inside the data folder and the script folders", name: c.name, line: c.line, text: c.text)
        } else if let file = scriptFile(name), let content = try? String(contentsOfFile: file, encoding: .utf8) {
            (text, sourceName) = (content, file)
        } else {
            let known = runnableNames()
            return fail("no saved query or example named `\(name)`", name: c.name, line: c.line, text: c.text,
                        hint: suggestions(for: name, among: known).first.map { "did you mean \($0)?" } ?? "see .queries")
        }
        guard checkParameters(Array(overrides.keys), for: text, name: sourceName, origin: "`.run \(name)`") else { return false }
        let outerSection = reportSection
        reportSection = HTMLReport.title(script: text, source: sourceName)
        defer { reportSection = outerSection }
        return session.withParameterScope(overrides) { runNested(text, name: sourceName, c) }
    }

    /// The file `.run NAME` means: NAME itself when it is a file path, else NAME.tq on the script search path.
    func scriptFile(_ name: String) -> String? {
        if let scriptFolders { return UserPaths.scripts(in: scriptFolders).first { $0.name == name }?.path }
        var isFolder: ObjCBool = false
        if name.contains("/") || name.hasSuffix(".tq"), FileManager.default.fileExists(atPath: name, isDirectory: &isFolder), !isFolder.boolValue {
            return name
        }
        return UserPaths.scripts().first { $0.name == name }?.path
    }

    /// `.explain [analyze] [QUERY]`: the optimized plan of QUERY (or of the last statement) as an indented tree with
    /// each node's output columns; with `analyze` it also runs and adds rows and time per node.
    func explain(_ c: DotContext) -> Bool {
        var rest = c.text.trimmingCharacters(in: .whitespaces).dropFirst(".explain".count).drop { $0 == " " }
        let analyze = rest.hasPrefix("analyze") && (rest.count == 7 || rest.dropFirst(7).first == " ")
        if analyze { rest = rest.dropFirst(7).drop { $0 == " " } }
        let profile = analyze ? PlanProfile() : nil
        if rest.isEmpty {
            // The last query's plan as it ran, over the `_` it read.
            guard let last = session.lastQuery else {
                return fail("no statement to explain yet", name: c.name, line: c.line, text: c.text, hint: ".explain QUERY, or run a query first")
            }
            do {
                if let profile { _ = try session.run(last.plan, over: last.previous, profile: profile) }
                write(PlanText.render(last.plan.explain(profile: profile)) + (try serverPlanText(last.plan)))
                return true
            } catch {
                report(error, in: lastQuerySource ?? SourceText(name: "<explain>", text: ""))
                return false
            }
        }
        let text = String(rest)
        let source = SourceText(name: c.name, text: text, firstLine: c.line)
        let (statements, diagnostics) = Parser.parse(source)
        if !diagnostics.isEmpty {
            report(diagnostics, in: source)
            return false
        }
        guard let statement = statements.first else { return usage(c, ".explain") }
        let pipeline: Pipeline
        switch statement {
        case .query(let p), .letBinding(_, let p): pipeline = p
        case .param: return fail("`param` has no plan", name: c.name, line: c.line, text: c.text)
        }
        do {
            let plan = try session.plan(pipeline)
            if let profile { _ = try session.run(plan, over: session.previous, profile: profile) }
            write(PlanText.render(plan.explain(profile: profile)) + (try serverPlanText(plan)))
            return true
        } catch {
            report(error, in: source)
            return false
        }
    }
}

extension Shell {
    /// The database's plan of a statement that runs there, under a heading naming the connection; empty otherwise.
    func serverPlanText(_ plan: LogicalPlan) throws -> String {
        guard let text = try session.serverPlan(of: plan), let backend = session.backend else { return "" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { VisibleText.escaped(String($0)) }
        return "plan on \(Secrets.masked(backend.description)):\n" + lines.joined(separator: "\n") + "\n"
    }
}

/// `.explain` output: one line per plan node, children indented under their parent.
enum PlanText {
    static func render(_ lines: [PlanLine]) -> String {
        lines.map { line in
            let columns = line.columns.map { "\($0.name) \($0.type.rawValue)" }.joined(separator: ", ")
            // A literal or a column name may hold control characters: shown, never sent to the terminal raw.
            var out = String(repeating: "  ", count: line.depth) + VisibleText.escaped(line.description) + "  → " + VisibleText.escaped(columns)
            if let rows = line.rows {
                out += "  (\(rows) row\(rows == 1 ? "" : "s")" + (line.seconds.map { String(format: ", %.2f ms", $0 * 1000) } ?? "") + ")"
            }
            return out + "\n"
        }.joined()
    }
}
