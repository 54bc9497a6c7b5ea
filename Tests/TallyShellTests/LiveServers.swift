import Foundation
import XCTest

/// The database servers scripts/test starts for the tests (their URLs in `TALLY_TEST_POSTGRES`, `TALLY_TEST_SPARK`), and
/// the tally binary run against them.
enum LiveServers {
    /// The URL in `variable`; the test is skipped without it.
    static func url(_ variable: String) throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw XCTSkip("set \(variable) (scripts/test starts the server and sets it)")
        }
        return url
    }

    /// Runs the tally binary, without a connection from the environment.
    static func tally(_ arguments: [String]) throws -> (output: String, status: Int32) {
        var env = ProcessInfo.processInfo.environment
        env["TALLY_CONNECT"] = nil
        return try ChildProcess.run(TerminalSessionTests.binary, arguments, environment: env)
    }
}
