import Foundation
import TallyCore
import TallyLang
import XCTest

/// grammar/tally.ebnf and the parser name the same words: every word the grammar quotes is a verb, a keyword, a join or
/// chart kind or a literal, and every keyword appears in the grammar.
final class GrammarWordsTests: XCTestCase {
    func testTheGrammarAndTheKeywordsNameTheSameWords() throws {
        let grammar = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../grammar/tally.ebnf").standardized
        let text = try String(contentsOf: grammar, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: "\"([a-z_]+)\"")
        // Single letters are number suffixes and exponents (`10k`, `1e6`), not words.
        let quoted = Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) })
            .filter { $0.count > 1 || $0 == "_" }
        let known = Set(Keyword.allCases.map(\.rawValue) + Verb.allCases.map(\.rawValue) + JoinKind.allCases.map(\.rawValue)
                        + ChartKind.allCases.map(\.rawValue) + ["true", "false"])
        XCTAssertEqual(quoted.subtracting(known).sorted(), [], "words the grammar quotes that the parser does not declare")
        XCTAssertEqual(Set(Keyword.allCases.map(\.rawValue)).subtracting(quoted).sorted(), [], "keywords the grammar does not show")
    }
}
