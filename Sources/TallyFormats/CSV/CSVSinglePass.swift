import TallyCore
import Dispatch
import Foundation

/// One pass over the records instead of two: the column types are guessed from the first records, every chunk then
/// classifies and parses each field at once into growing buffers of its own, and the chunks are joined. The kinds of
/// every field are still combined, so the guess is checked against all of them: when they give other types (a float
/// after a thousand ints) or anything is wrong with the bytes, the caller reads the file again the exact two-pass way,
/// which also reports errors. Either way the table is the one the two passes read.
extension CSVReader {
    /// How many records the types are guessed from.
    static let guessRecords = 10_000

    /// One chunk's values, column by column.
    struct ChunkValues {
        /// Each column's values as stored: 8-byte ints, days, period codes or doubles; 4-byte string codes.
        var columns: [GrowingBuffer]
        var dictionaries: [ByteDictionary]
        /// Chunk-local rows that are null, per column.
        var nulls: [[Int]]
        var kinds: [UInt8]
        var rows = 0
    }

    /// How one column's fields are stored.
    enum FieldPlan {
        /// A string column from its first records on: interned without classifying.
        case text
        /// Classified, then stored as a double, a boolean, interned text, or its integer (int, days, period code).
        case double, bool, string, integer
    }

    /// A column's values as they are read: raw memory that doubles when full, freed with the buffer.
    final class GrowingBuffer {
        private(set) var base: UnsafeMutableRawPointer
        private(set) var count = 0
        private var capacity: Int
        let stride: Int

        init(stride: Int, capacity: Int) {
            self.stride = stride
            self.capacity = max(16, capacity)
            base = .allocate(byteCount: self.capacity * stride, alignment: 8)
        }

        deinit { base.deallocate() }

        @inline(__always)
        func append<T>(_ value: T) {
            if count == capacity { grow() }
            base.storeBytes(of: value, toByteOffset: count * stride, as: T.self)
            count += 1
        }

        private func grow() {
            let larger = UnsafeMutableRawPointer.allocate(byteCount: 2 * capacity * stride, alignment: 8)
            larger.copyMemory(from: base, byteCount: count * stride)
            base.deallocate()
            base = larger
            capacity *= 2
        }
    }

