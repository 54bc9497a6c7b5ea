import FuzzSupport
import Foundation
import TallyCore
import TallyFormats

/// libFuzzer target: any bytes as an .xlsx workbook (zip directory, inflate, XML parts). Errors are expected;
/// traps are findings.
enum FuzzExcel {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        _ = try? XLSXReader.read(data: Data(bytes), file: "<fuzz>")
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzExcel_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzExcel.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzExcel.run) }
}
#endif
