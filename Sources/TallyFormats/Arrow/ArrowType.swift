import TallyCore

/// The Arrow types Tally reads from an IPC stream (Arrow's `Schema.fbs`), each with what it becomes in Tally.
public enum ArrowType: Equatable, Sendable {
    case null
    case int(bits: Int, signed: Bool)
    case float(bits: Int)
    case bool
    case utf8, largeUtf8
    case decimal(precision: Int, scale: Int, bits: Int)
    /// Days since 1970-01-01 (`DAY`), or milliseconds (`MILLISECOND`).
    case date(milliseconds: Bool)
    /// Seconds, milliseconds, microseconds or nanoseconds since the epoch: `unitsPerSecond` is 1, 1e3, 1e6 or 1e9.
    case timestamp(unitsPerSecond: Int64)

    /// The Tally type a column of this Arrow type becomes.
    public var tallyType: DataType {
        switch self {
        case .null: return .null
        case .int: return .int
        case .float: return .float
        case .bool: return .bool
        case .utf8, .largeUtf8, .timestamp: return .string
        case .decimal(let precision, let scale, _): return scale == 0 && precision <= 18 ? .int : .float
        case .date: return .date
        }
    }

    /// The type a `Field` table describes, through its `type_type` union tag and `type` table.
    static func read(tag: UInt8, table: FlatTable?) throws -> ArrowType {
        func required() throws -> FlatTable {
            guard let table else { throw ArrowStreamError("a column's type has no description") }
            return table
        }
        switch tag {
        case 1: return .null
        case 2:
            let t = try required()
            let bits = Int(try t.int32(0))
            guard [8, 16, 32, 64].contains(bits) else { throw ArrowStreamError("an integer column of \(bits) bits") }
            return .int(bits: bits, signed: try t.bool(1))
        case 3:
            switch try required().int16(0) {
            case 1: return .float(bits: 32)
            case 2: return .float(bits: 64)
            default: throw ArrowStreamError("a half-precision float column, which Tally does not read")
            }
        case 5: return .utf8
        case 6: return .bool
        case 7:
            let t = try required()
            let bits = Int(try t.int32(2, default: 128))
            guard bits == 128 || bits == 64 else { throw ArrowStreamError("a decimal column of \(bits) bits, which Tally does not read") }
            let precision = Int(try t.int32(0)), scale = Int(try t.int32(1))
            guard (0...38).contains(scale) else { throw ArrowStreamError("a decimal column with scale \(scale)") }
            return .decimal(precision: precision, scale: scale, bits: bits)
        case 8: return .date(milliseconds: try table?.int16(0, default: 1) ?? 1 == 1)
        case 10:
            let units: [Int64] = [1, 1_000, 1_000_000, 1_000_000_000]
            let unit = Int(try required().int16(0))
            guard units.indices.contains(unit) else { throw ArrowStreamError("a timestamp column of unknown unit \(unit)") }
            return .timestamp(unitsPerSecond: units[unit])
        case 20: return .largeUtf8
        default:
            let names: [UInt8: String] = [4: "binary", 9: "time", 11: "interval", 12: "list", 13: "struct", 14: "union", 15: "fixed-size binary",
                                          16: "fixed-size list", 17: "map", 18: "duration", 19: "large binary", 21: "large list"]
            throw ArrowStreamError("a column of Arrow type \(names[tag] ?? "number \(tag)"), which Tally does not read")
        }
    }
}

/// A column of an Arrow schema.
public struct ArrowField: Equatable, Sendable {
    public let name: String
    public let type: ArrowType
    public let nullable: Bool
}

/// Why an Arrow IPC stream could not be read: damaged, hostile, or of a type Tally does not read.
public struct ArrowStreamError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ problem: String) { description = "Arrow stream: " + problem }
}
