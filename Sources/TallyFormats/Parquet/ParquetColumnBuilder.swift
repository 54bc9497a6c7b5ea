import TallyCore
/// Decodes one column's chunks, row group after row group, into a Tally ``Column``.
struct ParquetColumnBuilder {
    /// A flat column of the file and the Tally type it becomes.
    struct Leaf: Equatable {
        let name: String
        let physical: ParquetFormat.PhysicalType
        let typeLength: Int
        let optional: Bool
        let meaning: ParquetFormat.Meaning
        let type: DataType

        init(name: String, physical: ParquetFormat.PhysicalType, typeLength: Int, optional: Bool, meaning: ParquetFormat.Meaning) throws {
            self.name = name
            self.physical = physical
            self.typeLength = typeLength
            self.optional = optional
            self.meaning = meaning
            let refuse = { (what: String) in ParquetFault("column `\(name)` is \(what), which Tally does not read") }
            if case .other(let what) = meaning { throw refuse(what) }
            switch (physical, meaning) {
            case (_, .decimal): type = .float
            case (.boolean, _): type = .bool
            case (.int32, .date): type = .date
            case (.int64, .timestamp), (.int96, _): type = .date
            case (.int32, _), (.int64, _): type = .int
            case (.float, _), (.double, _): type = .float
            case (.byteArray, _): type = .string
            case (.fixedLenByteArray, _): throw refuse("FIXED_LEN_BYTE_ARRAY other than DECIMAL")
            }
            if physical == .fixedLenByteArray, !(1...16).contains(typeLength) { throw refuse("a decimal of \(typeLength) bytes") }
        }
    }

    /// The values of a chunk's dictionary page, already in the column's storage.
    enum Dictionary {
        case ints([Int64]), floats([Double]), codes([Int32])
        var count: Int {
            switch self {
            case .ints(let v): return v.count
            case .floats(let v): return v.count
            case .codes(let v): return v.count
            }
        }
    }

    let leaf: Leaf
    let rowCount: Int
    private var ints: [Int64] = []
    private var floats: [Double] = []
    private var codes: [Int32] = []
    private var strings: [String] = []
    private var codeOfString: [String: Int32] = [:]
    private var validity: Bitmap?
    private var row = 0

    init(_ leaf: Leaf, rowCount: Int) {
        self.leaf = leaf
        self.rowCount = rowCount
        switch leaf.type {
        case .float: floats.reserveCapacity(rowCount)
        case .string: codes.reserveCapacity(rowCount)
        default: ints.reserveCapacity(rowCount)
        }
    }

    func finish() -> Column {
        let valid = validity.flatMap { $0.allSet ? nil : $0 }
        switch leaf.type {
        case .float: return Column(floats: floats, validity: valid)
        case .string: return Column(codes: codes, dictionary: strings.isEmpty ? [""] : strings, validity: valid)
        default: return Column(ints: ints, type: leaf.type, validity: valid)
        }
    }

    /// Where a column chunk's bytes lie in a file of `fileSize` bytes (its dictionary page, if any, comes first).
    static func byteRange(of chunk: ParquetFormat.ColumnChunk, fileSize: Int) throws -> Range<Int> {
        var start = chunk.dataPageOffset
        if let d = chunk.dictionaryPageOffset, d > 0, d < start { start = d }
        let (end, over) = start.addingReportingOverflow(chunk.compressedSize)
        guard start >= 4, !over, end <= Int64(fileSize - 8), chunk.compressedSize >= 0 else {
            throw ParquetFault("a column chunk lies outside the file")
        }
        return Int(start)..<Int(end)
    }

