import TallyCore
import Dispatch
import CCodecs
import Foundation

/// A binary columnar snapshot of tables (`tally pack`, `tally --db`). Every byte is covered by a check:
///
///     magic "TALLYDB\0" · version u32 · header length u64 · header checksum u64 · header · column data …
///
/// The header lists the tables (name, rows, column count) and their columns (name, type, the sizes of its values,
/// validity words and dictionary, and a checksum of those three); it is verified before any of it is believed.
/// Opening then reads each array with one positioned read straight into its final storage and verifies it. A
/// truncated or damaged file is an error naming the file (and the column, where one is damaged).
public enum Snapshot {
    static let magic = Array("TALLYDB\u{0}".utf8)
    static let version: UInt32 = 4

    /// A snapshot that cannot be read.
    public struct Failure: Error, CustomStringConvertible {
        public let file: String
        public let message: String
        public var description: String { "\(file): error: \(message)" }
    }

    // MARK: Writing

    /// One column's parts as they go into the file.
    struct ColumnParts {
        let name: String
        let column: Column
        let dictionary: Data
        var payloadSize: Int { column.count * (column.type == .string ? 4 : 8) }
        var validitySize: Int { column.validity.map { $0.words.count * 8 } ?? 0 }

        init(_ name: String, _ column: Column) {
            self.name = name
            self.column = column
            var d = Data()
            if column.type == .string {
                d.append(le: UInt32(column.dictionary.count))
                for s in column.dictionary { d.append(string: s) }
            }
            dictionary = d
        }

        var checksum: UInt64 {
            let payload: UInt64
            switch column.type {
            case .float: payload = column.floats.withUnsafeBytes { Snapshot.checksum($0) }
            case .string: payload = column.codes.withUnsafeBytes { Snapshot.checksum($0) }
            default: payload = column.ints.withUnsafeBytes { Snapshot.checksum($0) }
            }
            let validity = column.validity.map { v in v.words.withUnsafeBytes { Snapshot.checksum($0) } } ?? Snapshot.checksum(Data())
            return payload ^ validity &* 31 ^ Snapshot.checksum(dictionary) &* 17
        }
    }

    public static func write(_ tables: [(String, Table)], to path: String) throws {
        let created = FileManager.default.fileExists(atPath: path) || FileManager.default.createFile(atPath: path, contents: nil)
        guard created, let out = FileHandle(forWritingAtPath: path) else {
            throw Failure(file: path, message: "cannot create the file")
        }
        defer { try? out.close() }
        try out.truncate(atOffset: 0)
        let parts = tables.map { t in zip(t.1.names, t.1.columns).map { ColumnParts($0, $1) } }
        var header = Data()
        header.append(le: UInt32(tables.count))
        for ((name, table), columns) in zip(tables, parts) {
            header.append(string: name)
            header.append(le: UInt64(table.rowCount))
            header.append(le: UInt32(columns.count))
            for c in columns {
                header.append(string: c.name)
                header.append(typeCode(c.column.type))
                header.append(le: UInt64(c.payloadSize))
                header.append(le: UInt64(c.validitySize))
                header.append(le: UInt64(c.dictionary.count))
                header.append(le: c.checksum)
            }
        }
        var start = Data(magic)
        start.append(le: version)
        start.append(le: UInt64(header.count))
        start.append(le: checksum(header))
        try out.write(contentsOf: start + header)
        for c in parts.joined() {
            switch c.column.type {
            case .float: try c.column.floats.withUnsafeBytes { try out.write(contentsOf: Data($0)) }
            case .string: try c.column.codes.withUnsafeBytes { try out.write(contentsOf: Data($0)) }
            default: try c.column.ints.withUnsafeBytes { try out.write(contentsOf: Data($0)) }
            }
            if let v = c.column.validity { try v.words.withUnsafeBytes { try out.write(contentsOf: Data($0)) } }
            try out.write(contentsOf: c.dictionary)
        }
    }

