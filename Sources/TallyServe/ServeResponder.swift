import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import TallyEngine
import TallyShell
import TallyWeb

/// Answers every request: finds its route and query string (refusing malformed ones with 4xx), checks access, and
/// gives the page, data or file. Nothing a request names is opened as a file; every page is read-only.
struct ServeResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let server: TallyServer

    static let adHocOff = "ad-hoc queries are off (tally serve --allow-queries)"
    /// Where password hashes are checked, one at a time.
    static let logins = DispatchQueue(label: "tally.serve.logins")

    /// The largest login form read.
    static let maxFormBytes = 16_384

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        guard let route = ServeRoute(path: Substring(request.uri.path)) else {
            return page(.notFound, Pages.error(status: 404, title: "Not found", message: "no page at \(request.uri.path)", loggedIn: false))
        }
        let query: QueryString
        do {
            query = try QueryString(parsing: Substring(request.uri.query ?? ""))
        } catch {
            return problem(.badRequest, "bad request: \(error)", json: route.wantsJSON)
        }
        let isPost = request.method == .post
        guard request.method == .get || request.method == .head || (isPost && route == .login) else {
            return problem(.methodNotAllowed, "\(request.method) is not served here: every page is read-only", json: route.wantsJSON)
        }
        let access = server.configuration.access
        let cookie = request.cookies[AccessControl.cookieName]?.value
        let loggedIn = !access.isOpen
        if route != .login, !access.allows(authorization: request.headers[.authorization], cookie: cookie) {
            if route.wantsJSON || route.isDownload {
                var response = problem(.unauthorized, "log in first: send Authorization: Bearer TOKEN, or log in at /login", json: true)
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            return redirect("/login?next=" + QueryString.escape(request.uri.string))
        }
        switch route {
        case .index:
            return page(.ok, Pages.index(server.library, loggedIn: loggedIn, allowQueries: server.configuration.allowQueries))
        case .indexJSON:
            return data(.ok, Data(ScriptListing.json(server.library).utf8), type: "application/json")
        case .apiDocs:
            return page(.ok, APIDocs.page(loggedIn: loggedIn))
        case .script(let name, let format):
            guard let script = server.library[name] else {
                return problem(.notFound, "no served script named `\(name)`", json: format == .json)
            }
            return await scriptResponse(script, format: format, query: query, loggedIn: loggedIn)
        case .adHoc(let format):
            guard server.configuration.allowQueries else { return problem(.notFound, ServeResponder.adHocOff, json: route.wantsJSON) }
            return await adHocResponse(query["q"] ?? "", format: format, query: query, loggedIn: loggedIn)
        case .complete:
            guard server.configuration.allowQueries else { return problem(.notFound, ServeResponder.adHocOff, json: true) }
            let completion = await server.engine.complete(String((query["q"] ?? "").prefix(QueryString.maxLength)))
            let body = "{\"insert\":\(TextFormats.jsonString(completion.insert)),\"candidates\":["
                + completion.candidates.prefix(200).map(TextFormats.jsonString).joined(separator: ",") + "]}\n"
            return data(.ok, Data(body.utf8), type: "application/json")
        case .login:
            return await login(request, query: query, isPost: isPost)
        case .logout:
            access.logOut(cookie)
            var response = redirect(access.isOpen ? "/" : "/login")
            response.headers[.setCookie] = "\(AccessControl.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        }
    }

    /// A script's page, data or file.
    func scriptResponse(_ script: ServedScript, format: ResultFormat, query: QueryString, loggedIn: Bool) async -> Response {
        let outcome = await server.engine.run(script, given: query.pairs)
        let shown = QueryString(pairs: query.pairs.filter { !$0.name.hasPrefix("_") })
        switch outcome {
        case .page(let report):
            switch format {
            case .page:
                return page(.ok, ScriptPage.render(report, script: script, given: shown, loggedIn: loggedIn))
            case .json:
                return data(.ok, Data(ResultEncoding.json(name: script.name, page: report, parameters: shown.pairs).utf8), type: format.contentType)
            case .html, .csv, .xlsx, .parquet:
                return download(report, format: format, name: script.name, query: query)
            }
        case .refused(let problems):
            let message = "parameters refused: " + problems.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            guard format == .page else { return problem(.badRequest, message, json: format == .json, problems: problems) }
            return page(.badRequest, ScriptPage.refused(script, given: shown, problems: problems, loggedIn: loggedIn))
        case .failed(let message, let timedOut):
            let status: HTTPResponse.Status = timedOut ? .serviceUnavailable : .internalServerError
            guard format == .page else { return problem(status, message, json: format == .json) }
            return page(status, ScriptPage.failed(script, given: shown, message: message, loggedIn: loggedIn))
        }
    }

    func adHocResponse(_ text: String, format: ResultFormat, query: QueryString, loggedIn: Bool) async -> Response {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            guard format == .page else { return problem(.badRequest, "give the pipeline as q=…", json: format == .json) }
            return page(.ok, ScriptPage.adHoc(text, report: nil, message: nil, loggedIn: loggedIn), script: true)
        }
        switch await server.engine.runAdHoc(text) {
        case .page(let report):
            switch format {
            case .page: return page(.ok, ScriptPage.adHoc(text, report: report, message: nil, loggedIn: loggedIn), script: true)
            case .json:
                return data(.ok, Data(ResultEncoding.json(name: "query", page: report, parameters: [QueryString.Pair(name: "q", value: text)]).utf8),
                            type: format.contentType)
            default: return download(report, format: format, name: "query", query: query)
            }
        case .failed(let message, let timedOut):
            let status: HTTPResponse.Status = timedOut ? .serviceUnavailable : .badRequest
            guard format == .page else { return problem(status, message, json: format == .json) }
            return page(status, ScriptPage.adHoc(text, report: nil, message: message, loggedIn: loggedIn), script: true)
        case .refused(let problems):
            return problem(.badRequest, problems.values.sorted().joined(separator: "; "), json: format == .json)
        }
    }

    /// One table of a page (`_table=N`, from 1) or the whole page as a file.
    func download(_ report: HTMLReport, format: ResultFormat, name: String, query: QueryString) -> Response {
        var index = 0
        if format != .html {
            guard !report.entries.isEmpty else { return problem(.notFound, "`\(name)` gives no table", json: false) }
            if let given = query["_table"] {
                guard let n = Int(given), (1...report.entries.count).contains(n) else {
                    return problem(.badRequest, "_table takes a number from 1 to \(report.entries.count), got `\(given)`", json: false)
                }
                index = n - 1
            }
        }
        do {
            let (bytes, file) = try ResultEncoding.download(report, table: index, as: format, name: name)
            var response = data(.ok, bytes, type: format.contentType)
            response.headers[.contentDisposition] = "attachment; filename=\"\(file)\""
            return response
        } catch {
            return problem(.unprocessableContent, "\(error)", json: false)
        }
    }

    func login(_ request: Request, query: QueryString, isPost: Bool) async -> Response {
        let access = server.configuration.access
        var users = false
        if case .users = access.rule { users = true }
        guard !access.isOpen else { return redirect("/") }
        guard isPost else { return page(.ok, Pages.login(next: ServeResponder.safeNext(query["next"]), failed: false, users: users)) }
        var request = request
        guard let body = try? await request.collectBody(upTo: ServeResponder.maxFormBytes),
              let form = try? QueryString(parsing: Substring(String(buffer: body))) else {
            return problem(.badRequest, "the login form could not be read", json: false)
        }
        let next = ServeResponder.safeNext(form["next"])
        let (user, secret) = (form["user"], form["password"] ?? "")
        // PBKDF2 takes a good part of a second by design: on a queue of its own, never on the threads serving pages.
        let session = await withCheckedContinuation { continuation in
            ServeResponder.logins.async { continuation.resume(returning: access.logIn(user: user, secret: secret)) }
        }
        guard let session else {
            // A wrong guess costs the guesser a moment.
            try? await Task.sleep(for: .milliseconds(500))
            return page(.unauthorized, Pages.login(next: next, failed: true, users: users))
        }
        var response = redirect(next)
        let lifetime = Int(AccessControl.sessionLifetime)
        response.headers[.setCookie] = "\(AccessControl.cookieName)=\(session); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(lifetime)"
        return response
    }

    /// Where to go after logging in: a path of this server only (never `//host` or a full URL).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("\r"), !next.contains("\n") else { return "/" }
        return next
    }

    // MARK: Responses

    func page(_ status: HTTPResponse.Status, _ html: String, script: Bool = false) -> Response {
        var response = data(status, Data(html.utf8), type: ResultFormat.page.contentType)
        if script {
            response.headers[.contentSecurityPolicy] = ServeResponder.policy + "; script-src '\(TallyServer.completionScriptHash)'; connect-src 'self'"
        }
        return response
    }

    func data(_ status: HTTPResponse.Status, _ bytes: Data, type: String) -> Response {
        var headers: HTTPFields = [.contentType: type, .contentSecurityPolicy: ServeResponder.policy, .cacheControl: "no-store"]
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func problem(_ status: HTTPResponse.Status, _ message: String, json: Bool, problems: [String: String] = [:]) -> Response {
        if json { return data(status, Data(ResultEncoding.jsonError(message, problems: problems).utf8), type: "application/json") }
        return data(status, Data((message + "\n").utf8), type: "text/plain; charset=utf-8")
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// No scripts, frames, fonts or outside resources: styles are inline, charts inline SVG.
    static let policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

extension ServeRoute {
    /// Whether the answer is JSON: errors are sent as JSON too.
    var wantsJSON: Bool {
        switch self {
        case .indexJSON, .complete: return true
        case .script(_, let format), .adHoc(let format): return format == .json
        default: return false
        }
    }

    /// Whether the answer is a file to save.
    var isDownload: Bool {
        switch self {
        case .script(_, let format), .adHoc(let format): return format != .page && format != .json
        default: return false
        }
    }
}