    /// Reads a column chunk of `rows` rows from its bytes (see ``byteRange(of:fileSize:)``).
    mutating func read(_ chunk: ParquetFormat.ColumnChunk, rows: Int, bytes: UnsafeBufferPointer<UInt8>) throws {
        guard chunk.type == leaf.physical else { throw ParquetFault("a chunk's type differs from the schema's") }
        var position = 0
        var dictionary: Dictionary?
        var read = 0
        // The pages fill the chunk: a page past the row group's rows is as wrong as a chunk that ends early.
        while position < bytes.count {
            try Interruption.check()
            var headerReader = ThriftReader(UnsafeBufferPointer(rebasing: bytes[position...]))
            let header = try ParquetFormat.PageHeader(try headerReader.fields())
            position += headerReader.position
            guard header.compressedSize <= bytes.count - position else { throw ParquetFault("a page runs past the end of its chunk") }
            let body = UnsafeBufferPointer(rebasing: bytes[position..<position + header.compressedSize])
            position += header.compressedSize
            switch header.type {
            case .index: continue
            case .dictionary:
                let data = try ParquetCodec.decompress(body, codec: chunk.codec, size: header.uncompressedSize)
                dictionary = try data.withUnsafeBufferPointer { try readDictionary($0, count: header.valueCount) }
            case .data, .dataV2:
                guard header.valueCount <= rows - read else { throw ParquetFault("a page holds more values than its row group has rows") }
                try readDataPage(header, body, codec: chunk.codec, dictionary: dictionary)
                read += header.valueCount
            }
        }
        guard read == rows else { throw ParquetFault("the chunk ends after \(read) of \(rows) values") }
    }

    private mutating func readDataPage(_ header: ParquetFormat.PageHeader, _ body: UnsafeBufferPointer<UInt8>, codec: ParquetFormat.Codec,
                                       dictionary: Dictionary?) throws {
        let count = header.valueCount
        var levels: [UInt32]? = nil
        let data: [UInt8]
        var valuesStart = 0
        if header.type == .dataV2 {
            let levelBytes = header.repetitionLevelBytes + header.definitionLevelBytes
            guard levelBytes <= body.count, levelBytes <= header.uncompressedSize else { throw ParquetFault("a page's levels run past the page") }
            if leaf.optional {
                var cursor = ByteCursor(UnsafeBufferPointer(rebasing: body[header.repetitionLevelBytes..<levelBytes]))
                levels = try ParquetEncodings.hybrid(&cursor, bitWidth: 1, count: count)
            }
            let values = UnsafeBufferPointer(rebasing: body[levelBytes...])
            data = header.valuesCompressed
                ? try ParquetCodec.decompress(values, codec: codec, size: header.uncompressedSize - levelBytes)
                : Array(values)
        } else {
            data = try ParquetCodec.decompress(body, codec: codec, size: header.uncompressedSize)
            if leaf.optional {
                try data.withUnsafeBufferPointer { b in
                    var cursor = ByteCursor(b)
                    let length = try cursor.take(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
                    var levelCursor = ByteCursor(try cursor.take(length))
                    levels = try ParquetEncodings.hybrid(&levelCursor, bitWidth: 1, count: count)
                    valuesStart = cursor.position
                }
            }
        }
        let present = levels.map { $0.reduce(0) { $0 + Int($1 & 1) } } ?? count
        // A page without nulls (writers mark most columns OPTIONAL) needs no spreading.
        if present == count { levels = nil }
        try data.withUnsafeBufferPointer { b in
            var cursor = ByteCursor(b, at: valuesStart)
            try appendValues(&cursor, count: present, encoding: header.encoding, dictionary: dictionary, levels: levels)
        }
    }

    /// Decodes `count` present values and appends them, spread over the rows by the definition levels.
    private mutating func appendValues(_ cursor: inout ByteCursor, count: Int, encoding: ParquetFormat.Encoding, dictionary: Dictionary?,
                                       levels: [UInt32]?) throws {
        let first = row
        switch encoding {
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetFault("a dictionary-encoded page comes without a dictionary page") }
            let width = Int(try cursor.byte())
            // Width 0 makes every index 0: only a dictionary of one value may be written so.
            guard width > 0 || dictionary.count <= 1 else {
                throw ParquetFault("a page's dictionary indices have bit width 0 but its dictionary holds \(dictionary.count) values")
            }
            let indices = count == 0 ? [] : try ParquetEncodings.hybrid(&cursor, bitWidth: width, count: count)
            guard indices.allSatisfy({ Int($0) < dictionary.count }) else { throw ParquetFault("a dictionary index is out of range") }
            switch dictionary {
            case .ints(let d): append(ints: indices.map { d[Int($0)] }, levels: levels)
            case .floats(let d): append(floats: indices.map { d[Int($0)] }, levels: levels)
            case .codes(let d): append(codes: indices.map { d[Int($0)] }, levels: levels)
            }
        default:
            switch try decode(&cursor, count: count, encoding: encoding) {
            case .ints(let v): append(ints: v, levels: levels)
            case .floats(let v): append(floats: v, levels: levels)
            case .codes(let v): append(codes: v, levels: levels)
            }
        }
        if let levels, levels.contains(where: { $0 & 1 == 0 }) {
            if validity == nil { validity = Bitmap(count: rowCount, value: true) }
            for (k, level) in levels.enumerated() where level & 1 == 0 { validity![first + k] = false }
        }
    }