    static func typeCode(_ t: DataType) -> UInt8 { UInt8(DataType.allCases.firstIndex(of: t)!) }

    /// The CRC-32 (zlib's, IEEE 802.3 polynomial) of a part, for damage detection. It finds every burst of errors up to
    /// 32 bits long, every pair of flipped bits up to 4,294,967,263 bits apart and every three flipped bits within
    /// 91,607 bits (Koopman's Hamming distances for this polynomial). Unlike the sum it replaces, it depends on where
    /// each byte is, so swapped words or blocks and opposite flips change it; any other damage passes with a chance
    /// of 2^-32.
    static func checksum(_ d: Data) -> UInt64 {
        d.withUnsafeBytes { checksum(UnsafeRawBufferPointer($0)) }
    }

    static func checksum(_ b: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = b.baseAddress, b.count > 0 else { return UInt64(tly_crc32(nil, 0)) }
        return UInt64(tly_crc32(base.assumingMemoryBound(to: UInt8.self), b.count))
    }

    // MARK: Reading

    /// Where one column's parts lie in the file, from its header.
    struct ColumnEntry: Sendable {
        let table: String
        let name: String
        let type: DataType
        let rows: Int
        let payload: Int, validity: Int, dictionary: Int
        let offset: UInt64
        let checksum: UInt64
        var what: String { "column `\(table).\(name)`" }
    }

    /// A snapshot's verified header: each table's rows and where its columns lie, in the file as it was when read.
    struct Layout {
        let path: String
        let identity: FileIdentity
        let tables: [(name: String, rows: Int, columns: [ColumnEntry])]
    }

    /// Every table of a snapshot, of which only the header is read (and verified) now; each column is read the first
    /// time a query uses it.
    public static func open(path: String) throws -> [(String, SnapshotTable)] {
        let layout = try layout(path: path)
        return layout.tables.map { ($0.name, SnapshotTable(layout, $0.name, rows: $0.rows, columns: $0.columns)) }
    }

    /// Every table in a snapshot, in the order written, with every column read and verified (in parallel, each array
    /// with one positioned read straight into its storage).
    public static func read(path: String) throws -> [(String, Table)] {
        let layout = try layout(path: path)
        let all = layout.tables.flatMap(\.columns)
        let columns = try readColumns(all, of: layout)
        var k = 0
        var tables: [(String, Table)] = []
        for t in layout.tables {
            tables.append((t.name, Table(names: t.columns.map(\.name), columns: Array(columns[k..<k + t.columns.count]), rowCount: t.rows)))
            k += t.columns.count
        }
        return tables
    }

