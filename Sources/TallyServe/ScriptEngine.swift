import Dispatch
import Foundation
import Synchronization
import TallyCore
import TallyEngine
import TallyShell
import TallyWeb

/// Runs served scripts and ad-hoc pipelines on the engine, one at a time on its own thread (the engine's cancellation
/// and memory watch are the process's), each under the time limit; finished pages are cached. Pages whose results are
/// cached, the index and the login never wait for a running query.
final class ScriptEngine: @unchecked Sendable {
    /// What a run gave.
    enum Outcome {
        case page(HTMLReport)
        /// Parameter values refused (or parameters the script does not take), by parameter name.
        case refused([String: String])
        /// The script failed, or ran past the time limit: the message.
        case failed(String, timedOut: Bool)
    }

    private let shell: Shell
    private let errors: ErrorText
    private let queue = DispatchQueue(label: "tally.serve.engine")
    let timeout: TimeInterval
    let cache: ResultCache

    /// The shell's error output, kept for the page.
    final class ErrorText: Sendable {
        private let text = Mutex("")
        func append(_ s: String) { text.withLock { $0 += s } }
        func take() -> String { text.withLock { t in defer { t = "" }; return t } }
    }

    init(session: Session, folders: [String], timeout: TimeInterval, cacheLifetime: TimeInterval?) {
        let errors = ErrorText()
        self.errors = errors
        shell = Shell(session: session, write: { _ in }, writeError: { errors.append($0) })
        shell.serving = true
        shell.safe = true
        shell.scriptFolders = folders
        self.timeout = timeout
        cache = ResultCache(lifetime: cacheLifetime)
    }

    /// The cache's key for a script run with the parameters as requested (the server's own `_` names and empty values,
    /// which mean the default, left out).
    static func key(_ script: ServedScript, _ given: [QueryString.Pair]) -> String {
        let shown = given.filter { !$0.name.hasPrefix("_") && !$0.value.isEmpty }.sorted { $0.name < $1.name }
        return script.name + "?" + QueryString(pairs: shown).encoded
    }

    /// Runs `script` with the values `given` (checked first), or gives the cached page.
    func run(_ script: ServedScript, given: [QueryString.Pair]) async -> Outcome {
        let key = ScriptEngine.key(script, given)
        if let page = cache.page(for: key) { return .page(page) }
        let outcome = await onEngine { () -> Outcome in
            if let page = self.cache.page(for: key) { return .page(page) }
            let (values, problems) = script.parameters.values(from: given)
            if !problems.isEmpty { return .refused(problems) }
            return self.collect(script.text, name: script.name + ".tq", overrides: values)
        }
        if case .page(let page) = outcome { cache.store(page, for: key) }
        return outcome
    }

    /// Runs an ad-hoc pipeline typed on the query page.
    func runAdHoc(_ text: String) async -> Outcome {
        await onEngine { self.collect(text, name: "<query>", overrides: [:]) }
    }

    /// Completions for the end of `text` (the shell's own completer: table, column, verb and function names).
    func complete(_ text: String) async -> Completion {
        await onEngine { self.shell.completions(for: text) }
    }

    /// Runs every served script with its defaults: the first failure's message, or nil when all ran.
    func check(_ library: ScriptLibrary, report: (String) -> Void) -> String? {
        for script in library.scripts {
            let started = Date()
            switch collect(script.text, name: script.name + ".tq", overrides: [:]) {
            case .page(let page):
                report(String(format: "ok %@: %d result%@, %.0f ms\n", script.name, page.entries.count, page.entries.count == 1 ? "" : "s",
                              Date().timeIntervalSince(started) * 1000))
            case .failed(let message, _): return message
            case .refused(let problems): return problems.values.sorted().joined(separator: "\n")
            }
        }
        return nil
    }

    /// Runs the text with the time limit; the session is as before afterwards.
    private func collect(_ text: String, name: String, overrides: [String: TallyCore.Value]) -> Outcome {
        let deadline = DispatchTime.now() + timeout
        shell.session.isCancelled = { DispatchTime.now() >= deadline }
        defer { shell.session.isCancelled = { false } }
        _ = errors.take()
        if let page = shell.collectReport(text, name: name, overrides: overrides) { return .page(page) }
        let message = errors.take()
        if DispatchTime.now() >= deadline {
            return .failed("the query ran longer than the time limit of \(Int(timeout)) s and was stopped (tally serve --timeout)", timedOut: true)
        }
        return .failed(message, timedOut: false)
    }

    private func onEngine<T>(_ work: @escaping () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
