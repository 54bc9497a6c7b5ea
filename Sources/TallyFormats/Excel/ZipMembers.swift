import TallyCore
import CCodecs
import Foundation

/// The members of a zip archive, read from its central directory with every offset and size checked against the
/// file. Workbooks come from anywhere, and ZIPFoundation (which writes Tally's workbooks) traps on some damaged
/// archives in memory and loops forever on others from a file, so reading goes through this instead. Stored and
/// deflated members; ZIP64 archives (over 4 GiB) are refused.
struct ZipMembers {
    private let bytes: [UInt8]
    private var members: [String: (method: Int, compressed: Int, size: Int, header: Int, crc: UInt32)] = [:]

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard let end = ZipMembers.endRecord(bytes) else { throw XLSXFault("not an .xlsx workbook (not a zip archive)") }
        let count = u16(end + 10), directorySize = u32(end + 12), directoryStart = u32(end + 16)
        guard directoryStart <= end, directorySize <= end - directoryStart else { throw XLSXFault("the zip directory lies outside the file") }
        var at = directoryStart
        for _ in 0..<count {
            guard at + 46 <= end, u32(at) == 0x0201_4B50 else { throw XLSXFault("the zip directory is damaged") }
            let nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32)
            guard at + 46 + nameLength <= end else { throw XLSXFault("the zip directory is damaged") }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            let compressed = u32(at + 20), size = u32(at + 24), header = u32(at + 42)
            guard compressed != 0xFFFF_FFFF, size != 0xFFFF_FFFF, header != 0xFFFF_FFFF else { throw XLSXFault("ZIP64 workbooks (over 4 GiB) are not read") }
            // The member's own header repeats its name: a damaged name in either place would hide or rename a part.
            guard header + 30 + nameLength <= bytes.count, u32(header) == 0x0403_4B50, u16(header + 26) == nameLength,
                  bytes[(header + 30)..<(header + 30 + nameLength)].elementsEqual(bytes[(at + 46)..<(at + 46 + nameLength)]) else {
                throw XLSXFault("the zip directory is damaged: member `\(name)` does not match its own header")
            }
            members[name] = (u16(at + 10), compressed, size, header, UInt32(u32(at + 16)))
            at += 46 + nameLength + extra + comment
        }
    }

    /// The end-of-central-directory record: its signature within the last 64 KiB + 22 bytes.
    private static func endRecord(_ b: [UInt8]) -> Int? {
        guard b.count >= 22 else { return nil }
        var at = b.count - 22
        let lowest = max(0, b.count - 22 - 65_535)
        while at >= lowest {
            if b[at] == 0x50, b[at + 1] == 0x4B, b[at + 2] == 5, b[at + 3] == 6 { return at }
            at -= 1
        }
        return nil
    }

    private func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    private func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }

    /// A member's bytes, or nil when the archive has no such member; at most `limit` bytes unpacked.
    func read(_ name: String, limit: Int) throws -> Data? {
        guard let m = members[name] else { return nil }
        guard m.size <= limit else { throw XLSXFault("part `\(name)` unpacks to more than \(limit >> 20) MiB") }
        guard m.header + 30 <= bytes.count, u32(m.header) == 0x0403_4B50 else { throw XLSXFault("part `\(name)` is damaged") }
        let start = m.header + 30 + u16(m.header + 26) + u16(m.header + 28)
        guard start <= bytes.count, m.compressed <= bytes.count - start else { throw XLSXFault("part `\(name)` runs past the end of the file") }
        let unpacked: [UInt8]
        switch m.method {
        case 0:
            guard m.compressed == m.size else { throw XLSXFault("part `\(name)` is damaged") }
            unpacked = Array(bytes[start..<(start + m.size)])
        case 8:
            var out = [UInt8](repeating: 0, count: max(m.size, 1))
            let written = bytes.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in tly_inflate_raw(b.baseAddress! + start, m.compressed, o.baseAddress!, m.size) }
            }
            guard written == m.size else { throw XLSXFault("part `\(name)` is damaged (its compressed data does not unpack to its size)") }
            unpacked = Array(out[0..<m.size])
        default:
            throw XLSXFault("part `\(name)` uses zip compression method \(m.method); only stored and deflated parts are read")
        }
        // The CRC-32 the archive records finds any damage to a member that still unpacks (as `unzip -t` does).
        let crc = unpacked.isEmpty ? 0 : unpacked.withUnsafeBufferPointer { tly_crc32($0.baseAddress!, $0.count) }
        guard crc == m.crc else {
            throw XLSXFault("part `\(name)` is damaged: its CRC-32 is not the one the archive records")
        }
        return Data(unpacked)
    }
}
