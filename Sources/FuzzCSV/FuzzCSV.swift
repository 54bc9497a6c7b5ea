import FuzzSupport
import TallyCore

/// libFuzzer target: any bytes as a CSV file, read as comma- and tab-separated. Errors are expected; traps are findings.
enum FuzzCSV {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        for delimiter in [UInt8(ascii: ","), 9] {
            _ = try? CSVReader(delimiter: delimiter).parse(Array(bytes), file: "<fuzz>")
        }
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzCSV_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzCSV.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzCSV.run) }
}
#endif
