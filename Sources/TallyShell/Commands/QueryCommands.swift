import Foundation
import TallyCore
import TallyEngine
import TallyLang

extension Shell {
    func save(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 1, TableName.isValid(args[0]) else { return usage(c, ".save") }
        if safe { return fail("--safe: .save writes files and is off", name: c.name, line: c.line, text: c.text) }
        guard let text = lastStatement else { return fail("no statement to save yet", name: c.name, line: c.line, text: c.text) }
        do {
            try savedQueries.save(args[0], text)
            write("saved \(args[0])\n")
            return true
        } catch {
            return fail("cannot save: \(error.localizedDescription)", name: c.name, line: c.line, text: c.text)
        }
    }

    func runQuery(_ args: [String], _ c: DotContext) -> Bool {
        guard let name = args.first else { return usage(c, ".run") }
        var overrides: [String: Value] = [:]
        for a in args.dropFirst() {
            guard let eq = a.firstIndex(of: "="), eq != a.startIndex else {
                return fail("expected k=v, got `\(a)`", name: c.name, line: c.line, text: c.text, hint: ".run \(name) month=2025-11")
            }
            overrides[String(a[..<eq])] = Session.parameterValue(String(a[a.index(after: eq)...]))
        }
        let text: String, sourceName: String
        if let saved = savedQueries.query(name) {
            (text, sourceName) = (saved, name)
        } else if let file = [name, "examples/\(name).tq", "\(name).tq"].first(where: { FileManager.default.fileExists(atPath: $0) && !$0.hasSuffix("/") }),
                  let content = try? String(contentsOfFile: file, encoding: .utf8) {
            (text, sourceName) = (content, file)
        } else {
            let known = savedQueries.load().map(\.name) + exampleFiles().map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
            return fail("no saved query or example named `\(name)`", name: c.name, line: c.line, text: c.text,
                        hint: suggestions(for: name, among: known).first.map { "did you mean \($0)?" } ?? "see .queries")
        }
        let previous = session.paramOverrides
        session.paramOverrides.merge(overrides) { _, new in new }
        defer { session.paramOverrides = previous }
        return run(text, name: sourceName)
    }

    func explain(_ c: DotContext) -> Bool {
        guard let text = lastStatement else { return fail("no statement to explain yet", name: c.name, line: c.line, text: c.text) }
        let source = SourceText(name: "<explain>", text: text)
        let (statements, diagnostics) = Parser.parse(source)
        guard diagnostics.isEmpty, let statement = statements.first else { return false }
        var reports: [StageReport] = []
        do {
            _ = try session.execute(statement, source: source) { reports.append($0) }
        } catch {
            report(error, in: source)
            return false
        }
        let table = Table(names: ["stage", "rows", "columns", "ms"],
                          columns: [stringColumn(reports.map { $0.label.replacingOccurrences(of: "\n", with: " ") }), Column(ints: reports.map { Int64($0.rows) }),
                                    Column(ints: reports.map { Int64($0.columns) }), Column(floats: reports.map { ($0.seconds * 100_000).rounded() / 100 })])
        write(Renderer.render(table, mode: mode, options: options))
        return true
    }
}
