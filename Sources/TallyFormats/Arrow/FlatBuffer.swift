/// A read-only view of a FlatBuffers buffer, as Arrow's IPC messages are encoded: every offset is checked against the
/// buffer, so a damaged or hostile message is an error, never a read outside it.
struct FlatBuffer {
    let bytes: ArraySlice<UInt8>

    /// The root table, whose offset is the buffer's first four bytes.
    func root() throws -> FlatTable {
        let position = bytes.startIndex
        return try FlatTable(buffer: self, position: position + Int(try uint32(at: position)))
    }

    func uint8(at position: Int) throws -> UInt8 {
        guard position >= bytes.startIndex, position < bytes.endIndex else { throw ArrowStreamError("a message offset points outside it") }
        return bytes[position]
    }

    func uint16(at position: Int) throws -> UInt16 { UInt16(truncatingIfNeeded: try integer(at: position, size: 2)) }
    func uint32(at position: Int) throws -> UInt32 { UInt32(truncatingIfNeeded: try integer(at: position, size: 4)) }
    func int64(at position: Int) throws -> Int64 { Int64(bitPattern: try integer(at: position, size: 8)) }

    /// A little-endian integer of `size` bytes.
    private func integer(at position: Int, size: Int) throws -> UInt64 {
        guard position >= bytes.startIndex, position <= bytes.endIndex - size else { throw ArrowStreamError("a message offset points outside it") }
        var value: UInt64 = 0
        for i in (0..<size).reversed() { value = value << 8 | UInt64(bytes[position + i]) }
        return value
    }
}

/// A table of a FlatBuffers buffer: its fields are found through its vtable, by field index.
struct FlatTable {
    let buffer: FlatBuffer
    let position: Int
    private let vtable: Int
    private let vtableSize: Int

    init(buffer: FlatBuffer, position: Int) throws {
        self.buffer = buffer
        self.position = position
        let soffset = Int32(bitPattern: try buffer.uint32(at: position))
        vtable = position - Int(soffset)
        vtableSize = Int(try buffer.uint16(at: vtable))
    }

    /// Where field `index` is stored, or nil when the table leaves it out (its default applies).
    private func field(_ index: Int) throws -> Int? {
        let entry = 4 + 2 * index
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try buffer.uint16(at: vtable + entry))
        return offset == 0 ? nil : position + offset
    }

    func uint8(_ index: Int, default value: UInt8 = 0) throws -> UInt8 { try field(index).map { try buffer.uint8(at: $0) } ?? value }
    func int16(_ index: Int, default value: Int16 = 0) throws -> Int16 {
        try field(index).map { Int16(bitPattern: try buffer.uint16(at: $0)) } ?? value
    }
    func int32(_ index: Int, default value: Int32 = 0) throws -> Int32 {
        try field(index).map { Int32(bitPattern: try buffer.uint32(at: $0)) } ?? value
    }
    func int64(_ index: Int, default value: Int64 = 0) throws -> Int64 { try field(index).map { try buffer.int64(at: $0) } ?? value }
    func bool(_ index: Int, default value: Bool = false) throws -> Bool { try field(index).map { try buffer.uint8(at: $0) != 0 } ?? value }

    /// Where an offset field points (a table, string or vector).
    private func target(_ index: Int) throws -> Int? {
        guard let at = try field(index) else { return nil }
        return at + Int(try buffer.uint32(at: at))
    }

    func table(_ index: Int) throws -> FlatTable? { try target(index).map { try FlatTable(buffer: buffer, position: $0) } }

    func string(_ index: Int) throws -> String? {
        guard let at = try target(index) else { return nil }
        let count = Int(try buffer.uint32(at: at))
        guard count <= buffer.bytes.endIndex - (at + 4) else { throw ArrowStreamError("a name runs past the end of its message") }
        return String(decoding: buffer.bytes[(at + 4)..<(at + 4 + count)], as: UTF8.self)
    }

    /// A vector field: where its elements start and how many there are, checked to fit `elementSize` bytes each.
    func vector(_ index: Int, elementSize: Int) throws -> (start: Int, count: Int)? {
        guard let at = try target(index) else { return nil }
        let count = Int(try buffer.uint32(at: at))
        guard count <= (buffer.bytes.endIndex - (at + 4)) / elementSize else { throw ArrowStreamError("a list runs past the end of its message") }
        return (at + 4, count)
    }

    /// The tables of a vector of tables.
    func tables(_ index: Int) throws -> [FlatTable] {
        guard let (start, count) = try vector(index, elementSize: 4) else { return [] }
        return try (0..<count).map { i in
            let at = start + 4 * i
            return try FlatTable(buffer: buffer, position: at + Int(try buffer.uint32(at: at)))
        }
    }
}