    private mutating func readDictionary(_ b: UnsafeBufferPointer<UInt8>, count: Int) throws -> Dictionary {
        var cursor = ByteCursor(b)
        return try decode(&cursor, count: count, encoding: .plain)
    }

    /// `count` values in one of the value encodings (not dictionary indices), in the column's storage.
    private mutating func decode(_ cursor: inout ByteCursor, count: Int, encoding: ParquetFormat.Encoding) throws -> Dictionary {
        switch leaf.physical {
        case .boolean:
            switch encoding {
            case .plain:
                let packed = try cursor.take((count + 7) / 8)
                var bits: [Int64] = []
                bits.reserveCapacity(count)
                ParquetEncodings.unpack(packed, bitWidth: 1, count: count, into: &bits)
                return .ints(bits)
            case .rle:
                let length = try cursor.take(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
                var run = ByteCursor(try cursor.take(length))
                return .ints(try ParquetEncodings.hybrid(&run, bitWidth: 1, count: count).map { Int64($0) })
            default: throw unsupported(encoding)
            }
        case .int32, .int64:
            let width = leaf.physical == .int32 ? 4 : 8
            let raw: [Int64]
            switch encoding {
            case .plain: raw = try littleEndian(&cursor, width: width, count: count)
            case .deltaBinaryPacked:
                raw = try ParquetEncodings.deltaBinaryPacked(&cursor)
                guard raw.count >= count else { throw ParquetFault("a page has fewer values than it says") }
            case .byteStreamSplit: raw = try streamSplit(&cursor, width: width, count: count)
            default: throw unsupported(encoding)
            }
            return try integers(Array(raw.prefix(count)))
        case .int96:
            guard encoding == .plain else { throw unsupported(encoding) }
            let b = try cursor.take(12 * count)
            return .ints((0..<count).map { k in
                let day = (0..<4).reduce(Int64(0)) { $0 | Int64(b[12 * k + 8 + $1]) << (8 * Int64($1)) }
                return day - 2_440_588
            })
        case .float, .double:
            let width = leaf.physical == .float ? 4 : 8
            let raw: [Int64]
            switch encoding {
            case .plain: raw = try littleEndian(&cursor, width: width, count: count)
            case .byteStreamSplit: raw = try streamSplit(&cursor, width: width, count: count)
            default: throw unsupported(encoding)
            }
            return .floats(raw.map { width == 4 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) : Double(bitPattern: UInt64(bitPattern: $0)) })
        case .byteArray, .fixedLenByteArray:
            let values: [ArraySlice<UInt8>]
            switch encoding {
            case .plain where leaf.physical == .fixedLenByteArray:
                let b = try cursor.take(leaf.typeLength * count)
                values = (0..<count).map { k in ArraySlice(b[(k * leaf.typeLength)..<((k + 1) * leaf.typeLength)]) }
            case .plain:
                var out: [ArraySlice<UInt8>] = []
                out.reserveCapacity(min(count, cursor.remaining / 4))
                for _ in 0..<count {
                    let n = try cursor.take(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
                    out.append(ArraySlice(try cursor.take(n)))
                }
                values = out
            case .deltaLengthByteArray:
                values = try ParquetEncodings.deltaLengthByteArray(&cursor).prefix(count).map { ArraySlice(cursor.bytes[$0]) }
            case .deltaByteArray:
                values = try ParquetEncodings.deltaByteArray(&cursor).prefix(count).map { ArraySlice($0) }
            default: throw unsupported(encoding)
            }
            guard values.count == count else { throw ParquetFault("a page has fewer values than it says") }
            if case .decimal(let scale) = leaf.meaning { return .floats(values.map { decimal($0, scale: scale) }) }
            var interned: [Int32] = []
            interned.reserveCapacity(values.count)
            for v in values { interned.append(try intern(v)) }
            return .codes(interned)
        }
    }

    private func unsupported(_ encoding: ParquetFormat.Encoding) -> ParquetFault {
        ParquetFault("encoding \(encoding) is not valid for \(leaf.physical) values")
    }

    /// Raw integers as the column stores them: dates as days, timestamps as the day they fall on, decimals as floats.
    private func integers(_ raw: [Int64]) throws -> Dictionary {
        switch leaf.meaning {
        case .decimal(let scale): return .floats(raw.map { Double($0) / pow10(scale) })
        case .timestamp(let perSecond):
            let perDay = perSecond * 86_400
            return .ints(raw.map { $0 >= 0 ? $0 / perDay : -((-($0 + 1)) / perDay) - 1 })
        case .unsigned where leaf.physical == .int32: return .ints(raw.map { Int64(UInt32(truncatingIfNeeded: $0)) })
        case .unsigned:
            guard raw.allSatisfy({ $0 >= 0 }) else { throw ParquetFault("an unsigned value is above the largest integer Tally holds (2^63 − 1)") }
            return .ints(raw)
        default:
            return .ints(leaf.physical == .int32 ? raw.map { Int64(Int32(truncatingIfNeeded: $0)) } : raw)
        }
    }

    private func pow10(_ scale: Int) -> Double {
        var p = 1.0
        for _ in 0..<min(max(scale, 0), 40) { p *= 10 }
        return p
    }

    /// A big-endian two's-complement unscaled decimal.
    private func decimal(_ bytes: ArraySlice<UInt8>, scale: Int) -> Double {
        guard let first = bytes.first else { return 0 }
        var v = Double(Int8(bitPattern: first))
        for b in bytes.dropFirst() { v = v * 256 + Double(b) }
        return v / pow10(scale)
    }

    /// The code of a text value; bytes that are not UTF-8 are an error rather than text with U+FFFD in their place.
    private mutating func intern(_ bytes: ArraySlice<UInt8>) throws -> Int32 {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw ParquetFault("a value is not UTF-8 text: \(bytes.prefix(16).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " "))")
        }
        if let code = codeOfString[s] { return code }
        let code = Int32(strings.count)
        strings.append(s)
        codeOfString[s] = code
        return code
    }

