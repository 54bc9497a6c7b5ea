import TallyShell
import TallyWeb

/// A served script's page: the report `tally report` writes (title, description, each result's tables, charts and
/// warnings), with the navigation, the parameter form and download links added.
enum ScriptPage {
    static func esc(_ s: String) -> String { HTMLReport.escape(s) }

    static func render(_ report: HTMLReport, script: ServedScript, given: QueryString, loggedIn: Bool) -> String {
        var page = report
        let parameters = given.pairs.isEmpty ? "" : "?" + given.encoded
        let andTable = given.pairs.isEmpty ? "?_table=" : "?" + given.encoded + "&_table="
        page.afterHeader = Pages.navigation(loggedIn: loggedIn) + ParameterForm.render(script, given: given.pairs, problems: [:])
            + "<p class=\"downloads\">This page: <a href=\"/q/\(script.name).html\(esc(parameters))\">HTML report</a> · "
            + "<a href=\"/q/\(script.name).json\(esc(parameters))\">JSON</a></p>\n"
        page.afterTable = { k in
            let base = "/q/\(script.name)"
            let links = [("csv", "CSV"), ("xlsx", "Excel"), ("parquet", "Parquet")].map { ext, label in
                "<a class=\"download-\(ext)\" href=\"\(base).\(ext)\(esc(andTable))\(k + 1)\">\(label)</a>"
            }
            return "<p class=\"downloads\">Download this table: " + links.joined(separator: " · ") + "</p>\n"
        }
        page.extraStyle = Pages.extraStyle
        return page.render()
    }

    /// The form again, each refused value beside its field with the shell's message; no results.
    static func refused(_ script: ServedScript, given: QueryString, problems: [String: String], loggedIn: Bool) -> String {
        let body = header(script) + Pages.navigation(loggedIn: loggedIn) + ParameterForm.render(script, given: given.pairs, problems: problems)
        return Pages.document(title: script.title, body: body)
    }

    /// The form and the script's error.
    static func failed(_ script: ServedScript, given: QueryString, message: String, loggedIn: Bool) -> String {
        let body = header(script) + Pages.navigation(loggedIn: loggedIn) + ParameterForm.render(script, given: given.pairs, problems: [:])
            + "<pre class=\"error\" role=\"alert\">\(esc(message))</pre>\n"
        return Pages.document(title: script.title, body: body)
    }

    /// The ad-hoc box, and the results or error of what was run in it.
    static func adHoc(_ text: String, report: HTMLReport?, message: String?, loggedIn: Bool) -> String {
        let error = message.map { "<pre class=\"error\" role=\"alert\">\(esc($0))</pre>\n" } ?? ""
        let form = Pages.navigation(loggedIn: loggedIn) + Pages.adHocForm(text) + error
        guard var page = report else {
            return Pages.document(title: "Tally — ad-hoc query", body: "<header><h1>Ad-hoc query</h1></header>\n" + form, script: Pages.completionScript)
        }
        page.title = "Ad-hoc query"
        page.about = []
        page.afterHeader = form
        let query = QueryString(pairs: [QueryString.Pair(name: "q", value: text)]).encoded
        page.afterTable = { k in
            "<p class=\"downloads\">Download this table: <a href=\"/query.csv?\(esc(query))&amp;_table=\(k + 1)\">CSV</a></p>\n"
        }
        page.extraStyle = Pages.extraStyle
        page.script = Pages.completionScript
        return page.render()
    }

    static func header(_ script: ServedScript) -> String {
        "<header>\n<h1>\(esc(script.title))</h1>\n" + (script.about.isEmpty ? "" : "<p>\(esc(script.about))</p>\n") + "</header>\n"
    }
}
