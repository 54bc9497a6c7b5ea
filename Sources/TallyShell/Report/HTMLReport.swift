import Foundation
import TallyCore
import TallyEngine
import TallyLang

/// One self-contained HTML page from a script (`tally report`, `.report`): the script's leading comment as title,
/// the parameters in force, then each statement's result in order — a table in the terminal's number formats and,
/// for a `chart` statement, the chart as inline SVG. Inline CSS with a print stylesheet; no JavaScript, fonts or URLs.
/// The page is well-formed XML (XHTML syntax), so tests parse it. `tally serve` draws its pages with the same renderer,
/// adding a parameter form and download links.
public struct HTMLReport {
    /// One statement's result, as it came.
    public struct Entry {
        public let statement: String
        public let result: QueryResult
        /// The parameters the statement reads (`$NAME`), with the values it ran with as the report shows them.
        var parameters: [(name: String, value: String)] = []
        /// The title of the script `.run` by name that the statement belongs to, shown as a heading over its results.
        var section: String?
    }

    public var title: String
    public var about: [String]
    public var source: String
    public var entries: [Entry] = []
    /// Markup placed after the header (the served page's parameter form); empty in a report file.
    public var afterHeader = ""
    /// Markup placed under the table of each entry, by its index (the served page's download links).
    public var afterTable: ((Int) -> String)?
    /// Style rules added to the page's own (the served page's form and links).
    public var extraStyle = ""
    /// A script the page runs at its end (the served ad-hoc box's completion); none in a report file.
    public var script: String?
    /// Rows shown per table: the first and last halves of longer results.
    static let maxRows = 60

    /// The title and description: the script's leading `--` comment lines (the file name when there are none).
    public init(script: String, source: String) {
        let (first, rest) = HTMLReport.firstSentence(HTMLReport.leadingComments(script))
        title = first.isEmpty ? (source as NSString).lastPathComponent : first
        about = rest.isEmpty ? [] : [rest]
        // The script's name, never the folders it sits in on its author's disk: a page is made to be sent.
        self.source = (source as NSString).lastPathComponent
    }

    /// Text made safe in markup and attribute values: `&`, `<`, `>`, `"` and `'` escaped.
    public static func escape(_ s: String) -> String { SVGChart.escape(s) }

    /// The text of a script's leading `--` comment lines.
    public static func leadingComments(_ script: String) -> [String] {
        script.components(separatedBy: "\n").prefix { $0.hasPrefix("--") || $0.trimmingCharacters(in: .whitespaces).isEmpty }
            .filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
    }

    /// A script's title: the first sentence of its leading comment (never a line cut mid-phrase), else its file name.
    public static func title(script: String, source: String) -> String {
        let first = firstSentence(leadingComments(script)).first
        return first.isEmpty ? (source as NSString).lastPathComponent : first
    }

    /// The comment's first sentence and the rest: up to the first `.` or `?` followed by a space or the end, or up to the
    /// end of a line that the next starts anew with a capital (a heading line of its own).
    public static func firstSentence(_ lines: [String]) -> (first: String, rest: String) {
        var first: [String] = []
        for (k, line) in lines.enumerated() {
            var index = line.startIndex
            while index < line.endIndex {
                let next = line.index(after: index)
                if line[index] == "." || line[index] == "?", next == line.endIndex || line[next] == " " {
                    let rest = [line[next...].trimmingCharacters(in: .whitespaces)] + lines[(k + 1)...]
                    return ((first + [String(line[..<next])]).joined(separator: " "), rest.filter { !$0.isEmpty }.joined(separator: " "))
                }
                index = next
            }
            first.append(line)
            if k + 1 < lines.count, lines[k + 1].first?.isUppercase ?? false {
                return (first.joined(separator: " "), lines[(k + 1)...].joined(separator: " "))
            }
        }
        return (first.joined(separator: " "), "")
    }

    /// The parameters every statement that reads them ran with at one value, for the header; a parameter that took
    /// several values (scripts `.run` with different ones) is shown beside each statement instead.
    var sharedParameters: [(name: String, value: String)] {
        var values: [String: [String]] = [:]
        for entry in entries {
            for p in entry.parameters where !(values[p.name]?.contains(p.value) ?? false) { values[p.name, default: []].append(p.value) }
        }
        return values.filter { $0.value.count == 1 }.map { ($0.key, $0.value[0]) }.sorted { $0.name < $1.name }
    }

    /// `name = value, …` as code.
    static func parameterList(_ parameters: [(name: String, value: String)]) -> String {
        parameters.map { "<code>\(escape($0.name)) = \(escape($0.value))</code>" }.joined(separator: ", ")
    }

