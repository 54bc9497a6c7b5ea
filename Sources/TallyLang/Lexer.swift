import Foundation
import TallyCore

/// Turns query text into tokens. Never throws: problems become diagnostics and lexing goes on.
///
/// A newline becomes a `.newline` token only where it can end a statement: not inside
/// brackets, not after a token that needs a right-hand side (`|`, `,`, an operator), and not
/// when the next non-blank line starts with `|`.
public struct Lexer {
    public private(set) var diagnostics: [Diagnostic] = []
    let source: SourceText
    let b: [UInt8]
    var i = 0

    public init(_ source: SourceText) {
        self.source = source
        b = source.bytes
    }

    /// Symbols after which a line break never ends a statement.
    static let continuing: Set<Symbol> = [.pipe, .comma, .openParen, .openBracket, .assign, .equal, .notEqual, .less, .lessOrEqual, .greater,
                                          .greaterOrEqual, .plus, .minus, .star, .slash, .percent, .tilde, .arrow, .range, .timesAssign, .plusAssign,
                                          .minusAssign]

    /// Whether a line that ends with this text continues on the next line (used by the REPL too).
    public static func lineContinues(_ line: String) -> Bool {
        var lexer = Lexer(SourceText(name: "", text: line))
        let tokens = lexer.tokenize()
        var depth = 0
        for t in tokens {
            if t.isSymbol(.openParen) || t.isSymbol(.openBracket) { depth += 1 }
            if t.isSymbol(.closeParen) || t.isSymbol(.closeBracket) { depth -= 1 }
        }
        if depth > 0 { return true }
        guard let last = tokens.last(where: { $0.kind != .endOfInput && $0.kind != .newline }) else { return false }
        switch last.kind {
        case .symbol(let s): return continuing.contains(s)
        case .identifier(let w): return !last.quoted && (Keyword(rawValue: w)?.continuesLine ?? false)
        default: return false
        }
    }

