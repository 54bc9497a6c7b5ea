import Foundation
@testable import TallyCore
@testable import TallyFormats
import XCTest

final class CSVReaderTests: XCTestCase {
    func parse(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> Table {
        try CSVReader(delimiter: delimiter).parse(Array(text.utf8), file: "t.csv")
    }

    func testInfersTypesAndNulls() throws {
        let t = try parse("i,f,b,d,p,s\n1,1.5,true,2025-01-02,2025-11,x\n,2,false,,2025-12,\n")
        XCTAssertEqual(t.types, [.int, .float, .bool, .date, .period, .string])
        XCTAssertTrue(t.columns[0].isNull(1))
        XCTAssertEqual(t.columns[1].value(at: 1), .float(2))
        XCTAssertTrue(t.columns[5].isNull(1))
    }

    func testQuotingCRLFAndBOM() throws {
        let t = try parse("\u{FEFF}a,b\r\n\"x, \"\"y\"\"\",\"line\nbreak\"\r\n\"\",2\r\n")
        XCTAssertEqual(t.names, ["a", "b"])
        XCTAssertEqual(t.columns[0].value(at: 0), .string("x, \"y\""))
        XCTAssertEqual(t.columns[1].value(at: 0), .string("line\nbreak"))
        XCTAssertEqual(t.columns[0].value(at: 1), .string(""), "a quoted empty field is an empty string, not null")
    }

    func testWidensLateInTheFile() throws {
        let t = try parse("a,b\n1,1\n2,2\n3.5,x\n")
        XCTAssertEqual(t.types, [.float, .string])
        XCTAssertEqual(t.columns[0].value(at: 0), .float(1))
    }

    func testTabSeparated() throws {
        let t = try parse("a\tb\n1\thello, world\n", delimiter: 9)
        XCTAssertEqual(t.columns[1].value(at: 0), .string("hello, world"))
    }

    func testErrorsNameLineAndColumn() {
        XCTAssertThrowsError(try parse("a,b\n1,2\n3\n")) { e in
            let err = e as! CSVError
            XCTAssertEqual([err.line, err.column], [3, 2])
        }
        XCTAssertThrowsError(try parse("a,b\n1,\"x\n")) { e in XCTAssertEqual((e as! CSVError).line, 2) }
        XCTAssertThrowsError(try CSVReader().parse([0x61, 0x0A, 0x62, 0xC3, 0x28, 0x0A], file: "t.csv")) { e in
            XCTAssertEqual([(e as! CSVError).line, (e as! CSVError).column], [2, 2])
        }
        XCTAssertThrowsError(try parse("a,a\n1,2\n"))
        XCTAssertThrowsError(try parse(""))
    }

    func testHugeIntegersFallBackToFloat() throws {
        let t = try parse("n\n99999999999999999999\n")
        XCTAssertEqual(t.types, [.float])
    }

    func testWritingAFileInBlocksWritesTheWholeText() throws {
        let t = try parse("s,n,d\n\"a,b\",1,2025-01-02\nx,,2025-01-03\ny,3,\nz,4,2025-01-02\n")
        for block in [1, 2, 3, 4, 100] {
            let path = NSTemporaryDirectory() + "tally-blocks-\(getpid())-\(block).csv"
            FileManager.default.createFile(atPath: path, contents: nil)
            let file = try XCTUnwrap(FileHandle(forWritingAtPath: path))
            try CSVWriter.write(t, to: file, rowsPerBlock: block)
            try file.close()
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), CSVWriter.write(t), "blocks of \(block)")
            try FileManager.default.removeItem(atPath: path)
        }
    }

    func testWriterRoundTrips() throws {
        let t = try parse("s,n,f\n\"a,b\",1,2.5\n\"\",,\n")
        let again = try parse(CSVWriter.write(t))
        XCTAssertEqual(CSVWriter.write(again), CSVWriter.write(t))
        XCTAssertEqual(again.columns[0].value(at: 1), .string(""))
        XCTAssertTrue(again.columns[1].isNull(1))
    }

    /// Above 4 MiB the reader splits the file across cores; the split must read quotes as the tokenizer does, so a bare
    /// `"` in an unquoted field next to quoted multi-line fields neither fails nor shifts records.
    func testParallelSplitReadsQuotesLikeTheTokenizer() throws {
        var text = "id,size,note,tail\n"
        let n = 120_000
        for i in 0..<n { text += "\(i),5\" screen \(i),\"note \(i)\nsecond \"\"line\"\"\",end\n" }
        XCTAssertGreaterThan(text.utf8.count, 1 << 22)
        let t = try CSVReader().parse(Array(text.utf8), file: "big.csv")
        XCTAssertEqual(t.rowCount, n)
        for k in [0, 1, n / 2 - 1, n / 2, n / 2 + 1, n - 1] {
            XCTAssertEqual(t.columns[0].value(at: k), .int(Int64(k)))
            XCTAssertEqual(t.columns[1].value(at: k), .string("5\" screen \(k)"))
            XCTAssertEqual(t.columns[2].value(at: k), .string("note \(k)\nsecond \"line\""))
            XCTAssertEqual(t.columns[3].value(at: k), .string("end"))
        }
    }

    /// The parallel reader splits the records into pieces; every split must read what one piece reads, errors
    /// included. Random inputs from the characters that decide record boundaries: quotes, delimiters, line ends.
    /// Dictionaries of overlapping values (the empty one among them, enough to grow the tables many times) merge into one
    /// holding each value once in order of first appearance, each part's codes mapped to the same value.
    func testByteDictionariesMergeByValue() {
        var random = SplitMix64(seed: 3)
        var parts: [ByteDictionary] = [], values: [[String]] = []
        for _ in 0..<3 {
            var d = ByteDictionary(), seen: [String] = []
            for _ in 0..<40_000 {
                let value = random.next() % 50 == 0 ? "" : "id\(random.next() % 60_000)"
                let code = value.utf8.withContiguousStorageIfAvailable { d.code($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }!
                if Int(code) == seen.count { seen.append(value) }
                XCTAssertEqual(seen[Int(code)], value)
            }
            parts.append(d)
            values.append(seen)
        }
        let (dictionary, remaps) = ByteDictionary.merge(parts)
        var expected: [String] = [], known = Set<String>()
        for seen in values { for v in seen where known.insert(v).inserted { expected.append(v) } }
        XCTAssertEqual(dictionary, expected)
        for (seen, remap) in zip(values, remaps) { XCTAssertEqual(remap.map { dictionary[Int($0)] }, seen) }
    }

    func testEverySplitReadsWhatOnePieceReads() {
        var random = SplitMix64(seed: 20261130)
        let alphabet = ["a", "7", "2.5", ",", "\n", "\r\n", "\r", "\"", "\"\"", " ", "\t", "x y", "2025-11-03", "é"]
        var failures = 0, tables = 0
        for _ in 0..<3_000 {
            var text = "k,v,w\n"
            for _ in 0..<Int(random.next() % 60) { text += alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let bytes = Array(text.utf8)
            for delimiter in [UInt8(ascii: ","), 9] {
                let whole = Result { try CSVReader(delimiter: delimiter, pieces: 1).parse(bytes, file: "t.csv") }
                if case .success = whole { tables += 1 } else { failures += 1 }
                for pieces in [2, 3, 7] {
                    let split = Result { try CSVReader(delimiter: delimiter, pieces: pieces).parse(bytes, file: "t.csv") }
                    if let difference = CSVReading.difference(whole, split) {
                        return XCTFail("\(pieces) pieces differ on \(text.debugDescription): \(difference)")
                    }
                    let twoPasses = Result { try CSVReader(delimiter: delimiter, pieces: pieces, triesOnePass: false).parse(bytes, file: "t.csv") }
                    if let difference = CSVReading.difference(twoPasses, split) {
                        return XCTFail("one and two passes differ in \(pieces) pieces on \(text.debugDescription): \(difference)")
                    }
                }
            }
        }
        // Both outcomes must be exercised, or the comparison proves little.
        XCTAssertGreaterThan(tables, 500)
        XCTAssertGreaterThan(failures, 500)
    }

    /// Types are guessed from the first 10,000 records; what comes later can change them, and then the file is read
    /// again the two-pass way: the table is always the one two passes read.
    func testAGuessTheLaterRecordsContradictReadsAsTwoPassesRead() throws {
        let n = CSVReader.guessRecords + 5_000
        let cases: [(String, (Int) -> String, DataType, onePass: Bool)] = [
            ("an int column with a float late", { $0 == n - 3 ? "2.5" : "\($0)" }, .float, false),
            ("a column empty at first, ints later", { $0 < 11_000 ? "" : "\($0)" }, .int, false),
            ("dates, then one word", { $0 == n - 1 ? "soon" : "2025-11-0\($0 % 9 + 1)" }, .string, false),
            ("text first, then numbers", { $0 < 3 ? "x" : "\($0)" }, .string, true),
            ("ints and a quoted number", { $0 == 12_345 ? "\"7\"" : "\($0)" }, .string, false),
            ("ints with a few empty", { $0 % 1_000 == 7 ? "" : "\($0)" }, .int, true),
        ]
        for (name, value, type, onePass) in cases {
            let bytes = Array(("id,v\n" + (0..<n).map { "\($0),\(value($0))\n" }.joined()).utf8)
            let read = bytes.withUnsafeBufferPointer { b in
                CSVReader().singlePass(b, CSVReader().split(b, from: 5, parts: 2), names: ["id", "v"], release: { _ in })
            }
            XCTAssertEqual(read != nil, onePass, "\(name): read in one pass")
            for pieces in [1, 2, 3] {
                let one = Result { try CSVReader(pieces: pieces).parse(bytes, file: "t.csv") }
                let two = Result { try CSVReader(pieces: pieces, triesOnePass: false).parse(bytes, file: "t.csv") }
                XCTAssertNil(CSVReading.difference(two, one), "\(name), \(pieces) pieces")
                XCTAssertEqual(try one.get().types, [.int, type], name)
            }
        }
    }

    func testSurrogatesAndOverlongFormsAreNotUTF8() {
        for bad: [UInt8] in [[0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]] {
            let bytes = Array("a\nx".utf8) + bad + Array("y\n".utf8)
            XCTAssertThrowsError(try CSVReader().parse(bytes, file: "t.csv"), "\(bad)") { e in
                XCTAssertTrue("\(e)".contains("invalid UTF-8"), "\(e)")
            }
        }
        XCTAssertNoThrow(try CSVReader().parse(Array("a\n\u{D7FF}\u{E000}\u{10FFFF}\n".utf8), file: "t.csv"))
    }
}
