/// The `name=value` pairs of a URL's query string or of a form's body (`application/x-www-form-urlencoded`): `+` is a
/// space and `%XX` a byte; the decoded bytes must be UTF-8. Long, crowded or malformed strings are refused with the
/// problem and where it is, never guessed at.
public struct QueryString: Equatable, Sendable {
    /// One `name=value` pair, decoded.
    public struct Pair: Equatable, Sendable {
        public let name: String
        public let value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What is wrong with a query string, with its position (a character offset from 1).
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case tooLong(length: Int)
        case tooManyPairs(count: Int)
        case badEscape(position: Int)
        case notUTF8(position: Int)
        case repeated(name: String)

        public var description: String {
            switch self {
            case .tooLong(let n): return "the query string is \(n) characters long; at most \(QueryString.maxLength) are read"
            case .tooManyPairs(let n): return "the query string has \(n) parameters; at most \(QueryString.maxPairs) are read"
            case .badEscape(let p): return "bad percent escape at character \(p) of the query string (expected % and two hex digits)"
            case .notUTF8(let p): return "the query string's text is not UTF-8 (the name or value starting at character \(p))"
            case .repeated(let name): return "parameter `\(name)` is given more than once"
            }
        }
    }

    /// The longest query string read, in bytes.
    public static let maxLength = 16_384
    /// The most pairs read: a script takes a handful of parameters, never thousands.
    public static let maxPairs = 100

    public let pairs: [Pair]

    /// Parses `text` (without the leading `?`); an empty text has no pairs. A name given twice is refused: which of the
    /// two values a bookmark meant cannot be known.
    public init(parsing text: Substring) throws(Problem) {
        let bytes = Array(text.utf8)
        guard bytes.count <= QueryString.maxLength else { throw .tooLong(length: bytes.count) }
        var pairs: [Pair] = []
        var seen = Set<String>()
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                guard pairs.count < QueryString.maxPairs else {
                    throw .tooManyPairs(count: bytes.split(separator: UInt8(ascii: "&")).count)
                }
                let part = bytes[start..<end]
                let equals = part.firstIndex(of: UInt8(ascii: "=")) ?? end
                let name = try QueryString.decode(part[start..<equals], from: start)
                let value = equals < end ? try QueryString.decode(part[(equals + 1)..<end], from: equals + 1) : ""
                guard seen.insert(name).inserted else { throw .repeated(name: name) }
                pairs.append(Pair(name: name, value: value))
            }
            start = end + 1
        }
        self.pairs = pairs
    }

    public init(pairs: [Pair]) { self.pairs = pairs }

    /// The value given for `name`, if any.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// The pairs as a query string again, each name and value escaped (the inverse of parsing).
    public var encoded: String {
        pairs.map { QueryString.escape($0.name) + "=" + QueryString.escape($0.value) }.joined(separator: "&")
    }

    /// `text` with everything but unreserved characters (RFC 3986) percent-escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// One name or value decoded; `offset` is where it starts in the whole string, for messages.
    static func decode(_ part: ArraySlice<UInt8>, from offset: Int) throws(Problem) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(part.count)
        var i = part.startIndex
        while i < part.endIndex {
            switch part[i] {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
                i += 1
            case UInt8(ascii: "%"):
                guard i + 2 < part.endIndex, let high = hexDigit(part[i + 1]), let low = hexDigit(part[i + 2]) else {
                    throw .badEscape(position: i + 1)
                }
                out.append(high << 4 | low)
                i += 3
            default:
                out.append(part[i])
                i += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw .notUTF8(position: offset + 1) }
        return text
    }

    static func hexDigit(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
