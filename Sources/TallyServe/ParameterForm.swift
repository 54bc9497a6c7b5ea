import TallyCore
import TallyShell
import TallyWeb

/// A served script's parameter form: one field per parameter, of the kind its default asks for (a month picker for a
/// month, a date picker for a date, a number for a number), holding the value requested or the default, with the
/// message for a refused value beside its field. It submits with GET, so the page's URL holds the values.
enum ParameterForm {
    static func render(_ script: ServedScript, given: [QueryString.Pair], problems: [String: String]) -> String {
        let parameters = script.parameters.parameters
        var out = "<form class=\"params\" method=\"get\" action=\"/q/\(script.name)\">\n"
        for p in parameters {
            let value = given.first { $0.name == p.name }?.value ?? shownDefault(p)
            let id = "p-" + p.name
            out += "<div class=\"field\"><label for=\"\(esc(id))\">\(esc(p.name))</label> "
            out += input(p, id: id, value: value)
            if let problem = problems[p.name] { out += " <span class=\"problem\" role=\"alert\">\(esc(problem))</span>" }
            out += "</div>\n"
        }
        for (name, problem) in problems.sorted(by: { $0.key < $1.key }) where !parameters.contains(where: { $0.name == name }) {
            out += "<p class=\"problem\" role=\"alert\">\(esc(problem))</p>\n"
        }
        out += "<button type=\"submit\">Run</button>\n</form>\n"
        return parameters.isEmpty && problems.isEmpty ? "" : out
    }

    /// The default as a field shows it: a number field takes digits (`40000`, not `40k`), a text field the text without
    /// its quotes; others the text as written (`2025-11`, `5%`).
    static func shownDefault(_ p: ScriptParameters.Parameter) -> String {
        switch p.field {
        case .integer, .number, .year: return p.defaultValue?.text ?? ""
        case .text: return p.defaultValue.map { $0.isNull ? "" : $0.text } ?? ""
        default: return p.defaultText ?? ""
        }
    }

    static func input(_ p: ScriptParameters.Parameter, id: String, value: String) -> String {
        let common = "id=\"\(esc(id))\" name=\"\(esc(p.name))\" value=\"\(esc(value))\""
        switch p.field {
        case .month: return "<input type=\"month\" \(common)/>"
        case .date: return "<input type=\"date\" \(common)/>"
        case .integer, .year: return "<input type=\"number\" step=\"1\" \(common)/>"
        case .number: return "<input type=\"number\" step=\"any\" \(common)/>"
        case .percent: return "<input type=\"text\" inputmode=\"decimal\" placeholder=\"5%\" \(common)/>"
        case .quarter: return "<input type=\"text\" placeholder=\"2025-Q4\" pattern=\"[0-9]{4}-Q[1-4]\" \(common)/>"
        case .week: return "<input type=\"text\" placeholder=\"2025-W47\" \(common)/>"
        case .boolean:
            let options = ["true", "false"].map { "<option\($0 == value ? " selected=\"selected\"" : "")>\($0)</option>" }.joined()
            return "<select id=\"\(esc(id))\" name=\"\(esc(p.name))\">\(options)</select>"
        case .text: return "<input type=\"text\" \(common)/>"
        }
    }

    static func esc(_ s: String) -> String { HTMLReport.escape(s) }
}
