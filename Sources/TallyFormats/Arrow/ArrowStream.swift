import CCodecs
import TallyCore

/// Reads Arrow's IPC stream format (a schema message, record batches, an end marker), as Spark Connect sends results:
/// each message's FlatBuffers header and body are checked against the bytes given, so a damaged or hostile stream is an
/// error naming the problem, never a trap or an allocation beyond what its bytes justify.
public struct ArrowStream {
    /// Rows one batch may declare: Spark sends 10,000 a batch by default; an all-null batch has no buffer to check it by.
    static let maximumBatchRows = 1 << 24

    public private(set) var fields: [ArrowField] = []
    public private(set) var batches: [ArrowRecordBatch] = []

    /// Reads a whole stream.
    public init(_ bytes: ArraySlice<UInt8>) throws {
        var position = bytes.startIndex
        var sawSchema = false
        while position < bytes.endIndex {
            guard let message = try ArrowStream.message(in: bytes, at: &position) else { break }
            switch message.headerType {
            case 1:
                guard !sawSchema else { throw ArrowStreamError("a second schema in one stream") }
                fields = try ArrowStream.schema(message.header)
                sawSchema = true
            case 3:
                guard sawSchema else { throw ArrowStreamError("a record batch before the schema") }
                batches.append(try ArrowRecordBatch(message.header, body: message.body, fields: fields))
            case 2: throw ArrowStreamError("a dictionary-encoded column, which Tally does not read")
            default: throw ArrowStreamError("a message of unknown kind \(message.headerType)")
            }
        }
        guard sawSchema else { throw ArrowStreamError("no schema") }
    }

    /// The next message's header and body, or nil at the end-of-stream marker.
    private static func message(in bytes: ArraySlice<UInt8>, at position: inout Int) throws
        -> (headerType: UInt8, header: FlatTable, body: ArraySlice<UInt8>)? {
        let whole = FlatBuffer(bytes: bytes)
        var length = try whole.uint32(at: position)
        position += 4
        if length == 0xFFFF_FFFF {
            length = try whole.uint32(at: position)
            position += 4
        }
        if length == 0 { return nil }
        guard Int(length) <= bytes.endIndex - position else { throw ArrowStreamError("a message header runs past the end of the stream") }
        let header = FlatBuffer(bytes: bytes[position..<(position + Int(length))])
        position += Int(length)
        let message = try header.root()
        let bodyLength = try message.int64(3)
        guard bodyLength >= 0, bodyLength <= Int64(bytes.endIndex - position) else {
            throw ArrowStreamError("a message body of \(bodyLength) bytes runs past the end of the stream")
        }
        let body = bytes[position..<(position + Int(bodyLength))]
        position += Int(bodyLength)
        guard let content = try message.table(2) else { throw ArrowStreamError("a message without its header") }
        return (try message.uint8(1), content, body)
    }

    private static func schema(_ table: FlatTable) throws -> [ArrowField] {
        try table.tables(1).map { field in
            guard try field.table(4) == nil else { throw ArrowStreamError("a dictionary-encoded column, which Tally does not read") }
            let type = try ArrowType.read(tag: try field.uint8(2), table: try field.table(3))
            return ArrowField(name: try field.string(0) ?? "", type: type, nullable: try field.bool(1))
        }
    }
}

/// One record batch: a column of values for each field of the schema.
public struct ArrowRecordBatch {
    public let rowCount: Int
    public let columns: [ArrowArray]

