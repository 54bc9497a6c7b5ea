import TallyCore
/// The parts of Parquet's metadata (parquet.thrift) Tally reads and writes, with their field ids.
enum ParquetFormat {
    enum PhysicalType: Int64 {
        case boolean = 0, int32, int64, int96, float, double, byteArray, fixedLenByteArray
    }

    enum Codec: Int64 {
        case uncompressed = 0, snappy, gzip, lzo, brotli, lz4, zstd, lz4Raw
    }

    enum Encoding: Int64 {
        case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5, deltaLengthByteArray = 6
        case deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9
    }

    enum PageType: Int64 {
        case data = 0, index, dictionary, dataV2
    }

    /// What the values mean beyond their physical type (logical or legacy converted type).
    enum Meaning: Equatable {
        case none, string, date, decimal(scale: Int), timestamp(unitsPerSecond: Int64), unsigned, nested, other(String)
    }

    struct SchemaElement {
        var type: PhysicalType?
        var typeLength: Int
        var repetition: Int64
        var name: String
        var children: Int
        var meaning: Meaning

        init(_ f: [Int16: ThriftValue]) throws {
            type = f[1]?.int.flatMap(PhysicalType.init(rawValue:))
            typeLength = Int(clamping: f[2]?.int ?? 0)
            repetition = f[3]?.int ?? 0
            name = f[4]?.string ?? ""
            children = Int(clamping: f[5]?.int ?? 0)
            meaning = SchemaElement.meaning(converted: f[6]?.int, scale: Int(clamping: f[7]?.int ?? 0), logical: f[10]?.fields)
        }

        static func meaning(converted: Int64?, scale: Int, logical: [Int16: ThriftValue]?) -> Meaning {
            if let logical {
                if logical[1] != nil || logical[4] != nil || logical[12] != nil { return .string }
                if let d = logical[5]?.fields { return .decimal(scale: Int(clamping: d[1]?.int ?? 0)) }
                if logical[6] != nil { return .date }
                if let t = logical[8]?.fields {
                    let unit = t[2]?.fields ?? [:]
                    return .timestamp(unitsPerSecond: unit[1] != nil ? 1_000 : unit[2] != nil ? 1_000_000 : 1_000_000_000)
                }
                if let i = logical[10]?.fields, i[2]?.bool == false { return .unsigned }
                if logical[2] != nil || logical[3] != nil { return .nested }
                if logical[7] != nil { return .other("TIME") }
                if logical[14] != nil { return .other("UUID") }
                if logical[15] != nil { return .other("FLOAT16") }
            }
            switch converted {
            case 0, 4, 19: return .string
            case 5: return .decimal(scale: scale)
            case 6: return .date
            case 9: return .timestamp(unitsPerSecond: 1_000)
            case 10: return .timestamp(unitsPerSecond: 1_000_000)
            case 11, 12, 13, 14: return .unsigned
            case 1, 2, 3: return .nested
            case 7, 8: return .other("TIME")
            case 21: return .other("INTERVAL")
            default: return .none
            }
        }
    }

    struct Statistics {
        var min: [UInt8]?
        var max: [UInt8]?
        /// Whether `min` and `max` are min_value/max_value (ordered by the logical type, so valid for strings) rather than
        /// the deprecated min/max (ordered as signed values, valid for numbers only).
        var ordered: Bool
        var nullCount: Int64?

        init(_ f: [Int16: ThriftValue]?) {
            ordered = f?[6]?.binary != nil && f?[5]?.binary != nil
            min = ordered ? f?[6]?.binary : f?[2]?.binary
            max = ordered ? f?[5]?.binary : f?[1]?.binary
            nullCount = f?[3]?.int
        }
    }

    struct ColumnChunk {
        var type: PhysicalType
        var path: [String]
        var codec: Codec
        var valueCount: Int64
        var compressedSize: Int64
        var dataPageOffset: Int64
        var dictionaryPageOffset: Int64?
        var statistics: Statistics

