import TallyCore
import Dispatch
import Foundation

/// Reads RFC 4180 CSV (or TSV) with a header row into a typed ``Table``.
///
/// Types are inferred per column (int, float, bool, date, period, string); an empty field is null,
/// a quoted empty field an empty string; a column mixing int and float becomes float, any other mix
/// string. One pass over the bytes split across the cores at record boundaries, with the types guessed from the first
/// records and checked against every value (``singlePass``); when the guess is wrong or the bytes have a problem, two
/// passes — classify, then parse into typed arrays — which also report errors. Strings are interned from their bytes.
public struct CSVReader {
    public let delimiter: UInt8
    /// How many pieces the records are split into and read in parallel; nil chooses by size (files above 4 MiB use
    /// every core). Any count must read the same table as one piece.
    public let pieces: Int?
    /// Whether to try one pass with guessed types first (the default); without it, the two passes every one-pass
    /// reading must agree with, which tests and the fuzz target compare it against.
    public let triesOnePass: Bool

    public init(delimiter: UInt8 = UInt8(ascii: ","), pieces: Int? = nil, triesOnePass: Bool = true) {
        self.delimiter = delimiter
        self.pieces = pieces.map { max(1, $0) }
        self.triesOnePass = triesOnePass
    }

    /// Reads a file (memory-mapped, parsed pages given back as it goes); a tab delimiter for `.tsv` files.
    public static func read(path: String) throws -> Table {
        // Only regular files (or links to them): a FIFO or a device would block or never end.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw CSVError(file: path, line: 0, column: 0, message: "not a regular file; only regular CSV/TSV files load")
        }
        guard let file = MappedFile(path: path) else {
            throw CSVError(file: path, line: 0, column: 0, message: "cannot read file `\(path)`: no such file or not readable")
        }
        let reader = CSVReader(delimiter: path.lowercased().hasSuffix(".tsv") ? 9 : UInt8(ascii: ","))
        return try withExtendedLifetime(file) { try reader.parse(file.bytes, file: path, release: file.release) }
    }

    /// Parses CSV bytes; `file` names the source in errors.
    public func parse(_ bytes: [UInt8], file: String) throws -> Table {
        try bytes.withUnsafeBufferPointer { try parse($0, file: file, release: { _ in }) }
    }

    func parse(_ b: UnsafeBufferPointer<UInt8>, file: String, release: @escaping (Range<Int>) -> Void) throws -> Table {
        do {
            return try parseOrFault(b, release: release)
        } catch let fault as CSVFault {
            let (line, column) = position(of: fault.offset, in: b)
            throw CSVError(file: file, line: line, column: column, message: fault.message)
        }
    }

    func parseOrFault(_ b: UnsafeBufferPointer<UInt8>, release: @escaping (Range<Int>) -> Void) throws -> Table {
        let start = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard b.count > start else { throw CSVFault(offset: 0, message: "empty file: a header row is needed") }
        if let bad = firstInvalidUTF8(b, start..<min(b.count, 1 << 16)) {
            throw CSVFault(offset: bad, message: "invalid UTF-8 byte 0x\(String(b[bad], radix: 16))")
        }
        var header = CSVTokenizer(bytes: b, delimiter: delimiter, position: start)
        var names: [String] = []
        var taken = Set<String>()
        repeat {
            let f = try header.field()
            let name = header.text(f)
            if name.isEmpty { throw CSVFault(offset: f.start, message: "column \(names.count + 1) has an empty name in the header") }
            if !taken.insert(name).inserted { throw CSVFault(offset: f.start, message: "duplicate column name `\(name)` in the header") }
            names.append(name)
        } while !header.atRecordEnd
        let chunks = split(b, from: header.position, parts: pieces ?? (b.count > 1 << 22 ? ProcessInfo.processInfo.activeProcessorCount : 1))
        let columns = names.count
        if triesOnePass, let table = singlePass(b, chunks, names: names, release: release) { return table }

        // Pass 1: validate and classify, per chunk.
        var scans = [Result<ChunkScan, Error>](repeating: .failure(CSVFault(offset: 0, message: "")), count: chunks.count)
        scans.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                out[k] = Result { try scan(b, chunks[k], columns: columns, release: release) }
            }
        }
        var kinds = [UInt8](repeating: 0, count: columns)
        var rows: [Int] = []
        for s in scans {
            let scan = try s.get()
            for c in 0..<columns { kinds[c] |= scan.kinds[c] }
            rows.append(scan.rows)
        }
        let types = kinds.map(CSVValues.type(for:))

        // Pass 2: parse straight into each column's final buffer, each chunk at its own row offset.
        let total = rows.reduce(0, +)
        var offsets = [0]
        for r in rows { offsets.append(offsets.last! + r) }
        let sinks = types.map { ColumnSink(type: $0, count: total) }
        var dictionaries = [[ByteDictionary]](repeating: [], count: chunks.count)
        dictionaries.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                out[k] = load(b, chunks[k], into: sinks, at: offsets[k], release: release)
            }
        }
        // Pass 2 stops early when the user asks to stop: its columns are then incomplete and never returned.
        try Interruption.check()
        let built = (0..<columns).map { c in sinks[c].finish(dictionaries: dictionaries.map { $0[c] }, offsets: offsets) }
        return Table(names: names, columns: built, rowCount: total)
    }

    /// Splits the records after the header into `parts` ranges that start and end at record boundaries. The bytes are
    /// read with the tokenizer's rules (a quote opens a quoted field only at a field's start; `""` inside one is a quote;
    /// a bare `"` inside an unquoted field is text; CR or LF ends a record), so chunks start exactly where the
    /// sequential reader's records do. Only quotes change the state, so the walk jumps from quote to quote with
    /// `memchr` (a file without quotes is one search per part), then to the first line feed past each target.
    func split(_ b: UnsafeBufferPointer<UInt8>, from start: Int, parts: Int) -> [Range<Int>] {
        guard parts > 1, let base = b.baseAddress else { return [start..<b.count] }
        /// The first `byte` at or after `from`, or the end.
        func find(_ byte: UInt8, from: Int) -> Int {
            guard from < b.count, let hit = memchr(base + from, Int32(byte), b.count - from) else { return b.count }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        func opensField(_ quote: Int) -> Bool {
            quote == start || b[quote - 1] == delimiter || b[quote - 1] == 10 || b[quote - 1] == 13
        }
        var bounds = [start]
        var i = start
        for k in 1..<parts {
            let target = start + (b.count - start) * k / parts
            while i < b.count {
                let quote = find(0x22, from: i)
                // A line feed that ends a record at or past the target, before the next quote, is the boundary.
                let lineFeed = find(10, from: max(i, target - 1))
                if lineFeed < quote {
                    i = lineFeed + 1
                    break
                }
                guard quote < b.count else { i = b.count; break }
                i = quote + 1
                guard opensField(quote) else { continue }
                // Inside a quoted field: skip to its closing quote (a doubled one is a quote character).
                while i < b.count {
                    i = min(find(0x22, from: i) + 1, b.count)
                    if i < b.count, b[i] == 0x22 { i += 1 } else { break }
                }
            }
            bounds.append(i)
        }
        bounds.append(b.count)
        return (0..<parts).map { bounds[$0]..<max(bounds[$0], bounds[$0 + 1]) }
    }

    struct ChunkScan {
        var kinds: [UInt8]
        var rows: Int
    }

    /// Pass 1 over one chunk: UTF-8 check, field counts and the kinds each column's values read as.
    func scan(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, columns: Int, release: (Range<Int>) -> Void) throws -> ChunkScan {
        if let bad = firstInvalidUTF8(b, range) { throw CSVFault(offset: bad, message: "invalid UTF-8 byte 0x\(String(b[bad], radix: 16))") }
        var t = CSVTokenizer(bytes: UnsafeBufferPointer(rebasing: b[..<range.upperBound]), delimiter: delimiter, position: range.lowerBound)
        var kinds = [UInt8](repeating: 0, count: columns)
        var rows = 0
        let end = range.upperBound
        var released = range.lowerBound
        while t.position < end {
            let recordStart = t.position
            if recordStart - released > 1 << 25 {
                try Interruption.check()
                release(released..<recordStart)
                released = recordStart
            }
            var c = 0
            var lastEnd = recordStart
            repeat {
                let f = try t.field()
                if c < columns, f.length > 0 || f.quoted { kinds[c] |= CSVValues.classify(b, f) }
                if c == columns { throw CSVFault(offset: f.start - (f.quoted ? 1 : 0), message: "row has more fields than the header's \(columns)") }
                lastEnd = f.start + f.length
                c += 1
            } while !t.atRecordEnd
            if c == 1, lastEnd == recordStart, columns > 1 { continue }
            if c < columns { throw CSVFault(offset: lastEnd, message: "row has \(c) field\(c == 1 ? "" : "s"), the header has \(columns)") }
            rows += 1
        }
        return ChunkScan(kinds: kinds, rows: rows)
    }

    /// Pass 2 over one chunk: every value into its column's buffer; returns the chunk's string dictionaries.
    func load(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into sinks: [ColumnSink], at offset: Int,
              release: (Range<Int>) -> Void) -> [ByteDictionary] {
        var dictionaries = sinks.map { _ in ByteDictionary() }
        var nulls = sinks.map { _ in [Int]() }
        let targets = sinks.map(\.target)
        var t = CSVTokenizer(bytes: UnsafeBufferPointer(rebasing: b[..<range.upperBound]), delimiter: delimiter, position: range.lowerBound)
        let end = range.upperBound
        let columns = sinks.count
        var row = offset
        var released = range.lowerBound
        targets.withUnsafeBufferPointer { target in
            dictionaries.withUnsafeMutableBufferPointer { strings in
                nulls.withUnsafeMutableBufferPointer { nulls in
                    while t.position < end {
                        let recordStart = t.position
                        if recordStart - released > 1 << 25 {
                            if Interruption.isRequested() { break }
                            release(released..<recordStart)
                            released = recordStart
                        }
                        guard let first = try? t.field() else { break }
                        if t.atRecordEnd, first.length == 0, !first.quoted, columns > 1 { continue }
                        target[0].store(b, first, row: row, strings: &strings[0], nulls: &nulls[0])
                        var c = 1
                        while c < columns, let f = try? t.field() {
                            target[c].store(b, f, row: row, strings: &strings[c], nulls: &nulls[c])
                            c += 1
                        }
                        row += 1
                    }
                }
            }
        }
        release(released..<end)
        for c in 0..<columns { sinks[c].addNulls(nulls[c]) }
        return dictionaries
    }
}
