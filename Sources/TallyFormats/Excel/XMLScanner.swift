import TallyCore
import Foundation

/// Reads the XML of a workbook part token by token, straight from its bytes: tags with their attributes, and the
/// character data between them. Workbook parts are machine-written XML without a DTD, so this is all they need;
/// a DTD is refused (its entities could expand without end), processing instructions and comments are skipped, and
/// a tag that never closes is an error naming the part.
struct XMLScanner {
    enum Token {
        /// `<name …>`, or `<name …/>` when `empty`; `attributes` is the text between the name and the end.
        case open(name: Range<Int>, attributes: Range<Int>, empty: Bool)
        case close(name: Range<Int>)
        /// Character data: entities still encoded, unless `raw` (a CDATA section).
        case text(Range<Int>, raw: Bool)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let part: String
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, part: String) {
        self.bytes = bytes
        self.part = part
    }

    private static let lt: UInt8 = 0x3C, gt: UInt8 = 0x3E, slash: UInt8 = 0x2F, bang: UInt8 = 0x21, question: UInt8 = 0x3F

    /// The next token, or nil at the end of the part.
    mutating func next() throws -> Token? {
        while position < bytes.count {
            let start = position
            guard bytes[start] == XMLScanner.lt else {
                position = find(XMLScanner.lt, from: start) ?? bytes.count
                return .text(start..<position, raw: false)
            }
            guard start + 1 < bytes.count else { throw fault("it ends inside a tag") }
            switch bytes[start + 1] {
            case XMLScanner.question:
                position = try end(of: "?>", from: start + 2)
            case XMLScanner.bang:
                if starts(with: "<!--", at: start) {
                    position = try end(of: "-->", from: start + 4)
                } else if starts(with: "<![CDATA[", at: start) {
                    let close = try end(of: "]]>", from: start + 9)
                    position = close
                    return .text(start + 9..<close - 3, raw: true)
                } else {
                    throw XLSXFault("`\(part)` holds a DTD or other declaration, which workbook parts do not")
                }
            case XMLScanner.slash:
                guard let close = find(XMLScanner.gt, from: start + 2) else { throw fault("a closing tag does not end") }
                position = close + 1
                return .close(name: trimmed(start + 2..<close))
            default:
                var i = start + 1
                while i < bytes.count, !isSpace(bytes[i]), bytes[i] != XMLScanner.gt, bytes[i] != XMLScanner.slash { i += 1 }
                let name = start + 1..<i
                // Attribute values may hold `>`, so quotes are followed to the tag's end.
                var quote: UInt8 = 0
                while i < bytes.count {
                    let b = bytes[i]
                    if quote != 0 {
                        if b == quote { quote = 0 }
                    } else if b == 0x22 || b == 0x27 {
                        quote = b
                    } else if b == XMLScanner.gt {
                        break
                    }
                    i += 1
                }
                guard i < bytes.count, !name.isEmpty else { throw fault("a tag does not end") }
                position = i + 1
                let empty = bytes[i - 1] == XMLScanner.slash && i - 1 >= name.upperBound
                return .open(name: name, attributes: name.upperBound..<(empty ? i - 1 : i), empty: empty)
            }
        }
        return nil
    }

    /// Whether a tag's name, without its namespace prefix, is `local`.
    func named(_ name: Range<Int>, _ local: StaticString) -> Bool {
        var from = name.lowerBound
        for i in name where bytes[i] == 0x3A { from = i + 1 }
        return equal(from..<name.upperBound, local)
    }

    /// The value of an attribute (by its name without prefix), entities decoded.
    func attribute(_ local: StaticString, in range: Range<Int>) -> String? {
        attributeRange(local, in: range).map { text($0, raw: false) }
    }

    /// Where an attribute's value lies (by its name without prefix), entities still encoded.
    func attributeRange(_ local: StaticString, in range: Range<Int>) -> Range<Int>? {
        var i = range.lowerBound
        while i < range.upperBound {
            while i < range.upperBound, isSpace(bytes[i]) { i += 1 }
            let nameStart = i
            var localStart = i
            while i < range.upperBound, bytes[i] != 0x3D, !isSpace(bytes[i]) {
                if bytes[i] == 0x3A { localStart = i + 1 }
                i += 1
            }
            let nameEnd = i
            while i < range.upperBound, bytes[i] != 0x22, bytes[i] != 0x27 { i += 1 }
            guard i < range.upperBound, nameEnd > nameStart else { return nil }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < range.upperBound, bytes[i] != quote { i += 1 }
            if equal(localStart..<nameEnd, local) { return valueStart..<min(i, range.upperBound) }
            i += 1
        }
        return nil
    }

    /// Character data as a string, with the predefined and numeric entities decoded (unless `raw`).
    func text(_ range: Range<Int>, raw: Bool) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard !raw, slice.contains(0x26) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            guard bytes[i] == 0x26, let semicolon = (i + 1..<min(range.upperBound, i + 12)).first(where: { bytes[$0] == 0x3B }) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let entity = String(decoding: UnsafeBufferPointer(rebasing: bytes[i + 1..<semicolon]), as: UTF8.self)
            if let decoded = XMLScanner.entity(entity) {
                out += Array(String(decoded).utf8)
                i = semicolon + 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The character an entity name (`amp`, `#65`, `#x41`) stands for.
    static func entity(_ name: String) -> Character? {
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.hasPrefix("#") else { return nil }
            let hex = name.hasPrefix("#x") || name.hasPrefix("#X")
            let code = hex ? UInt32(name.dropFirst(2), radix: 16) : UInt32(name.dropFirst())
            return code.flatMap(Unicode.Scalar.init).map(Character.init)
        }
    }

    private func fault(_ what: String) -> XLSXFault { XLSXFault("`\(part)` is not well-formed XML (\(what))") }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private func find(_ byte: UInt8, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The position after the first `terminator` at or after `from`.
    private func end(of terminator: StaticString, from: Int) throws -> Int {
        let first = terminator.utf8Start[0]
        var i = from
        while let hit = find(first, from: i) {
            if starts(with: terminator, at: hit) { return hit + terminator.utf8CodeUnitCount }
            i = hit + 1
        }
        throw fault("`\(terminator)` is missing")
    }

    private func starts(with s: StaticString, at i: Int) -> Bool {
        i + s.utf8CodeUnitCount <= bytes.count && equal(i..<i + s.utf8CodeUnitCount, s)
    }

    /// A non-negative decimal integer spelt by the bytes of `range` (an attribute's value), if that is all they hold.
    func integer(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var n = 0
        for i in range {
            let d = Int(bytes[i]) - 48
            guard d >= 0, d <= 9 else { return nil }
            n = n * 10 + d
        }
        return n
    }

    /// Whether the bytes of `range` are exactly `s`.
    func equal(_ range: Range<Int>, _ s: StaticString) -> Bool {
        guard range.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for (k, i) in range.enumerated() where bytes[i] != p[k] { return false }
        return true
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
        return lo..<hi
    }
}
