import Foundation
import TallyCore
import TallyFormats
import XCTest

final class SnapshotTests: XCTestCase {
    var path = ""

    override func setUp() { path = NSTemporaryDirectory() + "tally-snapshot-\(getpid()).tally" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: path) }

    func testRoundTripKeepsEveryValueAndNull() throws {
        let tables = DemoData.generate(scale: 300)
        try Snapshot.write(tables, to: path)
        let back = try Snapshot.read(path: path)
        XCTAssertEqual(back.map(\.0), tables.map(\.0))
        for ((_, a), (_, b)) in zip(tables, back) {
            XCTAssertEqual(CSVWriter.write(a), CSVWriter.write(b))
            XCTAssertEqual(a.types, b.types)
        }
    }

    func testASizeBeyondAnyFileIsDamageNotATrap() throws {
        // Found by the snapshot fuzz target: a column header whose payload size does not fit an Int trapped converting it.
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/snapshot/size-beyond-int.bin")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        XCTAssertThrowsError(try Snapshot.read(path: path)) { error in
            XCTAssertTrue(error is Snapshot.Failure, "\(error)")
            XCTAssertTrue("\(error)".contains("is damaged or the file is truncated"), "\(error)")
        }
    }

    func testTruncationAndDamageNameTheColumn() throws {
        try Snapshot.write(DemoData.generate(scale: 300), to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Snapshot.read(path: path)) { e in
            XCTAssertTrue("\(e)".contains("truncated"), "\(e)")
            XCTAssertTrue("\(e)".contains("column `"), "\(e)")
        }
        bytes[bytes.count - 100] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Snapshot.read(path: path)) { e in XCTAssertTrue("\(e)".contains("trainings"), "\(e)") }
        try Data("not a snapshot".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Snapshot.read(path: path)) { e in XCTAssertTrue("\(e)".contains("not a Tally snapshot"), "\(e)") }
    }

    /// A small snapshot with every kind of column and nulls.
    func smallSnapshot() throws -> Data {
        var names = ColumnBuilder(type: .string)
        for n in ["Ann", "Bo", "Ann"] { names.append(string: n) }
        var amounts = Column(floats: [1.5, 0, -2])
        amounts.validity = Bitmap(count: 3, value: true)
        amounts.validity?[1] = false
        let t = Table(names: ["id", "name", "amount", "day", "month"],
                      columns: [Column(ints: [1, 2, 3]), names.finish(), amounts, Column(ints: [20_000, 20_001, 20_002], type: .date),
                                Column(ints: [Period.month(2025, 1).encoded, Period.month(2025, 2).encoded, Period.month(2025, 3).encoded], type: .period)])
        try Snapshot.write([("t", t), ("empty", Table(names: ["x"], columns: [Column(ints: [])]))], to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func testEveryFlippedBitAndEveryTruncationIsAnErrorNamingTheFile() throws {
        let good = try smallSnapshot()
        XCTAssertNoThrow(try Snapshot.read(path: path))
        var opened = 0
        for i in good.indices {
            for bit in 0..<8 {
                var bad = good
                bad[i] ^= UInt8(1 << bit)
                try bad.write(to: URL(fileURLWithPath: path))
                do {
                    _ = try Snapshot.read(path: path)
                    opened += 1
                } catch let e as Snapshot.Failure {
                    XCTAssertEqual(e.file, path)
                }
            }
        }
        XCTAssertEqual(opened, 0, "damaged snapshots that opened without an error")
        for n in 0..<good.count {
            try good.prefix(n).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Snapshot.read(path: path), "truncated to \(n) bytes")
        }
        try (good + Data([0])).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Snapshot.read(path: path), "a byte appended")
    }

    func testOpeningReadsTheHeaderOnlyAndEachColumnWhenFirstUsed() throws {
        let good = try smallSnapshot()
        // Damage the last byte of the file: the `empty` table has no bytes, so it lies in `t.month`'s dictionary-less
        // payload, the last column written.
        var bad = good
        bad[bad.count - 1] ^= 0x01
        try bad.write(to: URL(fileURLWithPath: path))
        let tables = try Snapshot.open(path: path)
        XCTAssertEqual(tables.map(\.0), ["t", "empty"])
        let t = tables[0].1
        XCTAssertEqual(t.names, ["id", "name", "amount", "day", "month"])
        XCTAssertEqual(t.mayBeNull, [false, false, true, false, false])
        XCTAssertEqual(t.rowCount, 3)
        // The columns that are intact read; the damaged one is an error naming it, at the read that needs it.
        XCTAssertEqual(try t.read([2, 0]).columns.map { $0.count }, [3, 3])
        XCTAssertEqual(try t.read([1]).columns[0].dictionary, ["Ann", "Bo"])
        XCTAssertThrowsError(try t.read([0, 4])) { e in XCTAssertTrue("\(e)".contains("column `t.month` is damaged"), "\(e)") }
    }

    func testAFileChangedAfterOpeningIsAnErrorNotOtherRows() throws {
        _ = try smallSnapshot()
        let t = try Snapshot.open(path: path)[0].1
        XCTAssertEqual(try t.read([0]).columns[0].ints, [1, 2, 3])
        // Four rows, so the size differs too (modification times can be as coarse as the kernel's clock tick).
        var names = ColumnBuilder(type: .string)
        for n in ["w", "x", "y", "z"] { names.append(string: n) }
        let other = Table(names: ["id", "name", "amount", "day", "month"], columns: [
            Column(ints: [6, 7, 8, 9]), names.finish(), Column(floats: [1, 2, 3, 4]),
            Column(ints: [1, 2, 3, 4], type: .date), Column(ints: [1, 2, 3, 4], type: .period),
        ])
        try Snapshot.write([("t", other), ("empty", Table(names: ["x"], columns: [Column(ints: [])]))], to: path)
        XCTAssertEqual(try t.read([0]).columns[0].ints, [1, 2, 3], "a column read before is kept")
        XCTAssertThrowsError(try t.read([3])) { e in XCTAssertTrue("\(e)".contains("has changed since it was opened"), "\(e)") }
    }

    /// The damages a sum of words misses — two 4 KiB blocks of a column swapped, words 512 bytes apart swapped, opposite
    /// bit flips 64 words apart, bytes swapped at a dictionary's tail — are errors, as the CRC-32 finds them.
    func testSwapsAndOppositeFlipsAreErrors() throws {
        var names = ColumnBuilder(type: .string)
        for i in 0..<4_096 { names.append(string: "name-\(i % 300)") }
        let t = Table(names: ["amount", "name"], columns: [Column(floats: (0..<4_096).map { Double($0) + 0.25 }), names.finish()])
        try Snapshot.write([("t", t)], to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertNoThrow(try Snapshot.read(path: path))
        let first = withUnsafeBytes(of: (0.25).bitPattern.littleEndian) { Data($0) } + withUnsafeBytes(of: (1.25).bitPattern.littleEndian) { Data($0) }
        let floats = try XCTUnwrap(good.range(of: first)).lowerBound
        let dictionaryEnd = try XCTUnwrap(good.range(of: Data("name-299".utf8), options: .backwards)).upperBound
        func word(_ data: Data, _ k: Int) -> UInt64 {
            data.subdata(in: (floats + 8 * k)..<(floats + 8 * k + 8)).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }
        var damaged: [(String, Data)] = []
        var blocks = good
        blocks.replaceSubrange(floats..<(floats + 8_192), with: good[(floats + 4_096)..<(floats + 8_192)] + good[floats..<(floats + 4_096)])
        damaged.append(("two 4 KiB blocks swapped", blocks))
        var words = good
        words.replaceSubrange((floats + 80)..<(floats + 88), with: good[(floats + 592)..<(floats + 600)])
        words.replaceSubrange((floats + 592)..<(floats + 600), with: good[(floats + 80)..<(floats + 88)])
        damaged.append(("words 512 bytes apart swapped", words))
        let (a, b) = (word(good, 10), word(good, 74))
        let bit = try XCTUnwrap((0..<64).first { (a >> $0) & 1 == 0 && (b >> $0) & 1 == 1 })
        var flips = good
        flips[floats + 80 + bit / 8] ^= UInt8(1 << (bit % 8))
        flips[floats + 592 + bit / 8] ^= UInt8(1 << (bit % 8))
        damaged.append(("opposite flips 64 words apart", flips))
        var tail = good
        tail.swapAt(dictionaryEnd - 1, dictionaryEnd - 3)
        damaged.append(("dictionary tail bytes swapped", tail))
        for (what, data) in damaged {
            XCTAssertNotEqual(data, good, what)
            try data.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Snapshot.read(path: path), what) { XCTAssertTrue("\($0)".contains("damaged"), "\(what): \($0)") }
        }
    }
}
