/// A half-open range of UTF-8 byte offsets in a ``SourceText``.
public struct SourceRange: Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}

/// Query text with its name (a file, `<stdin>`, `<repl>`) and a map from offsets to lines.
public struct SourceText: Sendable {
    public let name: String
    public let text: String
    public let bytes: [UInt8]
    /// The line number of the first line (statements cut from a larger file keep their place).
    public let firstLine: Int
    private let lineStarts: [Int]

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { starts.append(i + 1) }
        lineStarts = starts
    }

    /// 0-based line index containing a byte offset.
    public func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let li = lineIndex(of: offset)
        let prefix = bytes[lineStarts[li]..<min(offset, bytes.count)]
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return (li + firstLine, column)
    }

    /// The text of the 0-based line `index`, without its newline.
    public func line(_ index: Int) -> String {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == 13 { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The source text of a range.
    public func slice(_ range: SourceRange) -> String {
        String(decoding: bytes[min(range.start, bytes.count)..<min(range.end, bytes.count)], as: UTF8.self)
    }
}