        init(_ f: [Int16: ThriftValue]) throws {
            guard let m = f[3]?.fields else { throw ParquetFault("a column chunk has no metadata (external column files are not read)") }
            guard let t = m[1]?.int.flatMap(PhysicalType.init(rawValue:)) else { throw ParquetFault("a column chunk has an unknown type") }
            type = t
            path = (m[3]?.list ?? []).compactMap(\.string)
            guard let c = m[4]?.int.flatMap(Codec.init(rawValue:)) else { throw ParquetFault("a column chunk has an unknown compression codec") }
            codec = c
            valueCount = m[5]?.int ?? 0
            compressedSize = m[7]?.int ?? 0
            dataPageOffset = m[9]?.int ?? 0
            dictionaryPageOffset = m[11]?.int
            statistics = Statistics(m[12]?.fields)
        }
    }

    struct RowGroup {
        var columns: [ColumnChunk]
        var rowCount: Int64

        init(_ f: [Int16: ThriftValue]) throws {
            columns = try (f[1]?.list ?? []).map { v in
                guard let c = v.fields else { throw ParquetFault("bad column chunk in the footer") }
                return try ColumnChunk(c)
            }
            rowCount = f[3]?.int ?? 0
        }
    }

    struct FileMetaData {
        var schema: [SchemaElement]
        var rowCount: Int64
        var rowGroups: [RowGroup]
        /// The footer's key-value metadata (Tally records its period columns there).
        var keyValues: [String: String] = [:]

        init(_ f: [Int16: ThriftValue]) throws {
            schema = try (f[2]?.list ?? []).map { v in
                guard let e = v.fields else { throw ParquetFault("bad schema element in the footer") }
                return try SchemaElement(e)
            }
            rowCount = f[3]?.int ?? 0
            rowGroups = try (f[4]?.list ?? []).map { v in
                guard let g = v.fields else { throw ParquetFault("bad row group in the footer") }
                return try RowGroup(g)
            }
            for entry in f[5]?.list ?? [] {
                if let kv = entry.fields, let key = kv[1]?.string { keyValues[key] = kv[2]?.string ?? "" }
            }
        }
    }

    struct PageHeader {
        var type: PageType
        var uncompressedSize: Int
        var compressedSize: Int
        var valueCount: Int
        var encoding: Encoding
        /// Data page v2 only: the level bytes before the values, which are never compressed, and whether the values are.
        var definitionLevelBytes = 0
        var repetitionLevelBytes = 0
        var valuesCompressed = true

        init(_ f: [Int16: ThriftValue]) throws {
            guard let t = f[1]?.int.flatMap(PageType.init(rawValue:)) else { throw ParquetFault("a page has an unknown type") }
            type = t
            uncompressedSize = Int(clamping: f[2]?.int ?? -1)
            compressedSize = Int(clamping: f[3]?.int ?? -1)
            guard uncompressedSize >= 0, compressedSize >= 0 else { throw ParquetFault("a page has a negative size") }
            let body: [Int16: ThriftValue]
            switch t {
            case .data: body = f[5]?.fields ?? [:]
            case .dictionary: body = f[7]?.fields ?? [:]
            case .dataV2:
                body = f[8]?.fields ?? [:]
                definitionLevelBytes = Int(clamping: body[5]?.int ?? 0)
                repetitionLevelBytes = Int(clamping: body[6]?.int ?? 0)
                valuesCompressed = body[7]?.bool ?? true
                guard definitionLevelBytes >= 0, repetitionLevelBytes >= 0 else { throw ParquetFault("a page has negative level sizes") }
            case .index: body = [:]
            }
            valueCount = Int(clamping: body[1]?.int ?? 0)
            guard valueCount >= 0 else { throw ParquetFault("a page has a negative value count") }
            let e = t == .dataV2 ? body[4]?.int : body[2]?.int
            guard let encoding = Encoding(rawValue: e ?? 0) else { throw ParquetFault("a page uses encoding \(e ?? 0), which Tally does not read") }
            self.encoding = encoding
        }
    }
}
