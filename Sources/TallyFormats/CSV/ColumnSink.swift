import TallyCore
import Foundation

/// One column's final buffer, filled by several chunks at once (each at its own rows), then turned
/// into a ``Column`` with a single move.
final class ColumnSink: @unchecked Sendable {
    let type: DataType
    let count: Int
    private var ints: UnsafeMutablePointer<Int64>?
    private var floats: UnsafeMutablePointer<Double>?
    private var codes: UnsafeMutablePointer<Int32>?
    private var nullRows: [Int] = []
    private let lock = NSLock()

    init(type: DataType, count: Int) {
        self.type = type
        self.count = count
        switch type {
        case .float:
            floats = .allocate(capacity: max(1, count)); ints = nil; codes = nil
        case .string:
            codes = .allocate(capacity: max(1, count)); ints = nil; floats = nil
        default:
            ints = .allocate(capacity: max(1, count)); floats = nil; codes = nil
        }
        ints?.initialize(repeating: 0, count: max(1, count))
        floats?.initialize(repeating: 0, count: max(1, count))
        codes?.initialize(repeating: 0, count: max(1, count))
    }

    deinit { release() }

    private func release() {
        ints?.deallocate()
        floats?.deallocate()
        codes?.deallocate()
        ints = nil
        floats = nil
        codes = nil
    }

    /// Where parsing writes: plain pointers, so the hot loop does no reference counting.
    var target: SinkTarget { SinkTarget(type: type, ints: ints, floats: floats, codes: codes) }

    func addNulls(_ rows: [Int]) {
        guard !rows.isEmpty else { return }
        lock.lock()
        nullRows += rows
        lock.unlock()
    }

    /// The finished column; chunk k's string codes (rows from `offsets[k]`) are mapped into one dictionary.
    /// The buffer is freed at once, so columns finished one after another never exist twice together.
    func finish(dictionaries: [ByteDictionary], offsets: [Int]) -> Column {
        defer { release() }
        var validity: Bitmap? = nil
        if !nullRows.isEmpty {
            var v = Bitmap(count: count, value: true)
            for r in nullRows { v[r] = false }
            validity = v
        }
        switch type {
        case .float:
            return Column(floats: Array(UnsafeBufferPointer(start: floats, count: count)), validity: validity)
        case .string:
            let (dictionary, remaps) = ByteDictionary.merge(dictionaries)
            for (k, remap) in remaps.enumerated() {
                for r in offsets[k]..<offsets[k + 1] { codes![r] = remap.isEmpty ? 0 : remap[Int(codes![r])] }
            }
            return Column(codes: Array(UnsafeBufferPointer(start: codes, count: count)), dictionary: dictionary.isEmpty ? [""] : dictionary, validity: validity)
        default:
            return Column(ints: Array(UnsafeBufferPointer(start: ints, count: count)), type: type, validity: validity)
        }
    }
}

/// The buffers of a ``ColumnSink`` as raw pointers, for the parsing loop.
struct SinkTarget {
    let type: DataType
    let ints: UnsafeMutablePointer<Int64>?
    let floats: UnsafeMutablePointer<Double>?
    let codes: UnsafeMutablePointer<Int32>?

    /// Parses one field into row `row`; strings get chunk-local codes from `strings`.
    @inline(__always)
    func store(_ b: UnsafeBufferPointer<UInt8>, _ f: FieldRef, row: Int, strings: inout ByteDictionary, nulls: inout [Int]) {
        if f.isEmpty { nulls.append(row); return }
        let s = f.start, n = f.length
        switch type {
        case .int: ints![row] = CSVValues.parseInt(b, s, n) ?? 0
        case .float: floats![row] = CSVValues.parseDouble(b, s, n) ?? 0
        case .bool: ints![row] = b[s] == 116 || b[s] == 84 ? 1 : 0
        case .date: ints![row] = CSVValues.parseDate(b, s, n) ?? 0
        case .period: ints![row] = CSVValues.parsePeriod(b, s, n)?.encoded ?? 0
        default: codes![row] = SinkTarget.code(b, f, strings: &strings)
        }
    }

    /// The chunk-local code of a string field's text (doubled quotes read as one).
    @inline(__always)
    static func code(_ b: UnsafeBufferPointer<UInt8>, _ f: FieldRef, strings: inout ByteDictionary) -> Int32 {
        let s = f.start, n = f.length
        if f.escaped {
            var unescaped: [UInt8] = []
            var k = s
            while k < s + n {
                unescaped.append(b[k])
                k += b[k] == 0x22 ? 2 : 1
            }
            return unescaped.withUnsafeBufferPointer { strings.code($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
        }
        if n == 0 { return strings.code(UnsafePointer(bitPattern: 1)!, 0) }
        return strings.code(b.baseAddress! + s, n)
    }
}