    init(_ table: FlatTable, body: ArraySlice<UInt8>, fields: [ArrowField]) throws {
        let length = try table.int64(0)
        guard length >= 0, length <= Int64(ArrowStream.maximumBatchRows) else { throw ArrowStreamError("a record batch of \(length) rows") }
        rowCount = Int(length)
        let codec = try table.table(3).map { try $0.uint8(0) }
        guard let nodes = try table.vector(1, elementSize: 16), let buffers = try table.vector(2, elementSize: 16) else {
            throw ArrowStreamError("a record batch without its column descriptions")
        }
        guard nodes.count == fields.count else {
            throw ArrowStreamError("a record batch of \(nodes.count) columns for a schema of \(fields.count)")
        }
        let bytes = table.buffer
        var nextBuffer = 0
        func buffer() throws -> [UInt8] {
            guard nextBuffer < buffers.count else { throw ArrowStreamError("a record batch with fewer buffers than its columns need") }
            let at = buffers.start + 16 * nextBuffer
            nextBuffer += 1
            let offset = try bytes.int64(at: at), size = try bytes.int64(at: at + 8)
            guard offset >= 0, size >= 0, offset <= Int64(body.count), size <= Int64(body.count) - offset else {
                throw ArrowStreamError("a buffer outside its message body")
            }
            let raw = body[(body.startIndex + Int(offset))..<(body.startIndex + Int(offset + size))]
            guard let codec else { return Array(raw) }
            return try ArrowRecordBatch.decompressed(raw, codec: codec)
        }
        var columns: [ArrowArray] = []
        for (i, field) in fields.enumerated() {
            let count = try bytes.int64(at: nodes.start + 16 * i), nulls = try bytes.int64(at: nodes.start + 16 * i + 8)
            guard count == length, nulls >= 0, nulls <= count else { throw ArrowStreamError("column \(field.name) has \(count) rows in a batch of \(length)") }
            columns.append(try ArrowArray(type: field.type, name: field.name, length: rowCount, hasNulls: nulls > 0, buffer: buffer))
        }
        self.columns = columns
    }

    /// A buffer of a compressed batch: its uncompressed length (-1: stored as it is), then the codec's frame.
    private static func decompressed(_ raw: ArraySlice<UInt8>, codec: UInt8) throws -> [UInt8] {
        guard raw.count >= 8 else { return Array(raw) }
        let frame = FlatBuffer(bytes: raw)
        let length = try frame.int64(at: raw.startIndex)
        let data = raw.dropFirst(8)
        if length == -1 { return Array(data) }
        guard codec == 1 else { throw ArrowStreamError("a batch compressed with LZ4, which Tally does not read (ZSTD it does)") }
        // zstd expands at most about 1:1000 in practice; a claim far beyond that is damage, not data.
        guard length >= 0, length <= Int64(data.count) * 1024 + 64 else { throw ArrowStreamError("a compressed buffer claims \(length) bytes") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = data.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { tly_zstd_decompress(input.baseAddress, input.count, $0.baseAddress, $0.count) }
        }
        guard written == Int(length) else { throw ArrowStreamError("a compressed buffer is damaged") }
        return out
    }
}

/// One column of a record batch: its validity bitmap and values, checked to hold `length` values of its type.
public struct ArrowArray {
    public let type: ArrowType
    public let length: Int
    private let validity: [UInt8]?
    private let values: [UInt8]
    private let offsets: [UInt8]

    init(type: ArrowType, name: String, length: Int, hasNulls: Bool, buffer: () throws -> [UInt8]) throws {
        self.type = type
        self.length = length
        if type == .null {
            validity = nil
            values = []
            offsets = []
            return
        }
        let bitmap = try buffer()
        guard !hasNulls || bitmap.count * 8 >= length else { throw ArrowStreamError("column \(name)'s validity bitmap is too short") }
        validity = hasNulls ? bitmap : nil
        switch type {
        case .utf8, .largeUtf8:
            offsets = try buffer()
            values = try buffer()
            let width = type == .utf8 ? 4 : 8
            guard length == 0 || offsets.count >= (length + 1) * width else { throw ArrowStreamError("column \(name)'s offsets are too short") }
            var previous = 0
            for i in 0..<(length == 0 ? 0 : length + 1) {
                let offset = ArrowArray.integer(offsets, i, width: width)
                guard offset >= previous || i == 0, offset >= 0, offset <= Int64(values.count) else {
                    throw ArrowStreamError("column \(name)'s text offsets are out of order or past its data")
                }
                previous = Int(offset)
            }
        default:
            offsets = []
            values = try buffer()
            let bits = ArrowArray.bitsPerValue(type)
            guard values.count >= (length * bits + 7) / 8 else { throw ArrowStreamError("column \(name)'s values are too short for its rows") }
        }
    }

