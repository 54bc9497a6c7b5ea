/// The parameters a text declares (`param NAME = …`) and those it reads (`$NAME`), from its tokens: what the shell checks
/// `--param` and `.run k=v` against, and what `tally serve` builds a script's form from.
public struct ParameterUses: Equatable, Sendable {
    public let declared: Set<String>
    public let read: Set<String>

    public init(in text: String) {
        var lexer = Lexer(SourceText(name: "", text: text))
        let tokens = lexer.tokenize()
        var declared = Set<String>(), read = Set<String>()
        for (i, token) in tokens.enumerated() {
            if case .parameter(let name) = token.kind { read.insert(name) }
            if token.isWord(.param), i + 1 < tokens.count, let name = tokens[i + 1].identifier { declared.insert(name) }
        }
        (self.declared, self.read) = (declared, read)
    }
}
