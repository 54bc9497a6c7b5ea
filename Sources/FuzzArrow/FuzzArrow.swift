import FuzzSupport
import TallyCore
import TallyFormats

/// libFuzzer target: any bytes as an Arrow IPC stream of a Spark Connect result (messages, FlatBuffers headers, buffers),
/// read into a table as the Spark backend does. Errors are expected; traps and huge allocations are findings.
enum FuzzArrow {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let stream = try? ArrowStream(Array(bytes.bindMemory(to: UInt8.self))[...]) else { return }
        var table = ArrowTableBuilder(names: stream.fields.map(\.name), types: stream.fields.map(\.type.tallyType))
        try? table.append(stream)
        _ = table.finish()
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzArrow_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzArrow.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzArrow.run) }
}
#endif
