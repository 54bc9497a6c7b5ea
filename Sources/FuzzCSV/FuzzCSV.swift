import FuzzSupport
import TallyCore
import TallyFormats

/// libFuzzer target: any bytes as a CSV file, read as comma- and tab-separated, in one piece and split in three as
/// the parallel reader splits large files, and with two passes only. Errors are expected; traps, and the readings
/// disagreeing, are findings.
enum FuzzCSV {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        for delimiter in [UInt8(ascii: ","), 9] {
            let whole = Result { try CSVReader(delimiter: delimiter, pieces: 1).parse(Array(bytes), file: "<fuzz>") }
            let split = Result { try CSVReader(delimiter: delimiter, pieces: 3).parse(Array(bytes), file: "<fuzz>") }
            if let difference = CSVReading.difference(whole, split) { fatalError("sequential and parallel readings differ: \(difference)") }
            let twoPasses = Result { try CSVReader(delimiter: delimiter, pieces: 3, triesOnePass: false).parse(Array(bytes), file: "<fuzz>") }
            if let difference = CSVReading.difference(split, twoPasses) { fatalError("one and two passes differ: \(difference)") }
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
