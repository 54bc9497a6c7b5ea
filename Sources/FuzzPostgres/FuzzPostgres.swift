import FuzzSupport
import TallyCore
import TallyPostgres

/// libFuzzer target: what Tally reads from PostgreSQL and from the user about it. The first byte picks a reader, the
/// rest is its text: a value the server sent in its text format, as each Tally type; a connection URL; the masking of
/// passwords in a line. Errors are expected; traps are findings, and so is a masked line that still holds a password.
enum FuzzPostgres {
    static let types: [DataType] = [.int, .float, .bool, .string, .date, .period]

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let choice = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        switch Int(choice) % (types.count + 2) {
        case types.count:
            let url = PostgresURL(text)
            check(!url.shown.isEmpty || text.isEmpty, "a URL shows as nothing")
            checkMasked(url.shown, of: text)
        case types.count + 1:
            checkMasked(Secrets.masked(text), of: text)
        case let k:
            let value = PostgresText.value(text, as: types[k])
            if types[k] == .string { check(value == .string(text), "a text value changed") }
        }
    }

    /// A password in a plain URL (`scheme://user:password@host/…`, letters and digits, 8 or more of them, found nowhere
    /// else in the text) must not survive masking.
    static func checkMasked(_ shown: String, of text: String) {
        let parts = text.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty, parts[0].dropLast().allSatisfy(\.isLetter) else { return }
        let authority = parts[2].split(separator: "@", omittingEmptySubsequences: false)
        guard authority.count == 2, let credentials = Optional(authority[0].split(separator: ":", omittingEmptySubsequences: false)),
              credentials.count == 2, !credentials[0].isEmpty, !authority[1].isEmpty else { return }
        let plain = { (s: Substring) in s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") } }
        let password = credentials[1]
        // The same letters elsewhere in the text (a path, a parameter) are not a password and stay.
        guard password.count >= 8, plain(password), plain(credentials[0]), plain(authority[1]),
              text.components(separatedBy: password).count == 2 else { return }
        check(!shown.contains(password), "a password survived masking")
    }

    static func check(_ condition: Bool, _ finding: String) {
        if !condition { fatalError(finding) }
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzPostgres_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzPostgres.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzPostgres.run) }
}
#endif
