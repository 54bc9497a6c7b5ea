import FuzzSupport
import TallyCore
import TallyEngine
import TallyWeb

/// libFuzzer target: any bytes as the target of an HTTP request to `tally serve` (`PATH?QUERY`): routed, its query string
/// decoded, and its values checked against the parameters of a script with a month, a date, a number and a percentage.
/// Every input must end in a route, a refusal or values; a trap is a finding. Built by `Fuzz/run serve-request`.
enum FuzzServeRequest {
    static let parameters = ScriptParameters(script: """
        -- A script with one parameter of each kind a form offers.
        param month = 2025-11
        param day = 2025-11-15
        param top = 10
        param price = 5%
        param quarter = 2025-Q4
        param name = "west"
        sales | where date in $month and amount > $top * (1 + $price) | take 5
        .run other month=$month
        """)

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let target = String(decoding: bytes, as: UTF8.self)
        let question = target.firstIndex(of: "?") ?? target.endIndex
        _ = ServeRoute(path: target[..<question])
        let query = question < target.endIndex ? target[target.index(after: question)...] : ""
        guard let parsed = try? QueryString(parsing: query) else { return }
        _ = QueryString(pairs: parsed.pairs).encoded
        _ = parameters.values(from: parsed.pairs)
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzServeRequest_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzServeRequest.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzServeRequest.run) }
}
#endif
