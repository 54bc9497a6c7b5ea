import TallyCore
import Foundation

/// One Parquet file of a table: its footer, and where its bytes are. A file on disk is read by offset, only the
/// column chunks a query needs; it is checked to be the same file (device, inode, size, modification time) at
/// every read, so a file replaced or changed since it was loaded is an error rather than wrong rows.
struct ParquetPart: Sendable {
    /// Where the bytes are.
    enum Storage: Sendable {
        case file(path: String, identity: FileIdentity)
        case memory([UInt8])
    }

    let storage: Storage
    /// The file's name in errors.
    let name: String
    let size: Int
    let meta: ParquetFormat.FileMetaData
    let leaves: [ParquetColumnBuilder.Leaf]

    /// The part in memory (a fuzz input, a test's bytes), called `name` in errors.
    init(bytes: [UInt8], name: String) throws {
        storage = .memory(bytes)
        self.name = name
        size = bytes.count
        let footer = try bytes.withUnsafeBufferPointer { b in try ParquetPart.footer(size: b.count) { Array(b[$0]) } }
        (meta, leaves) = try ParquetPart.parse(footer, fileSize: size)
    }

    /// The part in a file: only its footer is read now.
    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ParquetError(file: path, message: "cannot read file: no such file or not readable") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw ParquetError(file: path, message: "not a regular file; only regular Parquet files load")
        }
        let identity = FileIdentity(info)
        storage = .file(path: path, identity: identity)
        name = path
        size = identity.size
        do {
            let footer = try ParquetPart.footer(size: identity.size) { try ParquetPart.read(fd, $0, path: path) }
            (meta, leaves) = try ParquetPart.parse(footer, fileSize: identity.size)
        } catch let fault as ParquetFault {
            throw ParquetError(file: path, message: fault.message)
        }
    }

    /// Checks the magic numbers and the footer length, and returns the footer's bytes.
    private static func footer(size: Int, _ read: (Range<Int>) throws -> [UInt8]) throws -> [UInt8] {
        let magic: [UInt8] = Array("PAR1".utf8)
        guard size >= 12 else { throw ParquetFault("too short to be a Parquet file (\(size) bytes)") }
        guard try read(0..<4) == magic else { throw ParquetFault("not a Parquet file (it does not start with PAR1)") }
        let tail = try read(size - 8..<size)
        guard Array(tail[4...]) == magic else { throw ParquetFault("the file is truncated or damaged (it does not end with PAR1)") }
        let footerLength = (0..<4).reduce(0) { $0 | Int(tail[$1]) << (8 * $1) }
        guard footerLength > 0, footerLength <= size - 12 else { throw ParquetFault("the footer length \(footerLength) does not fit the file") }
        return try read(size - 8 - footerLength..<size - 8)
    }

    private static func parse(_ footer: [UInt8], fileSize: Int) throws -> (ParquetFormat.FileMetaData, [ParquetColumnBuilder.Leaf]) {
        try footer.withUnsafeBufferPointer { b in
            var reader = ThriftReader(b)
            let meta = try ParquetFormat.FileMetaData(try reader.fields())
            let leaves = try ParquetReader.flatColumns(meta.schema)
            for g in meta.rowGroups where g.rowCount < 0 || g.columns.count != leaves.count {
                throw ParquetFault("a row group does not match the schema")
            }
            try checkLayout(meta, leaves: leaves, fileSize: fileSize)
            return (meta, leaves)
        }
    }

    /// The footer's counts agree with each other and its column chunks do not overlap, as the format requires: the
    /// row groups' rows add up to the file's, a flat column chunk holds one value (or null) per row of its group, and
    /// every chunk lies in the file apart from every other. A row group dropped or miscounted, or a chunk pointed into
    /// another column, would otherwise be read as fewer rows or another column's values.
    private static func checkLayout(_ meta: ParquetFormat.FileMetaData, leaves: [ParquetColumnBuilder.Leaf], fileSize: Int) throws {
        let rows = meta.rowGroups.reduce(Int64(0)) { $0.addingReportingOverflow($1.rowCount).partialValue }
        guard rows == meta.rowCount else {
            throw ParquetFault("the footer counts \(meta.rowCount) rows but its row groups hold \(rows)")
        }
        var ranges: [(range: Range<Int>, column: String)] = []
        for (g, group) in meta.rowGroups.enumerated() {
            for (leaf, chunk) in zip(leaves, group.columns) {
                guard chunk.valueCount == group.rowCount else {
                    throw ParquetFault("column `\(leaf.name)` holds \(chunk.valueCount) values in row group \(g + 1), which has \(group.rowCount) rows")
                }
                ranges.append((try ParquetColumnBuilder.byteRange(of: chunk, fileSize: fileSize), leaf.name))
            }
        }
        ranges.sort { $0.range.lowerBound < $1.range.lowerBound }
        for (before, after) in zip(ranges, ranges.dropFirst()) where after.range.lowerBound < before.range.upperBound {
            throw ParquetFault("the bytes of column `\(after.column)` overlap those of column `\(before.column)`")
        }
    }

    /// The bytes of a column chunk, given to `body`.
    func withChunk<R>(_ chunk: ParquetFormat.ColumnChunk, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        let range = try ParquetColumnBuilder.byteRange(of: chunk, fileSize: size)
        switch storage {
        case .memory(let bytes):
            return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
        case .file(let path, let identity):
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw ParquetFault("the file can no longer be read; load it again") }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, FileIdentity(info) == identity else {
                throw ParquetFault("the file has changed since it was loaded; load it again")
            }
            return try ParquetPart.read(fd, range, path: path).withUnsafeBufferPointer(body)
        }
    }

    /// Reads a byte range of an open file.
    private static func read(_ fd: Int32, _ range: Range<Int>, path: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: range.count)
        var done = 0
        try out.withUnsafeMutableBytes { buffer in
            while done < range.count {
                let n = pread(fd, buffer.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw ParquetFault(n == 0 ? "the file is shorter than when it was loaded; load it again" : "cannot read the file") }
                done += n
            }
        }
        return out
    }
}
