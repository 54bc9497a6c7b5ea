/// `/api`: how programs read the served queries.
enum APIDocs {
    static func page(loggedIn: Bool) -> String {
        let body = Pages.navigation(loggedIn: loggedIn) + """
        <header><h1>The JSON API</h1>
        <p>Every saved query's numbers, for scripts and BI tools: the same script, parameters and results as its page.</p></header>
        <section>
        <h2>Endpoints</h2>
        <table>
        <thead><tr><th>GET</th><th>gives</th></tr></thead>
        <tbody>
        <tr><td><code>/index.json</code></td><td>every served script: <code>name</code>, <code>group</code>, <code>title</code>, <code>description</code>,
        and its <code>parameters</code> (<code>name</code>, <code>default</code>, <code>field</code>)</td></tr>
        <tr><td><code>/q/NAME.json?PARAM=VALUE&amp;…</code></td><td><code>{"script", "title", "parameters", "results": [{"statement",
        "columns": [{"name", "type"}], "row_count", "rows": [{column: value}], "warnings"}]}</code>: every row of each result</td></tr>
        <tr><td><code>/q/NAME.csv</code>, <code>.xlsx</code>, <code>.parquet?…&amp;_table=N</code></td><td>the Nth result table (from 1;
        default 1) as a file</td></tr>
        <tr><td><code>/q/NAME.html?…</code></td><td>the page as a self-contained HTML report, as <code>tally report</code> writes it</td></tr>
        <tr><td><code>/q/NAME?…</code></td><td>the page: its parameter form, tables and charts</td></tr>
        </tbody>
        </table>
        <h2>Parameters</h2>
        <p>Values are written as on the command line (<code>month=2025-11</code>, <code>price=5%</code>, <code>band1=40k</code>); an empty value means
        the default. A value of the wrong type, or a parameter the script does not take, gives status 400 and
        <code>{"error", "problems": {PARAM: message}}</code> with the shell's message. Names starting with <code>_</code> are the server's own.</p>
        <h2>Status</h2>
        <p>200 with the results; 400 for refused parameters or a malformed request; 401 without a valid token or login
        (send <code>Authorization: Bearer TOKEN</code>); 404 for no such script; 500 when the script fails; 503 when it ran past the time limit.</p>
        </section>

        """
        return Pages.document(title: "Tally — JSON API", body: body)
    }
}
