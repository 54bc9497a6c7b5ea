import FuzzSupport
import TallyCore
import TallyFormats

/// Structure-aware libFuzzer target for workbooks: the input is a workbook's XML parts joined by NUL bytes (which XML
/// cannot hold), so every mutation reaches the XML readers instead of failing the zip's checks. Errors are expected;
/// traps are findings. Fuzz/run seeds it with the parts of the committed workbooks.
enum FuzzExcelParts {
    /// The parts in the order the input gives them.
    static let paths = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml",
                        "xl/worksheets/sheet2.xml"]

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let pieces = bytes.split(separator: 0, maxSplits: paths.count - 1, omittingEmptySubsequences: false)
        var parts: [String: [UInt8]] = [:]
        for (path, piece) in zip(paths, pieces) where !piece.isEmpty { parts[path] = Array(piece) }
        _ = try? XLSXReader.read(parts: parts, file: "<fuzz>")
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzExcelParts_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzExcelParts.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzExcelParts.run) }
}
#endif
