import TallyCore
import CCodecs

/// Page compression: Parquet's codecs through Debian's snappy, zstd and zlib.
enum ParquetCodec {
    /// A page's bytes decompressed to exactly `size` bytes.
    static func decompress(_ input: UnsafeBufferPointer<UInt8>, codec: ParquetFormat.Codec, size: Int) throws -> [UInt8] {
        if codec == .uncompressed {
            guard input.count == size else { throw ParquetFault("an uncompressed page is \(input.count) bytes but says \(size)") }
            return Array(input)
        }
        // A page of 1 GiB or more is not something a writer makes; refuse before allocating.
        guard size < 1 << 30 else { throw ParquetFault("a page claims \(size) bytes uncompressed") }
        var out = [UInt8](repeating: 0, count: size)
        let written = out.withUnsafeMutableBufferPointer { o -> Int in
            guard let i = input.baseAddress ?? UnsafePointer(bitPattern: 1), let p = o.baseAddress ?? UnsafeMutablePointer(bitPattern: 1) else { return -1 }
            switch codec {
            case .snappy: return tly_snappy_decompress(i, input.count, p, size)
            case .zstd: return tly_zstd_decompress(i, input.count, p, size)
            case .gzip: return tly_gzip_decompress(i, input.count, p, size)
            default: return -2
            }
        }
        if written == -2 { throw ParquetFault("pages compressed with \(codec) are not read (uncompressed, Snappy, GZIP and ZSTD are)") }
        guard written == size else { throw ParquetFault("a \(codec)-compressed page is damaged") }
        return out
    }

    /// Bytes compressed with `codec` (uncompressed, snappy or zstd).
    static func compress(_ input: [UInt8], codec: ParquetFormat.Codec) throws -> [UInt8] {
        guard codec == .snappy || codec == .zstd else { return input }
        let bound = codec == .snappy ? tly_snappy_bound(input.count) : tly_zstd_bound(input.count)
        var out = [UInt8](repeating: 0, count: max(bound, 1))
        let written = input.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o -> Int in
                let source = i.baseAddress ?? UnsafePointer(bitPattern: 1)!
                return codec == .snappy ? tly_snappy_compress(source, i.count, o.baseAddress!, bound)
                    : tly_zstd_compress(source, i.count, o.baseAddress!, bound, 3)
            }
        }
        guard written >= 0 else { throw ParquetFault("\(codec) compression failed") }
        return Array(out[0..<written])
    }
}
