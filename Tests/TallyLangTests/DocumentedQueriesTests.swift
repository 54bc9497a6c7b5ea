import Foundation
import TallyLang
import XCTest

/// Every query shown to users must parse: the grammar's examples, the docs' ```tally blocks and examples/*.tq.
final class DocumentedQueriesTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The ```tally code blocks of a Markdown file, with their line numbers.
    static func blocks(_ text: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        var current: [String]? = nil
        var start = 0
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```tally" { current = []; start = i + 2; continue }
            if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" { out.append((start, current!.joined(separator: "\n"))); current = nil; continue }
            current?.append(line)
        }
        return out
    }

    func files(in folder: String, ending: String) -> [URL] {
        let dir = DocumentedQueriesTests.root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(ending) }.sorted().map { dir.appendingPathComponent($0) }
    }

    func check(_ text: String, name: String, line: Int) {
        // Dot-commands are shell lines, not language.
        let query = text.components(separatedBy: "\n").map { $0.hasPrefix(".") || $0.hasPrefix("$ ") ? "" : $0 }.joined(separator: "\n")
        let source = SourceText(name: name, text: query, firstLine: line)
        let (_, diagnostics) = Parser.parse(source)
        for d in diagnostics { XCTFail(d.render(in: source)) }
    }

    func testExamplesParse() throws {
        let examples = files(in: "examples", ending: ".tq")
        XCTAssertGreaterThanOrEqual(examples.count, 8)
        for f in examples { check(try String(contentsOf: f, encoding: .utf8), name: f.lastPathComponent, line: 1) }
    }

    func testDocsAndGrammarQueriesParse() throws {
        var count = 0
        for f in files(in: "docs", ending: ".md") + files(in: "grammar", ending: ".md") + [DocumentedQueriesTests.root.appendingPathComponent("README.md")] {
            for (line, block) in DocumentedQueriesTests.blocks(try String(contentsOf: f, encoding: .utf8)) {
                count += 1
                check(block, name: f.lastPathComponent, line: line)
            }
        }
        for f in files(in: "grammar", ending: ".tq") {
            count += 1
            check(try String(contentsOf: f, encoding: .utf8), name: f.lastPathComponent, line: 1)
        }
        XCTAssertGreaterThanOrEqual(count, 15, "the docs show queries")
    }
}