    private func littleEndian(_ cursor: inout ByteCursor, width: Int, count: Int) throws -> [Int64] {
        guard count <= cursor.remaining / width else { throw ParquetFault("a page has fewer values than it says") }
        let b = try cursor.take(width * count)
        var out = [Int64](repeating: 0, count: count)
        let raw = UnsafeRawBufferPointer(b)
        for k in 0..<count {
            out[k] = width == 4 ? Int64(raw.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self).littleEndian)
                : Int64(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self).littleEndian)
        }
        return out
    }

    private func streamSplit(_ cursor: inout ByteCursor, width: Int, count: Int) throws -> [Int64] {
        guard count <= cursor.remaining / width else { throw ParquetFault("a page has fewer values than it says") }
        let b = try cursor.take(width * count)
        return (0..<count).map { k in (0..<width).reduce(Int64(0)) { $0 | Int64(b[$1 * count + k]) << (8 * Int64($1)) } }
    }

    private mutating func append(ints v: [Int64], levels: [UInt32]?) { row += Self.spread(v, levels, into: &ints) }
    private mutating func append(floats v: [Double], levels: [UInt32]?) { row += Self.spread(v, levels, into: &floats) }
    private mutating func append(codes v: [Int32], levels: [UInt32]?) { row += Self.spread(v, levels, into: &codes) }

    /// Present values placed at the rows whose level is 1, zeros at the null rows; returns the rows added.
    private static func spread<T: Numeric>(_ values: [T], _ levels: [UInt32]?, into out: inout [T]) -> Int {
        guard let levels else {
            out += values
            return values.count
        }
        var next = 0
        for level in levels {
            if level & 1 == 1, next < values.count {
                out.append(values[next])
                next += 1
            } else {
                out.append(0)
            }
        }
        return levels.count
    }
}