    /// The given columns of a snapshot, each on its own core; an error when the file changed since its header was read.
    static func readColumns(_ entries: [ColumnEntry], of layout: Layout) throws -> [Column] {
        let path = layout.path
        let fd = Foundation.open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(file: path, message: "the file can no longer be read; open it again") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, FileIdentity(info) == layout.identity else {
            throw Failure(file: path, message: "the file has changed since it was opened; open it again")
        }
        var results = [Result<Column, Error>](repeating: .failure(Failure(file: path, message: "")), count: entries.count)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: entries.count) { k in
                out[k] = Result { try readColumn(entries[k], fd: fd, file: path) }
            }
        }
        return try results.map { try $0.get() }
    }

    /// The header of a snapshot, verified: magic, version, checksum, and column sizes that add up to the file's size.
    static func layout(path: String) throws -> Layout {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(file: path, message: "cannot open the file") }
        defer { try? handle.close() }
        var info = stat()
        guard fstat(handle.fileDescriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw Failure(file: path, message: "not a regular file; a snapshot is a file written by `tally pack`")
        }
        let size = UInt64(info.st_size)
        var r = Reader(handle: handle, file: path)
        guard try r.bytes(magic.count, what: "the header") == Data(magic) else {
            throw Failure(file: path, message: "not a Tally snapshot (bad magic number)")
        }
        let v: UInt32 = try r.integer(what: "the header")
        guard v == version else { throw Failure(file: path, message: "snapshot version \(v), this Tally reads version \(version)") }
        let headerSize: UInt64 = try r.integer(what: "the header")
        let headerSum: UInt64 = try r.integer(what: "the header")
        guard headerSize <= size - UInt64(r.offset) else { throw r.damaged("the header") }
        let header = try r.bytes(Int(headerSize), what: "the header")
        guard checksum(header) == headerSum else { throw Failure(file: path, message: "the header is damaged (checksum mismatch)") }
        var h = Reader(data: header, file: path)
        var offset = UInt64(r.offset)
        let tableCount: UInt32 = try h.integer(what: "the header")
        var tables: [(name: String, rows: Int, columns: [ColumnEntry])] = []
        for _ in 0..<tableCount {
            let name = try h.string(what: "a table header")
            let rows = try h.size(what: "table `\(name)`")
            let columnCount: UInt32 = try h.integer(what: "table `\(name)`")
            guard rows < 1 << 40, columnCount < 1 << 16 else { throw h.damaged("table `\(name)`") }
            var entries: [ColumnEntry] = []
            for _ in 0..<columnCount {
                let entry = try readColumnHeader(&h, table: name, rows: rows, offset: offset)
                offset = entry.offset + UInt64(entry.payload + entry.validity + entry.dictionary)
                guard offset <= size else { throw r.damaged(entry.what) }
                entries.append(entry)
            }
            tables.append((name, rows, entries))
        }
        guard h.offset == header.count, offset == size else { throw Failure(file: path, message: "the file has \(size) bytes, its header describes \(offset)") }
        return Layout(path: path, identity: FileIdentity(info), tables: tables)
    }

    static func readColumnHeader(_ r: inout Reader, table: String, rows: Int, offset: UInt64) throws -> ColumnEntry {
        let name = try r.string(what: "a column header of `\(table)`")
        let what = "column `\(table).\(name)`"
        let code: UInt8 = try r.integer(what: what)
        guard Int(code) < DataType.allCases.count else { throw r.damaged(what) }
        let type = DataType.allCases[Int(code)]
        let payload = try r.size(what: what), validity = try r.size(what: what), dictionary = try r.size(what: what)
        let checksum: UInt64 = try r.integer(what: what)
        let width = type == .string ? 4 : 8
        guard payload == rows * width, validity == 0 || validity == (rows + 63) / 64 * 8, dictionary < 1 << 40 else { throw r.damaged(what) }
        return ColumnEntry(table: table, name: name, type: type, rows: rows, payload: payload, validity: validity,
                           dictionary: dictionary, offset: offset, checksum: checksum)
    }

    /// `count` values at `offset`, read with one positioned read into a new array; nil if the file is short.
    static func array<T>(_ type: T.Type, count: Int, fd: Int32, offset: UInt64) -> [T]? {
        let byteCount = count * MemoryLayout<T>.stride
        var complete = true
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            HugePages.advise(raw)
            var done = 0
            while done < byteCount {
                let got = pread(fd, raw.baseAddress! + done, byteCount - done, off_t(offset) + off_t(done))
                if got <= 0 { complete = false; break }
                done += got
            }
            if !complete { raw.initializeMemory(as: UInt8.self, repeating: 0) }
            initialized = count
        }
        return complete ? values : nil
    }

    static func readColumn(_ e: ColumnEntry, fd: Int32, file: String) throws -> Column {
        let damaged = Failure(file: file, message: "\(e.what) is damaged or the file is truncated")
        var column: Column
        var sum: UInt64
        switch e.type {
        case .float:
            guard let v = array(Double.self, count: e.rows, fd: fd, offset: e.offset) else { throw damaged }
            sum = v.withUnsafeBytes { checksum($0) }
            column = Column(floats: v)
        case .string:
            guard let v = array(Int32.self, count: e.rows, fd: fd, offset: e.offset) else { throw damaged }
            sum = v.withUnsafeBytes { checksum($0) }
            column = Column(codes: v, dictionary: [""])
        default:
            guard let v = array(Int64.self, count: e.rows, fd: fd, offset: e.offset) else { throw damaged }
            sum = v.withUnsafeBytes { checksum($0) }
            column = Column(ints: v, type: e.type)
            column.zones = ZoneMap(column)
        }
        var validitySum = checksum(Data())
        if e.validity > 0 {
            guard let words = array(UInt64.self, count: e.validity / 8, fd: fd, offset: e.offset + UInt64(e.payload)) else { throw damaged }
            validitySum = words.withUnsafeBytes { checksum($0) }
            var bitmap = Bitmap(count: e.rows, value: true)
            for i in 0..<e.rows where words[i >> 6] & (1 << UInt64(i & 63)) == 0 { bitmap[i] = false }
            column.validity = bitmap
        }
        guard let dictionaryBytes = array(UInt8.self, count: e.dictionary, fd: fd, offset: e.offset + UInt64(e.payload + e.validity)) else { throw damaged }
        let dictionaryData = Data(dictionaryBytes)
        guard sum ^ validitySum &* 31 ^ checksum(dictionaryData) &* 17 == e.checksum else {
            throw Failure(file: file, message: "\(e.what) is damaged (checksum mismatch)")
        }
        if e.type == .string {
            var d = Reader(data: dictionaryData, file: file)
            let count: UInt32 = try d.integer(what: e.what)
            column.dictionary = try (0..<count).map { _ in try d.string(what: e.what) }
            if column.dictionary.isEmpty { column.dictionary = [""] }
            let size = Int32(column.dictionary.count)
            let (lo, hi) = column.codes.withUnsafeBufferPointer { c in c.reduce((Int32.max, Int32.min)) { (min($0.0, $1), max($0.1, $1)) } }
            guard column.codes.isEmpty || (lo >= 0 && hi < size) else { throw damaged }
        }
        return column
    }

    /// Sequential reads from a snapshot file (or from an in-memory part of it).
    struct Reader {
        var handle: FileHandle?
        var data: Data?
        var offset = 0
        let file: String

        init(handle: FileHandle, file: String) {
            self.handle = handle
            self.file = file
        }

        init(data: Data, file: String) {
            self.data = data
            self.file = file
        }

        func damaged(_ what: String) -> Failure { Failure(file: file, message: "\(what) is damaged or the file is truncated") }

        mutating func bytes(_ n: Int, what: String) throws -> Data {
            if n == 0 { return Data() }
            let d: Data
            if let data {
                guard offset + n <= data.count else { throw damaged(what) }
                d = data.subdata(in: (data.startIndex + offset)..<(data.startIndex + offset + n))
            } else {
                guard let read = try? handle!.read(upToCount: n), read.count == n else { throw damaged(what) }
                d = read
            }
            offset += n
            return d
        }

        /// A count or a size in bytes: a 64-bit integer no file of this format can exceed 2^40 of (an absurd one is damage,
        /// never a trap converting it).
        mutating func size(what: String) throws -> Int {
            let n: UInt64 = try integer(what: what)
            guard n < 1 << 40 else { throw damaged(what) }
            return Int(n)
        }

        mutating func integer<T: FixedWidthInteger>(what: String) throws -> T {
            let d = try bytes(MemoryLayout<T>.size, what: what)
            return T(littleEndian: d.withUnsafeBytes { $0.loadUnaligned(as: T.self) })
        }

        mutating func string(what: String) throws -> String {
            let n = Int(try integer(what: what) as UInt32)
            guard n < 1 << 30 else { throw damaged(what) }
            return String(decoding: try bytes(n, what: what), as: UTF8.self)
        }
    }
}

extension Data {
    mutating func append<T: FixedWidthInteger>(le value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func append(string: String) {
        let bytes = Array(string.utf8)
        append(le: UInt32(bytes.count))
        append(contentsOf: bytes)
    }
}
