import ArgumentParser
import Dispatch
import Foundation
import TallyServe
import TallyShell

/// `tally serve`: the saved queries and reports of the script folders in the browser, read-only, with a JSON API.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the saved queries and reports as web pages, JSON and downloads (read-only).",
        usage: """
            tally serve [--data <dir> | --db <file> | --connect <url>] [--examples <dir> ...] [--port <port>] [--bind <address>]
                        [--token <token> | --auth-file <file>] [--allow-queries] [--timeout <seconds>] [--check]
              tally serve --hash-password < password
            """,
        discussion: """
            Without --token or --auth-file it listens on this machine only. With either, a login page and bearer tokens guard \
            every page. See docs/serve.md.
            """)

    @OptionGroup var source: SourceOptions

    @Option(name: .long, help: ArgumentHelp("A folder of scripts (*.tq) to serve, subfolders as groups (repeatable; default: the script path).",
                                             valueName: "dir"))
    var examples: [String] = []

    @Option(name: .long, help: "The port to listen on (0: any free port, printed at start).")
    var port: Int = 8080

    @Option(name: .long, help: ArgumentHelp("The address to listen on; anything but this machine needs --token or --auth-file.", valueName: "address"))
    var bind: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("A secret that readers give (bearer token or the login form); also TALLY_SERVE_TOKEN.", valueName: "token"))
    var token: String?

    @Option(name: .long, help: ArgumentHelp("A file of USER:HASH lines (hashes from --hash-password) that readers log in with.", valueName: "file"))
    var authFile: String?

    @Flag(name: .long, help: "Offer a page that runs ad-hoc pipelines (still read-only).")
    var allowQueries = false

    @Option(name: .long, help: ArgumentHelp("The longest one query may run, in seconds.", valueName: "seconds"))
    var timeout: Double = 60

    @Flag(name: .long, help: "Run every served script with its defaults and exit: 0 when all run, 1 at the first error.")
    var check = false

    @Flag(name: .long, help: "Read a password from standard input and print its salted hash for an --auth-file line.")
    var hashPassword = false

    var givenToken: String? {
        token ?? ProcessInfo.processInfo.environment["TALLY_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535, got \(port)") }
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout takes seconds from more than 0 up to 86400, got \(timeout)") }
        if givenToken != nil && authFile != nil { throw ValidationError("use either --token or --auth-file, not both") }
        if let givenToken, givenToken.count < 16 { throw ValidationError("--token must be at least 16 characters: a short one is guessed") }
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(bind)
        if !loopback, givenToken == nil, authFile == nil, !check, !hashPassword {
            throw ValidationError("--bind \(bind) without --token or --auth-file would let anyone who reaches this machine read the data; add one")
        }
        for folder in examples {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--examples \(folder): no such folder")
            }
        }
    }

    func run() throws {
        if hashPassword {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                FileHandle.standardError.write(Data("error: give the password on standard input\n".utf8))
                throw ExitCode(1)
            }
            print(try PasswordHash(password: line).encoded)
            return
        }
        let rule: AccessControl.Rule
        if let givenToken {
            rule = .token(givenToken)
        } else if let authFile {
            rule = .users(try exitingOnError { try AccessControl.users(file: authFile) })
        } else {
            rule = .open
        }
        let shell = try source.makeShell(showsProgress: false, safe: false)
        let roots = examples.isEmpty ? UserPaths.scriptFolders.filter { FileManager.default.fileExists(atPath: $0) } : examples
        let server = TallyServer(session: shell.session, roots: roots, configuration: ServeConfiguration(
            host: bind, port: port, access: AccessControl(rule: rule), allowQueries: allowQueries, timeout: timeout,
            cacheLifetime: source.database == nil ? nil : 60))
        if check {
            if !server.check(report: { FileHandle.standardOutput.write(Data($0.utf8)) }) { throw ExitCode(1) }
            return
        }
        let count = server.library.scripts.count, host = bind.contains(":") ? "[\(bind)]" : bind
        let guardNote: String
        switch rule {
        case .open: guardNote = "no --token or --auth-file: only this machine can reach it"
        case .token: guardNote = "readers need the token"
        case .users(let users): guardNote = "readers log in (\(users.count) user\(users.count == 1 ? "" : "s"))"
        }
        let finished = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await server.run(started: { port in
                    FileHandle.standardOutput.write(Data("tally serve: http://\(host):\(port)/ (\(count) scripts; \(guardNote))\n".utf8))
                })
            } catch {
                failure.message = "\(error)"
            }
            finished.signal()
        }
        finished.wait()
        if let message = failure.message {
            FileHandle.standardError.write(Data("error: cannot serve on \(bind):\(port): \(message)\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data("tally serve: stopped\n".utf8))
    }

    /// The server task's error, read once it has ended.
    final class FailureBox: @unchecked Sendable {
        var message: String?
    }
}
