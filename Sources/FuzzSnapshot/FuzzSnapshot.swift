import Foundation
import FuzzSupport
import TallyCore
import TallyFormats

/// libFuzzer target: any bytes as a snapshot file (`tally --db`), read whole and column by column. Every damaged input
/// must be a `Snapshot.Failure`.
enum FuzzSnapshot {
    static let path = NSTemporaryDirectory() + "tally-fuzz-\(getpid()).tally"

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        _ = try? Snapshot.read(path: path)
        // As `tally --db` opens it: the header now, each column when a query first reads it.
        for (_, table) in (try? Snapshot.open(path: path)) ?? [] {
            for position in table.names.indices { _ = try? table.read([position]) }
        }
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzSnapshot_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzSnapshot.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzSnapshot.run) }
}
#endif