    /// The whole page.
    public func render() -> String {
        var body = "<header>\n<h1>\(HTMLReport.escape(title))</h1>\n"
        for line in about { body += "<p>\(HTMLReport.escape(line))</p>\n" }
        body += "<p class=\"meta\">\(HTMLReport.escape(source))"
        let shared = sharedParameters
        if !shared.isEmpty { body += " · " + HTMLReport.parameterList(shared) }
        body += "</p>\n</header>\n" + afterHeader
        var section: String?
        for (index, entry) in entries.enumerated() {
            if let heading = entry.section, heading != section { body += "<h2>\(HTMLReport.escape(heading))</h2>\n" }
            section = entry.section
            body += "<section>\n<pre class=\"query\">\(HTMLReport.escape(entry.statement))</pre>\n"
            let own = entry.parameters.filter { p in !shared.contains { $0.name == p.name } }
            if !own.isEmpty { body += "<p class=\"meta\">" + HTMLReport.parameterList(own) + "</p>\n" }
            // Warnings stand with the numbers they qualify, above them, not under a chart.
            for w in entry.result.warnings { body += "<p class=\"warning\">⚠ warning: \(HTMLReport.escape(w.message))</p>\n" }
            if let chart = entry.result.chart { body += "<figure>\n" + SVGChart.render(chart) + "</figure>\n" }
            body += HTMLReport.table(entry.result.table)
            if let afterTable { body += afterTable(index) }
            if let a = entry.result.assumptions {
                body += "<p class=\"note\">assumptions: bootstrap of \(a.periods) historical periods (\(a.first.text) … \(a.last.text)); "
                    + "\(a.runs) runs, seed \(a.seed)</p>\n"
            }
            body += "</section>\n"
        }
        body += "<footer>Tally \(TallyVersion.current)</footer>\n"
        return """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(HTMLReport.escape(title))</title>
        <style>\(HTMLReport.style)\(extraStyle.isEmpty ? "" : "\n" + extraStyle)</style>
        </head>
        <body>
        \(body)\(script.map { "<script>\($0)</script>\n" } ?? "")</body>
        </html>

        """
    }

    /// A result table: numbers right-aligned in the terminal's formats, nulls marked, the middle of long results left out.
    static func table(_ t: Table) -> String {
        let (shown, gapAfter) = TableRenderer.shownRows(count: t.rowCount, limit: maxRows)
        let formats = t.columns.indices.map { ColumnFormat(name: t.names[$0], column: t.columns[$0], rows: shown) }
        let numeric = t.columns.map { $0.type == .int || $0.type == .float }
        var out = "<table>\n<thead><tr>"
        for (c, name) in t.names.enumerated() { out += "<th\(numeric[c] ? " class=\"num\"" : "")>\(escape(name))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for (k, r) in shown.enumerated() {
            if k == gapAfter {
                let hidden = TableRenderer.grouped(String(t.rowCount - shown.count))
                out += "<tr class=\"gap\"><td colspan=\"\(t.columns.count)\">… \(hidden) more rows …</td></tr>\n"
            }
            out += "<tr>"
            for (c, column) in t.columns.enumerated() {
                let classes = (numeric[c] ? ["num"] : []) + (column.isNull(r) ? ["null"] : [])
                out += "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(escape(formats[c].text(column.value(at: r))))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"rows\">\(TableRenderer.grouped(String(t.rowCount))) row\(t.rowCount == 1 ? "" : "s")</p>\n"
        return out
    }

    /// The page's stylesheet (also the served pages').
    public static let style = """
    body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
    h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
    h2 { font-size: 1.15rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
    header p { margin: 0.25rem 0; }
    .meta { color: #666; font-size: 0.85rem; }
    section { margin: 2rem 0; }
    pre.query { background: #f5f5f5; padding: 0.5rem 0.75rem; border-radius: 4px; white-space: pre-wrap; font-size: 0.85rem; }
    figure { margin: 1rem 0; }
    figure svg { max-width: 100%; height: auto; }
    table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #e4e4e4; text-align: left; }
    th { border-bottom: 2px solid #bbb; }
    .num { text-align: right; }
    td.null { color: #aaa; }
    tr.gap td { text-align: center; color: #888; }
    .rows, .note { color: #666; font-size: 0.8rem; }
    .warning { color: #8a5a00; background: #fff6e0; border-left: 3px solid #e69f00; padding: 0.3rem 0.6rem; font-size: 0.9rem; }
    footer { color: #999; font-size: 0.75rem; margin-top: 3rem; }
    @media print {
      @page { size: A4; margin: 14mm; }
      body { max-width: none; margin: 0; }
      section { break-inside: avoid; }
      pre.query { background: none; border-left: 3px solid #ccc; }
    }
    """
}
