import Foundation

/// A binary columnar snapshot of tables (`tally pack`, `tally --db`): a versioned header, then per
/// column its raw typed array, validity words and dictionary, each column with a checksum. Opening
/// reads each array with one bulk read straight into its final storage; a truncated or damaged file
/// is an error naming the file and the column.
public enum Snapshot {
    static let magic = Array("TALLYDB\u{0}".utf8)
    static let version: UInt32 = 1

    /// A snapshot that cannot be read.
    public struct Failure: Error, CustomStringConvertible {
        public let file: String
        public let message: String
        public var description: String { "\(file): error: \(message)" }
    }

    // MARK: Writing

    public static func write(_ tables: [(String, Table)], to path: String) throws {
        guard let out = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) else {
            throw Failure(file: path, message: "cannot create the file")
        }
        defer { try? out.close() }
        try out.truncate(atOffset: 0)
        var header = Data(magic)
        header.append(le: version)
        header.append(le: UInt32(tables.count))
        try out.write(contentsOf: header)
        for (name, table) in tables {
            var t = Data()
            t.append(string: name)
            t.append(le: UInt64(table.rowCount))
            t.append(le: UInt32(table.columns.count))
            try out.write(contentsOf: t)
            for (columnName, column) in zip(table.names, table.columns) {
                try writeColumn(columnName, column, to: out)
            }
        }
    }

    static func typeCode(_ t: DataType) -> UInt8 { UInt8(DataType.allCases.firstIndex(of: t)!) }

    static func writeColumn(_ name: String, _ c: Column, to out: FileHandle) throws {
        var meta = Data()
        meta.append(string: name)
        meta.append(typeCode(c.type))
        let payload: Data
        switch c.type {
        case .float: payload = c.floats.withUnsafeBytes { Data($0) }
        case .string: payload = c.codes.withUnsafeBytes { Data($0) }
        default: payload = c.ints.withUnsafeBytes { Data($0) }
        }
        let validity = c.validity.map { v in v.words.withUnsafeBytes { Data($0) } } ?? Data()
        var dictionary = Data()
        if c.type == .string {
            dictionary.append(le: UInt32(c.dictionary.count))
            for s in c.dictionary { dictionary.append(string: s) }
        }
        meta.append(le: UInt64(payload.count))
        meta.append(le: UInt64(validity.count))
        meta.append(le: UInt64(dictionary.count))
        meta.append(le: checksum(payload) ^ checksum(validity) &* 31 ^ checksum(dictionary) &* 17)
        try out.write(contentsOf: meta)
        try out.write(contentsOf: payload)
        try out.write(contentsOf: validity)
        try out.write(contentsOf: dictionary)
    }

    /// A fast 64-bit checksum over whole words (then the tail bytes).
    static func checksum(_ d: Data) -> UInt64 {
        d.withUnsafeBytes { checksum(UnsafeRawBufferPointer($0)) }
    }

    static func checksum(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var i = 0
        let n = b.count
        var a: UInt64 = 0, c: UInt64 = 0
        while i + 16 <= n {
            a = (a ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            c = (c ^ b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
            i += 16
        }
        while i < n { h = (h ^ UInt64(b[i])) &* 0x0000_0100_0000_01B3; i += 1 }
        return h ^ a ^ (c >> 1) ^ (a >> 29)
    }

    // MARK: Reading

    /// Every table in a snapshot, in the order written.
    public static func read(path: String) throws -> [(String, Table)] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(file: path, message: "cannot open the file") }
        defer { try? handle.close() }
        var r = Reader(handle: handle, file: path)
        guard try r.bytes(magic.count, what: "the header") == Data(magic) else {
            throw Failure(file: path, message: "not a Tally snapshot (bad magic number)")
        }
        let v: UInt32 = try r.integer(what: "the header")
        guard v == version else { throw Failure(file: path, message: "snapshot version \(v), this Tally reads version \(version)") }
        let tableCount: UInt32 = try r.integer(what: "the header")
        var tables: [(String, Table)] = []
        for _ in 0..<tableCount {
            let name = try r.string(what: "a table header")
            let rows = Int(try r.integer(what: "table `\(name)`") as UInt64)
            let columnCount: UInt32 = try r.integer(what: "table `\(name)`")
            var names: [String] = [], columns: [Column] = []
            for _ in 0..<columnCount {
                let (n, c) = try readColumn(&r, table: name, rows: rows)
                names.append(n)
                columns.append(c)
            }
            tables.append((name, Table(names: names, columns: columns, rowCount: rows)))
        }
        return tables
    }

    static func readColumn(_ r: inout Reader, table: String, rows: Int) throws -> (String, Column) {
        let name = try r.string(what: "a column header of `\(table)`")
        let what = "column `\(table).\(name)`"
        let code: UInt8 = try r.integer(what: what)
        guard Int(code) < DataType.allCases.count else { throw r.damaged(what) }
        let type = DataType.allCases[Int(code)]
        let payloadLength = Int(try r.integer(what: what) as UInt64)
        let validityLength = Int(try r.integer(what: what) as UInt64)
        let dictionaryLength = Int(try r.integer(what: what) as UInt64)
        let expected: UInt64 = try r.integer(what: what)
        let width = type == .float || type == .string ? (type == .float ? 8 : 4) : 8
        guard payloadLength == rows * width, validityLength == 0 || validityLength == (rows + 63) / 64 * 8 else { throw r.damaged(what) }
        var sum: UInt64 = 0
        var column: Column
        switch type {
        case .float:
            let values: [Double] = try r.array(count: rows, what: what, checksum: &sum)
            column = Column(floats: values)
        case .string:
            let codes: [Int32] = try r.array(count: rows, what: what, checksum: &sum)
            column = Column(codes: codes, dictionary: [""])
        default:
            let values: [Int64] = try r.array(count: rows, what: what, checksum: &sum)
            column = Column(ints: values, type: type)
        }
        var validitySum = checksum(Data())
        if validityLength > 0 {
            let words: [UInt64] = try r.array(count: validityLength / 8, what: what, checksum: &validitySum)
            var bitmap = Bitmap(count: rows, value: true)
            for i in 0..<rows where words[i >> 6] & (1 << UInt64(i & 63)) == 0 { bitmap[i] = false }
            column.validity = bitmap
        }
        let dictionaryData = try r.bytes(dictionaryLength, what: what)
        guard sum ^ validitySum &* 31 ^ checksum(dictionaryData) &* 17 == expected else {
            throw Failure(file: r.file, message: "\(what) is damaged (checksum mismatch)")
        }
        if type == .string {
            var d = Reader(data: dictionaryData, file: r.file)
            let count: UInt32 = try d.integer(what: what)
            column.dictionary = try (0..<count).map { _ in try d.string(what: what) }
            if column.dictionary.isEmpty { column.dictionary = [""] }
            guard column.codes.allSatisfy({ $0 >= 0 && Int($0) < column.dictionary.count }) else { throw r.damaged(what) }
        }
        return (name, column)
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

        mutating func integer<T: FixedWidthInteger>(what: String) throws -> T {
            let d = try bytes(MemoryLayout<T>.size, what: what)
            return T(littleEndian: d.withUnsafeBytes { $0.loadUnaligned(as: T.self) })
        }

        mutating func string(what: String) throws -> String {
            let n = Int(try integer(what: what) as UInt32)
            guard n < 1 << 30 else { throw damaged(what) }
            return String(decoding: try bytes(n, what: what), as: UTF8.self)
        }

        /// `count` values read straight into a new array with one read call.
        mutating func array<T>(count: Int, what: String, checksum sum: inout UInt64) throws -> [T] {
            let byteCount = count * MemoryLayout<T>.stride
            var failed = false
            let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                var done = 0
                let fd = handle!.fileDescriptor
                while done < byteCount {
                    let got = Foundation.read(fd, raw.baseAddress! + done, byteCount - done)
                    if got <= 0 { failed = true; break }
                    done += got
                }
                if failed { raw.initializeMemory(as: UInt8.self, repeating: 0) }
                initialized = count
            }
            if failed { throw damaged(what) }
            offset += byteCount
            sum = values.withUnsafeBytes { Snapshot.checksum($0) }
            return values
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
