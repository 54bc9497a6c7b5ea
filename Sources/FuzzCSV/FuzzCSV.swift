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
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzCSV.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// The program's entry (SwiftPM names an executable's `main` after its module): libFuzzer's driver.
@_cdecl("FuzzCSV_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector) { data, size in fuzzCSV(data, size) }
}
#endif