    private static func bitsPerValue(_ type: ArrowType) -> Int {
        switch type {
        case .null: return 0
        case .bool: return 1
        case .int(let bits, _), .float(let bits): return bits
        case .decimal(_, _, let bits): return bits
        case .date(let milliseconds): return milliseconds ? 64 : 32
        case .timestamp: return 64
        case .utf8, .largeUtf8: return 0
        }
    }

    /// A little-endian integer of `width` bytes at element `index`.
    private static func integer(_ bytes: [UInt8], _ index: Int, width: Int) -> Int64 {
        var value: UInt64 = 0
        let start = index * width
        for i in (0..<width).reversed() { value = value << 8 | UInt64(bytes[start + i]) }
        let unused = 64 - 8 * width
        return Int64(bitPattern: value << UInt64(unused)) >> Int64(unused)
    }

    public func isNull(_ row: Int) -> Bool {
        if type == .null { return true }
        guard let validity else { return false }
        return validity[row >> 3] & (1 << UInt8(row & 7)) == 0
    }

    /// The value of `row` as Tally holds it (a timestamp as `YYYY-MM-DD HH:MM:SS` text, in UTC).
    public func value(_ row: Int) -> Value {
        if isNull(row) { return .null }
        switch type {
        case .null: return .null
        case .bool: return .bool(values[row >> 3] & (1 << UInt8(row & 7)) != 0)
        case .int(let bits, let signed):
            let v = ArrowArray.integer(values, row, width: bits / 8)
            if !signed, bits < 64, v < 0 { return .int(v + (1 << Int64(bits))) }
            return .int(v)
        case .float(let bits):
            let raw = UInt64(bitPattern: ArrowArray.integer(values, row, width: bits / 8))
            return .float(bits == 32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))) : Double(bitPattern: raw))
        case .utf8, .largeUtf8:
            let width = type == .utf8 ? 4 : 8
            let from = Int(ArrowArray.integer(offsets, row, width: width)), to = Int(ArrowArray.integer(offsets, row + 1, width: width))
            return .string(String(decoding: values[from..<to], as: UTF8.self))
        case .date(let milliseconds):
            let raw = ArrowArray.integer(values, row, width: milliseconds ? 8 : 4)
            let days = milliseconds ? raw.floorDivided(by: 86_400_000) : raw
            return CivilDate.supported.contains(days) ? .date(days) : .null
        case .timestamp(let unitsPerSecond):
            let seconds = ArrowArray.integer(values, row, width: 8).floorDivided(by: unitsPerSecond)
            let days = seconds.floorDivided(by: 86_400)
            guard CivilDate.supported.contains(days) else { return .null }
            let inDay = seconds - days * 86_400
            let clock = [inDay / 3600, inDay / 60 % 60, inDay % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
            return .string(CivilDate.format(days) + " " + clock)
        case .decimal(_, let scale, let bits):
            return ArrowArray.decimal(values, row, bytes: bits / 8, scale: scale)
        }
    }

    /// A decimal: a two's-complement integer of 8 or 16 bytes, divided by 10^scale.
    private static func decimal(_ bytes: [UInt8], _ row: Int, bytes width: Int, scale: Int) -> Value {
        var low = UInt64(bitPattern: integer(bytes, row * width / 8, width: 8))
        var high = width == 16 ? UInt64(bitPattern: integer(bytes, row * 2 + 1, width: 8)) : (Int64(bitPattern: low) < 0 ? UInt64.max : 0)
        var divisor = 1.0
        for _ in 0..<scale { divisor *= 10 }
        // Within 64 bits the integer is exact; beyond, its magnitude is taken in two halves.
        if (high == 0 && low >> 63 == 0) || (high == UInt64.max && low >> 63 == 1) {
            let whole = Int64(bitPattern: low)
            return scale == 0 ? .int(whole) : .float(Double(whole) / divisor)
        }
        let negative = high >> 63 == 1
        if negative {
            low = ~low &+ 1
            high = ~high &+ (low == 0 ? 1 : 0)
        }
        let magnitude = Double(high) * 18_446_744_073_709_551_616.0 + Double(low)
        return .float((negative ? -magnitude : magnitude) / divisor)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (dates before 1970 stay on their day).
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
