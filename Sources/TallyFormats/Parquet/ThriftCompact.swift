import TallyCore
/// A value of Thrift's compact protocol, decoded without a schema: Parquet's footer and page headers are read into
/// these and then picked apart by field id (``ParquetFormat``).
indirect enum ThriftValue {
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case binary([UInt8])
    case list([ThriftValue])
    case fields([Int16: ThriftValue])

    var int: Int64? { if case .int(let v) = self { return v }; return nil }
    var bool: Bool? { if case .bool(let v) = self { return v }; return nil }
    var binary: [UInt8]? { if case .binary(let v) = self { return v }; return nil }
    var list: [ThriftValue]? { if case .list(let v) = self { return v }; return nil }
    var fields: [Int16: ThriftValue]? { if case .fields(let v) = self { return v }; return nil }
    var string: String? { binary.map { String(decoding: $0, as: UTF8.self) } }
}

/// Reads bytes, LEB128 varints and zigzag numbers, checking every step against the end.
struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw ParquetFault("data ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw ParquetFault("a varint is longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    /// The next `n` bytes.
    mutating func take(_ n: Int) throws -> UnsafeBufferPointer<UInt8> {
        guard n >= 0, n <= remaining else { throw ParquetFault("data ends early") }
        defer { position += n }
        return UnsafeBufferPointer(rebasing: bytes[position..<position + n])
    }
}

/// Reads Thrift compact-protocol structs from bytes; every length and count is checked against what is left.
struct ThriftReader {
    var cursor: ByteCursor
    /// Structs nest this deep at most (Parquet's own nest three or four deep).
    static let maxDepth = 32

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) { cursor = ByteCursor(bytes, at: position) }

    var position: Int { cursor.position }
    mutating func byte() throws -> UInt8 { try cursor.byte() }
    mutating func varint() throws -> UInt64 { try cursor.varint() }
    mutating func zigzag() throws -> Int64 { try cursor.zigzag() }

    mutating func fields(depth: Int = 0) throws -> [Int16: ThriftValue] {
        guard depth < ThriftReader.maxDepth else { throw ParquetFault("metadata nests too deep") }
        var out: [Int16: ThriftValue] = [:]
        var last: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return out }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                let z = try zigzag()
                guard let v = Int16(exactly: z) else { throw ParquetFault("bad field id in the metadata") }
                id = v
            } else {
                id = last &+ delta
            }
            last = id
            out[id] = try value(type: header & 0x0F, depth: depth)
        }
    }

    mutating func value(type: UInt8, depth: Int) throws -> ThriftValue {
        switch type {
        case 1: return .bool(true)
        case 2: return .bool(false)
        case 3: return .int(Int64(Int8(bitPattern: try byte())))
        case 4, 5, 6: return .int(try zigzag())
        case 7:
            let raw = try cursor.take(8)
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(raw[k]) << (8 * UInt64(k)) }
            return .double(Double(bitPattern: bits))
        case 8:
            let n = try varint()
            guard n <= UInt64(cursor.remaining) else { throw ParquetFault("a string in the metadata runs past its end") }
            return .binary(Array(try cursor.take(Int(n))))
        case 9, 10:
            let header = try byte()
            var count = UInt64(header >> 4)
            if count == 15 { count = try varint() }
            // Every element takes at least one byte (a bool in a list is one byte).
            guard count <= UInt64(cursor.remaining) else { throw ParquetFault("a list in the metadata runs past its end") }
            let element = header & 0x0F
            var items: [ThriftValue] = []
            items.reserveCapacity(Int(count))
            for _ in 0..<count {
                if element == 1 || element == 2 { items.append(.bool(try byte() == 1)) } else { items.append(try value(type: element, depth: depth + 1)) }
            }
            return .list(items)
        case 11:
            let count = try varint()
            guard count <= UInt64(cursor.remaining) else { throw ParquetFault("a map in the metadata runs past its end") }
            if count == 0 { return .list([]) }
            let types = try byte()
            var items: [ThriftValue] = []
            for _ in 0..<count {
                items.append(try value(type: types >> 4, depth: depth + 1))
                items.append(try value(type: types & 0x0F, depth: depth + 1))
            }
            return .list(items)
        case 12: return .fields(try fields(depth: depth + 1))
        default: throw ParquetFault("unknown value type \(type) in the metadata")
        }
    }
}

/// Writes Thrift compact-protocol structs: fields in increasing id order inside `structure`.
struct ThriftWriter {
    private(set) var bytes: [UInt8] = []
    private var lastIds: [Int16] = [0]

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    private mutating func header(_ id: Int16, _ type: UInt8) {
        let delta = id - lastIds[lastIds.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            zigzag(Int64(id))
        }
        lastIds[lastIds.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ value: Int64) { header(id, 5); zigzag(value) }
    mutating func i64(_ id: Int16, _ value: Int64) { header(id, 6); zigzag(value) }
    mutating func bool(_ id: Int16, _ value: Bool) { header(id, value ? 1 : 2) }

    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        header(id, 8)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    /// A struct field; `body` writes its fields.
    mutating func structure(_ id: Int16, _ body: (inout ThriftWriter) -> Void) {
        header(id, 12)
        lastIds.append(0)
        body(&self)
        bytes.append(0)
        lastIds.removeLast()
    }

    /// A list field of structs.
    mutating func structs<T>(_ id: Int16, _ items: [T], _ body: (inout ThriftWriter, T) -> Void) {
        listHeader(id, count: items.count, element: 12)
        for item in items {
            lastIds.append(0)
            body(&self, item)
            bytes.append(0)
            lastIds.removeLast()
        }
    }

    mutating func i32s(_ id: Int16, _ items: [Int64]) {
        listHeader(id, count: items.count, element: 5)
        for v in items { zigzag(v) }
    }

    mutating func strings(_ id: Int16, _ items: [String]) {
        listHeader(id, count: items.count, element: 8)
        for s in items {
            varint(UInt64(s.utf8.count))
            bytes += Array(s.utf8)
        }
    }

    private mutating func listHeader(_ id: Int16, count: Int, element: UInt8) {
        header(id, 9)
        if count < 15 { bytes.append(UInt8(count) << 4 | element) } else {
            bytes.append(0xF0 | element)
            varint(UInt64(count))
        }
    }

    /// Ends the top-level struct.
    mutating func stop() { bytes.append(0) }
}
