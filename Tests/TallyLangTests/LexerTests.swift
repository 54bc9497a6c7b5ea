import TallyCore
import TallyLang
import XCTest

final class LexerTests: XCTestCase {
    func kinds(_ text: String) -> [TokenKind] {
        var l = Lexer(SourceText(name: "t", text: text))
        return l.tokenize().map(\.kind).dropLast()
    }

    func testNumberForms() {
        XCTAssertEqual(kinds("42 1_000_000 3.5 10k 2.5m 1b 5%"), [
            .literal(.int(42)), .literal(.int(1_000_000)), .literal(.float(3.5)), .literal(.int(10_000)),
            .literal(.int(2_500_000)), .literal(.int(1_000_000_000)), .literal(.float(0.05)),
        ])
    }

    func testDatesAndPeriodsHaveNoSpaces() {
        XCTAssertEqual(kinds("2025-11-03"), [.literal(.date(CivilDate.parse("2025-11-03")!))])
        XCTAssertEqual(kinds("2025-11 2025-Q3 2025-W07"),
            [.literal(.period(.month(2025, 11))), .literal(.period(.quarter(2025, 3))), .literal(.period(.week(2025, 7)))])
        XCTAssertEqual(kinds("2025 - 11"), [.literal(.int(2025)), .symbol(.minus), .literal(.int(11))])
        XCTAssertEqual(kinds("1..10"), [.literal(.int(1)), .symbol(.range), .literal(.int(10))])
    }

    func testStringsAndEscapes() {
        XCTAssertEqual(kinds(#""a\"b\\c\n" 'it\'s'"#), [.literal(.string("a\"b\\c\n")), .literal(.string("it's"))])
    }

    func testCommentsAndBackticks() {
        XCTAssertEqual(kinds("a # note\n`unit price` -- more"), [.identifier("a"), .newline, .identifier("unit price")])
    }

    func testNewlinesEndStatementsOnlyWhereTheyCan() {
        XCTAssertEqual(kinds("sales\n| count"), [.identifier("sales"), .symbol(.pipe), .identifier("count")])
        XCTAssertEqual(kinds("a +\n b"), [.identifier("a"), .symbol(.plus), .identifier("b")])
        XCTAssertEqual(kinds("f(a,\n b)").contains(.newline), false)
        XCTAssertEqual(kinds("a\nb"), [.identifier("a"), .newline, .identifier("b")])
    }

    func testLineContinuationForTheREPL() {
        XCTAssertTrue(Lexer.lineContinues("sales |"))
        XCTAssertTrue(Lexer.lineContinues("sales | agg a = sum(x),"))
        XCTAssertTrue(Lexer.lineContinues("sales | where (a > 1"))
        XCTAssertTrue(Lexer.lineContinues("sales | where a and"))
        XCTAssertFalse(Lexer.lineContinues("sales | count"))
        XCTAssertFalse(Lexer.lineContinues("sales | where text ~ \"a|\""))
    }

    func testProblemsAreReportedNotThrown() {
        var l = Lexer(SourceText(name: "t", text: "\"open 2025-02-30 99999999999999999999"))
        _ = l.tokenize()
        XCTAssertEqual(l.diagnostics.count, 1, "the unterminated string swallows the rest of the line")
        var m = Lexer(SourceText(name: "t", text: "2025-02-30 + 99999999999999999999 + 3x"))
        _ = m.tokenize()
        XCTAssertEqual(m.diagnostics.map(\.range.start), [0, 13, 36])
    }
}

/// Input that once exhausted the stack: the lexer skips stray characters in a loop.
final class LexerDepthTests: XCTestCase {
    func testTensOfThousandsOfStrayCharactersAreReportedNotRecursedInto() {
        var lexer = Lexer(SourceText(name: "t", text: "sales | where " + String(repeating: "§", count: 40_000) + " amount > 1"))
        let tokens = lexer.tokenize()
        XCTAssertEqual(lexer.diagnostics.count, 40_000)
        XCTAssertEqual(tokens.compactMap(\.identifier), ["sales", "where", "amount"])
    }
}
