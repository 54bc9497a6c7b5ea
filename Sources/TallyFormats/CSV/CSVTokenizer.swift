import TallyCore
/// One field's place in the input: a byte range, and how it was quoted.
struct FieldRef {
    var start: Int
    var length: Int
    var quoted: Bool
    /// The field holds doubled quotes (`""`) that stand for one quote.
    var escaped: Bool

    var isEmpty: Bool { length == 0 && !quoted }
}

/// Splits RFC 4180 CSV bytes into fields without copying them.
struct CSVTokenizer {
    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    var position: Int
    /// Set after a field that ended its record (line break or end of input).
    private(set) var atRecordEnd = false

    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, position: Int) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.position = position
    }

    /// The next field; the position moves past its delimiter or line break.
    @inline(__always)
    mutating func field() throws -> FieldRef {
        let b = bytes
        let n = b.count
        var i = position
        var f: FieldRef
        if i < n, b[i] == 0x22 {
            let open = i
            i += 1
            let start = i
            var escaped = false
            while true {
                guard i < n else { throw CSVFault(offset: open, message: "unterminated quoted field (opened here)") }
                if b[i] == 0x22 {
                    if i + 1 < n, b[i + 1] == 0x22 { escaped = true; i += 2; continue }
                    break
                }
                i += 1
            }
            f = FieldRef(start: start, length: i - start, quoted: true, escaped: escaped)
            i += 1
            if i < n, b[i] != delimiter, b[i] != 10, b[i] != 13 {
                throw CSVFault(offset: i, message: "unexpected character after a closing quote")
            }
        } else {
            let start = i
            let d = delimiter
            while i < n {
                let c = b[i]
                if c == d || c == 10 || c == 13 { break }
                i += 1
            }
            f = FieldRef(start: start, length: i - start, quoted: false, escaped: false)
        }
        if i >= n {
            atRecordEnd = true
        } else if b[i] == delimiter {
            i += 1
            atRecordEnd = false
        } else {
            if b[i] == 13 { i += 1 }
            if i < n, b[i] == 10 { i += 1 }
            atRecordEnd = true
        }
        position = i
        return f
    }

    /// The text of a field, with doubled quotes undone.
    func text(_ f: FieldRef) -> String {
        let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[f.start..<(f.start + f.length)]), as: UTF8.self)
        return f.escaped ? raw.replacingOccurrences(of: "\"\"", with: "\"") : raw
    }
}

/// The offset of the first byte in `range` that breaks UTF-8, if any.
func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
    var i = range.lowerBound
    let n = range.upperBound
    while i < n {
        // Skip ASCII eight bytes at a time.
        while i + 8 <= n {
            let word = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        guard i < n else { return nil }
        let c = b[i]
        if c < 0x80 { i += 1; continue }
        let len: Int
        if c & 0xE0 == 0xC0, c >= 0xC2 { len = 2 } else if c & 0xF0 == 0xE0 { len = 3 } else if c & 0xF8 == 0xF0, c <= 0xF4 { len = 4 } else { return i }
        guard i + len <= n else { return i }
        for k in 1..<len where b[i + k] & 0xC0 != 0x80 { return i }
        // The second byte's narrower ranges (Unicode table 3-7): no overlong forms, no surrogates, nothing past U+10FFFF.
        let second = b[i + 1]
        if (c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) || (c == 0xF0 && second < 0x90) || (c == 0xF4 && second > 0x8F) {
            return i
        }
        i += len
    }
    return nil
}

/// 1-based line and column (in characters) of a byte offset.
func position(of offset: Int, in b: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
    var line = 1, col = 1
    for i in 0..<min(offset, b.count) {
        if b[i] == 10 { line += 1; col = 1 } else if b[i] & 0xC0 != 0x80 { col += 1 }
    }
    return (line, col)
}
