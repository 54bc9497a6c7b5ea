import TallyCore
/// Decoders and encoders of Parquet's value encodings: the RLE/bit-packed hybrid (levels and dictionary indices),
/// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY. Every read is bounds-checked; counts claimed by a
/// page are checked against the bytes it has before anything is allocated.
enum ParquetEncodings {
    /// `count` values of `bitWidth` bits from the RLE/bit-packed hybrid encoding.
    static func hybrid(_ cursor: inout ByteCursor, bitWidth: Int, count: Int) throws -> [UInt32] {
        guard (0...32).contains(bitWidth) else { throw ParquetFault("bit width \(bitWidth) is out of range") }
        var out: [UInt32] = []
        out.reserveCapacity(count)
        let byteWidth = (bitWidth + 7) / 8
        while out.count < count {
            let header = try cursor.varint()
            if header & 1 == 0 {
                let run = header >> 1
                let raw = try cursor.take(byteWidth)
                var v: UInt32 = 0
                for k in 0..<byteWidth { v |= UInt32(raw[k]) << (8 * UInt32(k)) }
                let n = Int(min(run, UInt64(count - out.count)))
                out.append(contentsOf: repeatElement(v, count: n))
            } else {
                let groups = header >> 1
                guard groups <= UInt64(cursor.remaining) else { throw ParquetFault("a bit-packed run is longer than its page") }
                let packed = try cursor.take(Int(groups) * bitWidth)
                let n = min(Int(groups) * 8, count - out.count)
                unpack(packed, bitWidth: bitWidth, count: n, into: &out)
            }
        }
        return out
    }

    /// `count` values of `bitWidth` bits packed least-significant bit first (bytes past the end read as zero).
    static func unpack<T: FixedWidthInteger>(_ bytes: UnsafeBufferPointer<UInt8>, bitWidth: Int, count: Int, into out: inout [T]) {
        guard bitWidth > 0 else { return out.append(contentsOf: repeatElement(0, count: count)) }
        let mask: UInt64 = bitWidth == 64 ? .max : (1 << UInt64(bitWidth)) - 1
        var bit = 0
        for _ in 0..<count {
            var v: UInt64 = 0
            var got = 0
            while got < bitWidth {
                let byteIndex = (bit + got) >> 3
                let offset = (bit + got) & 7
                let b = byteIndex < bytes.count ? UInt64(bytes[byteIndex]) : 0
                v |= (b >> UInt64(offset)) << UInt64(got)
                got += 8 - offset
            }
            out.append(T(truncatingIfNeeded: v & mask))
            bit += bitWidth
        }
    }

    /// DELTA_BINARY_PACKED integers; arithmetic wraps as the format specifies.
    static func deltaBinaryPacked(_ cursor: inout ByteCursor) throws -> [Int64] {
        let blockSize = try cursor.varint()
        let miniblocks = try cursor.varint()
        let total = try cursor.varint()
        var value = try cursor.zigzag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0 else { throw ParquetFault("a DELTA_BINARY_PACKED header is malformed") }
        // Each block of values takes at least its min delta and bit widths: bound the count by the bytes left.
        guard total <= UInt64(cursor.remaining + 1) * blockSize else { throw ParquetFault("a DELTA_BINARY_PACKED page claims more values than it holds") }
        let perMiniblock = Int(blockSize / miniblocks)
        var out: [Int64] = []
        out.reserveCapacity(Int(total))
        if total > 0 { out.append(value) }
        var scratch: [UInt64] = []
        while out.count < Int(total) {
            let minDelta = try cursor.zigzag()
            let widths = try cursor.take(Int(miniblocks))
            for m in 0..<Int(miniblocks) where out.count < Int(total) {
                let width = Int(widths[m])
                guard width <= 64 else { throw ParquetFault("a miniblock bit width is over 64") }
                let packed = try cursor.take(perMiniblock * width / 8)
                scratch.removeAll(keepingCapacity: true)
                unpack(packed, bitWidth: width, count: perMiniblock, into: &scratch)
                for d in scratch where out.count < Int(total) {
                    value = value &+ minDelta &+ Int64(bitPattern: d)
                    out.append(value)
                }
            }
        }
        return out
    }

    /// Byte strings as (start, length) into `bytes`, from DELTA_LENGTH_BYTE_ARRAY.
    static func deltaLengthByteArray(_ cursor: inout ByteCursor) throws -> [Range<Int>] {
        let lengths = try deltaBinaryPacked(&cursor)
        var out: [Range<Int>] = []
        out.reserveCapacity(lengths.count)
        var at = cursor.position
        for n in lengths {
            guard n >= 0, n <= Int64(cursor.bytes.count - at) else { throw ParquetFault("a string runs past its page") }
            out.append(at..<at + Int(n))
            at += Int(n)
        }
        cursor.position = at
        return out
    }

    /// Byte strings from DELTA_BYTE_ARRAY (each shares a prefix with the one before).
    static func deltaByteArray(_ cursor: inout ByteCursor) throws -> [[UInt8]] {
        let prefixes = try deltaBinaryPacked(&cursor)
        let suffixes = try deltaLengthByteArray(&cursor)
        guard prefixes.count == suffixes.count else { throw ParquetFault("DELTA_BYTE_ARRAY prefix and suffix counts differ") }
        var out: [[UInt8]] = []
        out.reserveCapacity(prefixes.count)
        var previous: [UInt8] = []
        for (p, s) in zip(prefixes, suffixes) {
            guard p >= 0, p <= Int64(previous.count) else { throw ParquetFault("a DELTA_BYTE_ARRAY prefix is longer than the value before it") }
            let value = Array(previous[0..<Int(p)]) + Array(cursor.bytes[s])
            out.append(value)
            previous = value
        }
        return out
    }

    /// Values in the RLE/bit-packed hybrid, written as bit-packed groups of eight (a run for a constant page).
    static func encodeHybrid(_ values: [UInt32], bitWidth: Int, into out: inout [UInt8]) {
        var writer = ThriftWriter()
        if let first = values.first, values.allSatisfy({ $0 == first }) {
            writer.varint(UInt64(values.count) << 1)
            out += writer.bytes
            for k in 0..<(bitWidth + 7) / 8 { out.append(UInt8(truncatingIfNeeded: first >> (8 * UInt32(k)))) }
            return
        }
        let groups = (values.count + 7) / 8
        writer.varint(UInt64(groups) << 1 | 1)
        out += writer.bytes
        var packed = [UInt8](repeating: 0, count: groups * bitWidth)
        var bit = 0
        for v in values {
            for k in 0..<bitWidth where v >> UInt32(k) & 1 == 1 { packed[(bit + k) >> 3] |= 1 << UInt8((bit + k) & 7) }
            bit += bitWidth
        }
        out += packed
    }
}
