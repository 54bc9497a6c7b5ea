import TallyShell
import TallyWeb

/// The served pages other than a script's results: the index, the login form, errors, the ad-hoc query box and the
/// API's documentation. Every text that comes from a script, a request or a result is escaped.
enum Pages {
    static func esc(_ s: String) -> String { HTMLReport.escape(s) }

    /// A whole page in the report's style.
    static func document(title: String, body: String, script: String? = nil) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(esc(title))</title>
        <style>\(HTMLReport.style)\n\(extraStyle)</style>
        </head>
        <body>
        \(body)\(script.map { "<script>\($0)</script>\n" } ?? "")</body>
        </html>

        """
    }

    /// The bar over every page: back to the index, and logging out when there is a login.
    static func navigation(loggedIn: Bool) -> String {
        "<nav><a href=\"/\">All queries</a> · <a href=\"/api\">JSON API</a>" + (loggedIn ? " · <a href=\"/logout\">Log out</a>" : "") + "</nav>\n"
    }

    static func index(_ library: ScriptLibrary, loggedIn: Bool, allowQueries: Bool) -> String {
        var body = navigation(loggedIn: loggedIn) + "<header>\n<h1>Saved queries and reports</h1>\n"
        body += "<p class=\"meta\">\(library.scripts.count) scripts" + (allowQueries ? " · <a href=\"/query\">ad-hoc query</a>" : "") + "</p>\n</header>\n"
        var group: String?
        for script in library.scripts {
            if script.group != group {
                if group != nil { body += "</ul>\n" }
                body += "<h2>\(esc(script.group))</h2>\n<ul class=\"scripts\">\n"
                group = script.group
            }
            body += "<li><a href=\"/q/\(script.name)\">\(esc(script.title))</a> <code class=\"name\">\(esc(script.name))</code>"
            if !script.about.isEmpty { body += "<br/><span class=\"about\">\(esc(script.about))</span>" }
            let parameters = script.parameters.parameters.map { p in "<code>\(esc(p.name))" + (p.defaultText.map { " = " + esc($0) } ?? "") + "</code>" }
            if !parameters.isEmpty { body += "<br/><span class=\"meta\">parameters: " + parameters.joined(separator: ", ") + "</span>" }
            body += "</li>\n"
        }
        if group != nil { body += "</ul>\n" }
        return document(title: "Tally — saved queries", body: body)
    }

    static func login(next: String, failed: Bool, users: Bool) -> String {
        var body = "<header><h1>Log in to Tally</h1></header>\n"
        if failed { body += "<p class=\"problem\" role=\"alert\">That \(users ? "user name and password" : "token") did not match.</p>\n" }
        body += "<form class=\"params\" method=\"post\" action=\"/login\">\n<input type=\"hidden\" name=\"next\" value=\"\(esc(next))\"/>\n"
        if users {
            body += "<div class=\"field\"><label for=\"user\">user</label> <input type=\"text\" id=\"user\" name=\"user\" autocomplete=\"username\"/></div>\n"
            body += "<div class=\"field\"><label for=\"password\">password</label> "
                + "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\"/></div>\n"
        } else {
            body += "<div class=\"field\"><label for=\"password\">token</label> <input type=\"password\" id=\"password\" name=\"password\"/></div>\n"
        }
        body += "<button type=\"submit\">Log in</button>\n</form>\n"
        return document(title: "Tally — log in", body: body)
    }

    static func error(status: Int, title: String, message: String, loggedIn: Bool) -> String {
        let body = navigation(loggedIn: loggedIn) + "<header><h1>\(esc(title))</h1></header>\n<pre class=\"error\">\(esc(message))</pre>\n"
        return document(title: "Tally — \(status) \(title)", body: body)
    }

    /// The ad-hoc box: a pipeline, Run, and Tab completing from the shell's completer (a few lines of script; the page
    /// works without it).
    static func adHocForm(_ text: String) -> String {
        "<form class=\"adhoc\" method=\"get\" action=\"/query\">\n<textarea id=\"q\" name=\"q\" rows=\"6\" spellcheck=\"false\">\(esc(text))</textarea>\n"
            + "<div id=\"candidates\" class=\"meta\"></div>\n<button type=\"submit\">Run</button>\n</form>\n"
    }

    /// Tab in the ad-hoc box asks `/complete` and inserts the common part, listing the candidates.
    static let completionScript = """
    document.getElementById('q').addEventListener('keydown', async (e) => {
      if (e.key !== 'Tab') return;
      e.preventDefault();
      const box = e.target, before = box.value.slice(0, box.selectionStart);
      const r = await fetch('/complete?q=' + encodeURIComponent(before), {credentials: 'same-origin'});
      if (!r.ok) return;
      const c = await r.json();
      box.setRangeText(c.insert, box.selectionStart, box.selectionStart, 'end');
      document.getElementById('candidates').textContent = c.candidates.join('  ');
    });
    """

    static let extraStyle = """
    nav { font-size: 0.85rem; margin-bottom: 1rem; }
    ul.scripts { padding-left: 1.2rem; }
    ul.scripts li { margin: 0.6rem 0; }
    code.name { color: #888; font-size: 0.8rem; }
    .about { font-size: 0.9rem; color: #444; }
    form.params { background: #f7f7f7; padding: 0.75rem 1rem; border-radius: 4px; margin: 1rem 0; }
    form.params .field { margin: 0.3rem 0; }
    form.params label { display: inline-block; min-width: 9rem; font-family: monospace; }
    .problem { color: #a00; font-size: 0.9rem; }
    p.downloads { font-size: 0.8rem; color: #666; }
    pre.error { background: #fff0f0; border-left: 3px solid #c00; padding: 0.5rem 0.75rem; white-space: pre-wrap; }
    form.adhoc textarea { width: 100%; font-family: monospace; font-size: 0.9rem; }
    """
}
