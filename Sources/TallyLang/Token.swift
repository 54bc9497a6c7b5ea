import TallyCore

/// Punctuation and operator tokens.
public enum Symbol: String, CaseIterable, Sendable {
    case pipe = "|", comma = ",", semicolon = ";", openParen = "(", closeParen = ")", openBracket = "[", closeBracket = "]"
    case assign = "=", equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", tilde = "~", dot = "."
    case arrow = "=>", range = "..", timesAssign = "*=", plusAssign = "+=", minusAssign = "-="
    /// Stands in for a character the lexer could not read (already reported), so parsing can go on.
    case unknown = "?"

    /// The two-character symbols, matched before single characters.
    static let pairs: [Symbol] = [.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .arrow, .range, .timesAssign, .plusAssign, .minusAssign]
}

/// The kinds of token the lexer produces.
public enum TokenKind: Equatable, Sendable {
    case identifier(String)
    /// A literal value: number, string, date, period, bool or null.
    case literal(Value)
    /// `$name`.
    case parameter(String)
    /// Punctuation and operators, e.g. `|`, `==`, `=>`, `..`, `*=`.
    case symbol(Symbol)
    /// A line break that ends a statement (others are skipped by the lexer).
    case newline
    case endOfInput
}

/// A token and where it is.
public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var range: SourceRange
    /// Whether the token was written in backticks (so never a keyword).
    public var quoted: Bool = false

    public init(_ kind: TokenKind, _ range: SourceRange, quoted: Bool = false) {
        self.kind = kind
        self.range = range
        self.quoted = quoted
    }

    /// The identifier's name, if this is an identifier.
    public var identifier: String? { if case .identifier(let s) = kind { return s } else { return nil } }

    /// Whether this is the bare word `word` (not backticked).
    public func isWord(_ word: Keyword) -> Bool { !quoted && identifier == word.rawValue }

    /// Whether this is the symbol `s`.
    public func isSymbol(_ s: Symbol) -> Bool { kind == .symbol(s) }
}
