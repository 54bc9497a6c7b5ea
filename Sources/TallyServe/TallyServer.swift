import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import TallyEngine
import TallyShell
import TallyWeb

/// How `tally serve` was started.
public struct ServeConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var access: AccessControl
    /// `--allow-queries`: the ad-hoc pipeline page.
    public var allowQueries: Bool
    /// `--timeout`: the longest one run may take.
    public var timeout: TimeInterval
    /// How long a cached page is good for: nil while the data cannot change (Tally's own tables), a minute for a database.
    public var cacheLifetime: TimeInterval?

    public init(host: String, port: Int, access: AccessControl, allowQueries: Bool, timeout: TimeInterval, cacheLifetime: TimeInterval?) {
        (self.host, self.port, self.access, self.allowQueries, self.timeout, self.cacheLifetime) = (host, port, access, allowQueries, timeout, cacheLifetime)
    }
}

/// `tally serve`: the saved queries of the script folders as pages, JSON and downloads over HTTP, read-only.
public final class TallyServer: Sendable {
    public let library: ScriptLibrary
    let engine: ScriptEngine
    let configuration: ServeConfiguration

    /// A server for the scripts under `roots` over `session`'s tables (on this thread: it reads the scripts' parameters).
    public init(session: Session, roots: [String], configuration: ServeConfiguration) {
        let reader = Shell(session: session, write: { _ in }, writeError: { _ in })
        reader.serving = true
        reader.scriptFolders = ScriptLibrary.scriptFolders(under: roots)
        let library = ScriptLibrary(roots: roots, taken: { reader.parametersTaken(by: $0) })
        self.library = library
        self.configuration = configuration
        engine = ScriptEngine(session: session, folders: library.folders, timeout: configuration.timeout, cacheLifetime: configuration.cacheLifetime)
    }

    /// `--check`: runs every script with its defaults, reporting each; false at the first that fails.
    public func check(report: (String) -> Void) -> Bool {
        guard !library.scripts.isEmpty else {
            report("error: no scripts (*.tq) to serve\n")
            return false
        }
        if let failure = engine.check(library, report: report) {
            report(failure.hasSuffix("\n") ? failure : failure + "\n")
            return false
        }
        return true
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight. `started` gets the port listened on.
    public func run(started: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "tally-serve")
        logger.logLevel = .warning
        let app = Application(
            responder: ServeResponder(server: self),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Tally"),
            onServerRunning: { channel in started(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The CSP hash of the ad-hoc page's one script, which is the only script any page runs.
    static let completionScriptHash = "sha256-" + Data(SHA256.hash(data: Data(Pages.completionScript.utf8))).base64EncodedString()
}
