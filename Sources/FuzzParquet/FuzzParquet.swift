import FuzzSupport
import TallyCore
import TallyFormats

/// libFuzzer target: any bytes as a Parquet file (footer, page headers, encodings, codecs). Errors are expected;
/// traps are findings.
enum FuzzParquet {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        _ = try? ParquetReader.parse(bytes.bindMemory(to: UInt8.self), file: "<fuzz>")
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzParquet_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzParquet.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzParquet.run) }
}
#endif
