import FuzzSupport
import TallyCore
import TallyFormats

/// Structure-aware libFuzzer target for Parquet pages: a small file Tally writes (every type, nulls, a dictionary, two
/// row groups) keeps its valid footer, and the input is XORed onto its pages (zeros leave them as written), so every
/// mutation reaches the page headers, levels, encodings and codecs. The first input byte picks the compression.
/// Errors are expected; traps are findings.
enum FuzzParquetPages {
    static let table: Table = {
        let rows = 40
        func valid(_ k: Int) -> Bool { k % 7 != 3 }
        func bits(_ f: (Int) -> Bool) -> Bitmap {
            var b = Bitmap(count: 0, value: true)
            for k in 0..<rows { b.append(f(k)) }
            return b
        }
        return Table(names: ["i", "f", "b", "d", "s"], columns: [
            Column(ints: (0..<rows).map { Int64($0 * 1_000_003 - 7) }, validity: bits(valid)),
            Column(floats: (0..<rows).map { Double($0) / 3 }, validity: bits { $0 % 5 != 1 }),
            Column(ints: (0..<rows).map { Int64($0 % 2) }, type: .bool, validity: bits(valid)),
            Column(ints: (0..<rows).map { Int64(20_000 + $0) }, type: .date),
            Column(codes: (0..<rows).map { Int32($0 % 4) }, dictionary: ["north", "south", "é", ""], validity: bits { $0 % 6 != 0 }),
        ], rowCount: rows)
    }()

    static let templates: [[UInt8]] = ParquetWriter.Compression.allCases.compactMap { try? ParquetWriter.bytes(table, compression: $0, rowsPerGroup: 25) }

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let choice = bytes.first, !templates.isEmpty else { return }
        var file = templates[Int(choice) % templates.count]
        let footerLength = (0..<4).reduce(0) { $0 | Int(file[file.count - 8 + $1]) << (8 * $1) }
        let pages = 4..<(file.count - 8 - footerLength)
        for (offset, byte) in bytes.dropFirst().prefix(pages.count).enumerated() { file[pages.lowerBound + offset] ^= byte }
        _ = try? file.withUnsafeBufferPointer { try ParquetReader.parse($0, file: "<fuzz>") }
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzParquetPages_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzParquetPages.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzParquetPages.run) }
}
#endif