    /// All tokens, ending with `.endOfInput`.
    public mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        var depth = 0
        while true {
            skipBlanksAndComments()
            guard i < b.count else { break }
            let c = b[i]
            if c == 10 {
                let at = i
                i += 1
                if depth == 0, let last = tokens.last, last.kind != .newline, !continues(after: last), !nextLineStartsWithPipe() {
                    tokens.append(Token(.newline, SourceRange(at, at + 1)))
                }
                continue
            }
            let t = nextToken()
            if t.isSymbol(.openParen) || t.isSymbol(.openBracket) { depth += 1 }
            if t.isSymbol(.closeParen) || t.isSymbol(.closeBracket) { depth = max(0, depth - 1) }
            tokens.append(t)
        }
        tokens.append(Token(.endOfInput, SourceRange(b.count, b.count)))
        return tokens
    }

    func continues(after t: Token) -> Bool {
        switch t.kind {
        case .symbol(let s): return Lexer.continuing.contains(s)
        case .identifier(let w): return !t.quoted && (Keyword(rawValue: w)?.continuesLine ?? false)
        default: return false
        }
    }

    func nextLineStartsWithPipe() -> Bool {
        var j = i
        while j < b.count {
            let c = b[j]
            if c == 32 || c == 9 || c == 13 || c == 10 { j += 1; continue }
            if c == UInt8(ascii: "#") || (c == UInt8(ascii: "-") && j + 1 < b.count && b[j + 1] == UInt8(ascii: "-")) {
                while j < b.count, b[j] != 10 { j += 1 }
                continue
            }
            return c == UInt8(ascii: "|")
        }
        return false
    }

    mutating func skipBlanksAndComments() {
        while i < b.count {
            let c = b[i]
            if c == 32 || c == 9 || c == 13 { i += 1; continue }
            if c == UInt8(ascii: "#") || (c == UInt8(ascii: "-") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "-")) {
                while i < b.count, b[i] != 10 { i += 1 }
                continue
            }
            return
        }
    }

    static func isIdentStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
    static func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// The next token; characters that start none are reported and skipped, in a loop (never by recursion,
    /// so a long run of stray characters cannot exhaust the stack).
    mutating func nextToken() -> Token {
        while true {
            if let t = token() { return t }
            skipBlanksAndComments()
            if i >= b.count || b[i] == 10 { return Token(.symbol(.unknown), SourceRange(i, i)) }
        }
    }

    /// The token at the cursor, or nil after reporting a character that starts none.
    mutating func token() -> Token? {
        let start = i
        let c = b[i]
        if Lexer.isIdentStart(c) {
            while i < b.count, Lexer.isIdentPart(b[i]) { i += 1 }
            let word = String(decoding: b[start..<i], as: UTF8.self)
            let r = SourceRange(start, i)
            switch word {
            case "true": return Token(.literal(.bool(true)), r)
            case "false": return Token(.literal(.bool(false)), r)
            case "null": return Token(.literal(.null), r)
            default: return Token(.identifier(word), r)
            }
        }
        if Lexer.isDigit(c) { return number() }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { return string(quote: c) }
        if c == UInt8(ascii: "`") {
            i += 1
            while i < b.count, b[i] != UInt8(ascii: "`"), b[i] != 10 { i += 1 }
            guard i < b.count, b[i] == UInt8(ascii: "`") else {
                diagnostics.append(Diagnostic("unterminated backtick name", at: SourceRange(start, i), hints: ["close it with `"]))
                return Token(.identifier(String(decoding: b[(start + 1)..<i], as: UTF8.self)), SourceRange(start, i), quoted: true)
            }
            i += 1
            return Token(.identifier(String(decoding: b[(start + 1)..<(i - 1)], as: UTF8.self)), SourceRange(start, i), quoted: true)
        }
        if c == UInt8(ascii: "$") {
            i += 1
            while i < b.count, Lexer.isIdentPart(b[i]) { i += 1 }
            if i == start + 1 {
                diagnostics.append(Diagnostic("`$` must be followed by a parameter name", at: SourceRange(start, i), hints: ["write $month, $region, …"]))
            }
            return Token(.parameter(String(decoding: b[(start + 1)..<i], as: UTF8.self)), SourceRange(start, i))
        }
        for s in Symbol.pairs where matches(s.rawValue) {
            i += 2
            return Token(.symbol(s), SourceRange(start, i))
        }
        if let s = Symbol(rawValue: String(UnicodeScalar(c))), s != .unknown {
            i += 1
            return Token(.symbol(s), SourceRange(start, i))
        }
        if c == UInt8(ascii: "&") {
            // `&&` or `&`: say so once, then read it as `and` so parsing goes on.
            i += matches("&&") ? 2 : 1
            diagnostics.append(Diagnostic("`\(String(decoding: b[start..<i], as: UTF8.self))` is not an operator", at: SourceRange(start, i),
                hints: ["use `and`"]))
            return Token(.identifier("and"), SourceRange(start, i))
        }
        // Skip one whole UTF-8 character.
        i += 1
        while i < b.count, b[i] & 0xC0 == 0x80 { i += 1 }
        let ch = String(decoding: b[start..<i], as: UTF8.self)
        var hints: [String] = []
        if ch == "!" { hints = ["use `not` or `!=`"] } else if ch == "\u{201C}" || ch == "\u{201D}" { hints = ["use straight quotes \""] }
        diagnostics.append(Diagnostic("unexpected character `\(ch)`", at: SourceRange(start, i), hints: hints))
        return nil
    }

    func matches(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= b.count && Array(b[i..<(i + u.count)]) == u
    }

    func digitsAt(_ j: Int, _ n: Int) -> Bool {
        j + n <= b.count && (j..<(j + n)).allSatisfy { Lexer.isDigit(b[$0]) } && (j + n >= b.count || !Lexer.isIdentPart(b[j + n]))
    }

    mutating func number() -> Token {
        let start = i
        // Dates and periods: 2025-11-03, 2025-11, 2025-Q3, 2025-W07.
        if digitsAt(i, 4) || (i + 4 < b.count && (i..<(i + 4)).allSatisfy { Lexer.isDigit(b[$0]) } && b[i + 4] == UInt8(ascii: "-")) {
            let d = i + 5
            if i + 4 < b.count, b[i + 4] == UInt8(ascii: "-") {
                if d + 5 <= b.count, Lexer.isDigit(b[d]), Lexer.isDigit(b[d + 1]), b[d + 2] == UInt8(ascii: "-"), digitsAt(d + 3, 2) {
                    i = d + 5
                    return dateOrPeriod(start)
                }
                if d < b.count, b[d] == UInt8(ascii: "Q"), digitsAt(d + 1, 1) { i = d + 2; return dateOrPeriod(start) }
                if d < b.count, b[d] == UInt8(ascii: "W"), digitsAt(d + 1, 2) { i = d + 3; return dateOrPeriod(start) }
                if digitsAt(d, 2) { i = d + 2; return dateOrPeriod(start) }
            }
        }
        var isFloat = false
        while i < b.count, Lexer.isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        if i + 1 < b.count, b[i] == UInt8(ascii: "."), Lexer.isDigit(b[i + 1]) {
            isFloat = true
            i += 1
            while i < b.count, Lexer.isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        }
        let signedDigit = i + 2 < b.count && (b[i + 1] == UInt8(ascii: "-") || b[i + 1] == UInt8(ascii: "+")) && Lexer.isDigit(b[i + 2])
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E"), i + 1 < b.count, Lexer.isDigit(b[i + 1]) || signedDigit {
            isFloat = true
            i += 2
            while i < b.count, Lexer.isDigit(b[i]) { i += 1 }
        }
        let digits = String(decoding: b[start..<i], as: UTF8.self).replacingOccurrences(of: "_", with: "")
        var factor: Double = 1
        var percent = false
        if i < b.count {
            switch b[i] {
            case UInt8(ascii: "k"), UInt8(ascii: "K"): factor = 1e3
            case UInt8(ascii: "m"), UInt8(ascii: "M"): factor = 1e6
            case UInt8(ascii: "b"), UInt8(ascii: "B"): factor = 1e9
            case UInt8(ascii: "%"): percent = true
            default: break
            }
            if factor != 1 || percent {
                if !percent, i + 1 < b.count, Lexer.isIdentPart(b[i + 1]) { factor = 1 } else { i += 1 }
            }
        }
        if i < b.count, Lexer.isIdentStart(b[i]) {
            while i < b.count, Lexer.isIdentPart(b[i]) { i += 1 }
            let r = SourceRange(start, i)
            diagnostics.append(Diagnostic("malformed number `\(String(decoding: b[start..<i], as: UTF8.self))`", at: r,
                                          hints: ["magnitude suffixes are k, m and b; names cannot start with a digit (use backticks)"]))
            return Token(.literal(.int(0)), r)
        }
        let r = SourceRange(start, i)
        if percent {
            return Token(.literal(.float((Double(digits) ?? 0) / 100)), r)
        }
        if factor != 1 {
            let v = (Double(digits) ?? 0) * factor
            if !isFloat || v == v.rounded(), abs(v) < 9e18 { return Token(.literal(.int(Int64(v))), r) }
            return Token(.literal(.float(v)), r)
        }
        if isFloat { return Token(.literal(.float(Double(digits) ?? 0)), r) }
        guard let v = Int64(digits) else {
            diagnostics.append(Diagnostic("integer `\(digits)` is too large for 64 bits", at: r,
                hints: ["the largest integer is 9223372036854775807; write a decimal such as \(digits).0 for a float"]))
            return Token(.literal(.int(0)), r)
        }
        return Token(.literal(.int(v)), r)
    }

    mutating func dateOrPeriod(_ start: Int) -> Token {
        let text = Substring(String(decoding: b[start..<i], as: UTF8.self))
        let r = SourceRange(start, i)
        if text.count == 10 {
            if let d = CivilDate.parse(text) { return Token(.literal(.date(d)), r) }
            diagnostics.append(Diagnostic("`\(text)` is not a valid date", at: r, hints: ["dates are YYYY-MM-DD with a real month and day"]))
            return Token(.literal(.null), r)
        }
        if let p = Period.parse(text) { return Token(.literal(.period(p)), r) }
        diagnostics.append(Diagnostic("`\(text)` is not a valid period", at: r,
            hints: ["periods are YYYY-MM (month 01–12), YYYY-Qn (1–4) or YYYY-Wnn (01–53)"]))
        return Token(.literal(.null), r)
    }

    mutating func string(quote: UInt8) -> Token {
        let start = i
        i += 1
        var bytes: [UInt8] = []
        while i < b.count, b[i] != quote {
            if b[i] == 10 { break }
            if b[i] == UInt8(ascii: "\\"), i + 1 < b.count {
                let e = b[i + 1]
                switch e {
                case UInt8(ascii: "n"): bytes.append(10)
                case UInt8(ascii: "t"): bytes.append(9)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): bytes.append(e)
                default:
                    diagnostics.append(Diagnostic("unknown escape `\\\(UnicodeScalar(e))` in a string", at: SourceRange(i, i + 2),
                        hints: ["escapes are \\\", \\', \\\\, \\n and \\t"]))
                }
                i += 2
                continue
            }
            bytes.append(b[i])
            i += 1
        }
        guard i < b.count, b[i] == quote else {
            diagnostics.append(Diagnostic("unterminated string", at: SourceRange(start, i), hints: ["close it with \(UnicodeScalar(quote))"]))
            return Token(.literal(.string(String(decoding: bytes, as: UTF8.self))), SourceRange(start, i))
        }
        i += 1
        return Token(.literal(.string(String(decoding: bytes, as: UTF8.self))), SourceRange(start, i))
    }
}