    /// The table read in one pass, or nil when the guessed types are wrong or the bytes have a problem.
    func singlePass(_ b: UnsafeBufferPointer<UInt8>, _ chunks: [Range<Int>], names: [String], release: @escaping (Range<Int>) -> Void) -> Table? {
        guard let first = chunks.first, let guess = try? guessKinds(b, first, columns: names.count) else { return nil }
        let types = guess.kinds.map(CSVValues.type(for:))
        var parts = [ChunkValues?](repeating: nil, count: chunks.count)
        parts.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                out[k] = try? values(b, chunks[k], guessed: guess.kinds, bytesPerRecord: guess.bytesPerRecord, release: release)
            }
        }
        // The chunks' arrays are held once, by `read`, so that joining can free each as soon as it is copied.
        var read = parts.compactMap { $0 }
        parts.removeAll()
        guard read.count == chunks.count else { return nil }
        var kinds = [UInt8](repeating: 0, count: names.count)
        for part in read { for c in kinds.indices { kinds[c] |= part.kinds[c] } }
        guard kinds.map(CSVValues.type(for:)) == types else { return nil }
        return join(&read, types: types, names: names)
    }

    /// The kinds of the values of the first ``guessRecords`` records of a chunk, and their mean length in bytes.
    func guessKinds(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, columns: Int) throws -> (kinds: [UInt8], bytesPerRecord: Double) {
        var t = CSVTokenizer(bytes: UnsafeBufferPointer(rebasing: b[..<range.upperBound]), delimiter: delimiter, position: range.lowerBound)
        var kinds = [UInt8](repeating: 0, count: columns)
        var records = 0
        while t.position < range.upperBound, records < CSVReader.guessRecords {
            var c = 0
            repeat {
                let f = try t.field()
                if c < columns, f.length > 0 || f.quoted { kinds[c] |= CSVValues.classify(b, f) }
                c += 1
            } while !t.atRecordEnd
            records += 1
        }
        return (kinds, Double(t.position - range.lowerBound) / Double(max(1, records)))
    }

    /// One chunk's fields classified and parsed as the types the `guessed` kinds give; throws at the first problem with
    /// the bytes.
    func values(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, guessed: [UInt8], bytesPerRecord: Double,
                release: (Range<Int>) -> Void) throws -> ChunkValues {
        let types = guessed.map(CSVValues.type(for:))
        if firstInvalidUTF8(b, range) != nil { throw CSVFault(offset: range.lowerBound, message: "invalid UTF-8") }
        let columns = types.count
        // Room for the records the first ones' length suggests, and a little more, so that the buffers rarely grow.
        let estimate = Int(min(Double(range.count), Double(range.count) / max(1, bytesPerRecord) * 1.05)) + 16
        let buffers = types.map { GrowingBuffer(stride: $0 == .string ? 4 : 8, capacity: estimate) }
        var dictionaryOf = types.map { _ in ByteDictionary() }
        var nullsOf = types.map { _ in [Int]() }
        // A column whose first records hold text is a string column whatever follows: its fields need no classifying.
        let textual = guessed.map { $0 & CSVValues.text != 0 }
        var kindsOf = textual.map { $0 ? CSVValues.text : 0 }
        var t = CSVTokenizer(bytes: UnsafeBufferPointer(rebasing: b[..<range.upperBound]), delimiter: delimiter, position: range.lowerBound)
        var released = range.lowerBound
        var rows = 0
        // What to do with each column's fields, read through pointers so that the loop does no reference counting.
        let plan: [FieldPlan] = types.indices.map { c in
            textual[c] ? .text : types[c] == .float ? .double : types[c] == .bool ? .bool : types[c] == .string ? .string : .integer
        }
        try plan.withUnsafeBufferPointer { plan in
        try buffers.withUnsafeBufferPointer { buffers in
        try dictionaryOf.withUnsafeMutableBufferPointer { dictionaries in
            try nullsOf.withUnsafeMutableBufferPointer { nulls in
                try kindsOf.withUnsafeMutableBufferPointer { kinds in
                    while t.position < range.upperBound {
                        let recordStart = t.position
                        if recordStart - released > 1 << 25 {
                            try Interruption.check()
                            release(released..<recordStart)
                            released = recordStart
                        }
                        let first = try t.field()
                        // A blank line between records is skipped, as the two passes skip it.
                        if t.atRecordEnd, first.length == 0, !first.quoted, columns > 1 { continue }
                        var f = first
                        for c in 0..<columns {
                            if c > 0 {
                                guard !t.atRecordEnd else { throw CSVFault(offset: f.start, message: "too few fields") }
                                f = try t.field()
                            }
                            // `buffers` keeps every buffer alive: no reference counting per field.
                            unowned(unsafe) let column = buffers[c]
                            if f.isEmpty {
                                nulls[c].append(rows)
                                if column.stride == 4 { column.append(Int32(0)) } else { column.append(UInt64(0)) }
                                continue
                            }
                            let step = plan[c]
                            if step == .text {
                                column.append(SinkTarget.code(b, f, strings: &dictionaries[c]))
                                continue
                            }
                            let (kind, bits) = CSVValues.read(b, f)
                            kinds[c] |= kind
                            switch step {
                            case .double: column.append(kind == CSVValues.int ? Double(Int64(bitPattern: bits)).bitPattern : bits)
                            case .bool: column.append(UInt64(b[f.start] == 116 || b[f.start] == 84 ? 1 : 0))
                            case .string, .text: column.append(SinkTarget.code(b, f, strings: &dictionaries[c]))
                            case .integer: column.append(bits)
                            }
                        }
                        guard t.atRecordEnd else { throw CSVFault(offset: t.position, message: "too many fields") }
                        rows += 1
                    }
                }
            }
        }
        }
        }
        release(released..<range.upperBound)
        return ChunkValues(columns: buffers, dictionaries: dictionaryOf, nulls: nullsOf, kinds: kindsOf, rows: rows)
    }

    /// The chunks' columns joined in chunk order, one column at a time (each chunk's buffer freed once copied).
    func join(_ parts: inout [ChunkValues], types: [DataType], names: [String]) -> Table {
        let total = parts.reduce(0) { $0 + $1.rows }
        var offsets = [0]
        for part in parts { offsets.append(offsets.last! + part.rows) }
        var columns: [Column] = []
        for c in types.indices {
            var validity: Bitmap? = nil
            if parts.contains(where: { !$0.nulls[c].isEmpty }) {
                var bits = Bitmap(count: total, value: true)
                for (k, part) in parts.enumerated() { for r in part.nulls[c] { bits[offsets[k] + r] = false } }
                validity = bits
            }
            let buffers = parts.map { $0.columns[c] }
            switch types[c] {
            case .float:
                columns.append(Column(floats: joined(buffers, total, as: Double.self), validity: validity))
            case .string:
                let (dictionary, remaps) = ByteDictionary.merge(parts.map { $0.dictionaries[c] })
                let codes: [Int32] = HugePages.array(count: total) { out in
                    for (k, buffer) in buffers.enumerated() {
                        let local = buffer.base.assumingMemoryBound(to: Int32.self)
                        for i in 0..<buffer.count { out[offsets[k] + i] = remaps[k].isEmpty ? 0 : remaps[k][Int(local[i])] }
                    }
                }
                columns.append(Column(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary, validity: validity))
            default:
                columns.append(Column(ints: joined(buffers, total, as: Int64.self), type: types[c], validity: validity))
            }
            // Each chunk's buffer of this column is freed now, before the next column is joined.
            for k in parts.indices { parts[k].columns[c] = GrowingBuffer(stride: 1, capacity: 0) }
        }
        return Table(names: names, columns: columns, rowCount: total)
    }

    /// The buffers' values one after another in a new array of `total` elements.
    private func joined<T>(_ buffers: [GrowingBuffer], _ total: Int, as type: T.Type) -> [T] {
        guard total > 0 else { return [] }
        return HugePages.array(count: total) { out in
            var at = 0
            for buffer in buffers {
                UnsafeMutableRawPointer(out.baseAddress! + at).copyMemory(from: buffer.base, byteCount: buffer.count * buffer.stride)
                at += buffer.count
            }
        }
    }
}
