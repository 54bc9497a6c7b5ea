import Foundation
import TallyCore
import TallyEngine
import TallyLang
import TallyShell
import XCTest

/// Every query shown to users must parse and run on the demo data: the grammar's examples, the
/// docs' and README's ```tally blocks, and examples/*.tq.
final class DocumentedQueriesTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let demo: Catalog = {
        var c = Catalog()
        for (n, t) in DemoData.generate() { c.add(t, as: n) }
        return c
    }()

    /// The ```tally code blocks of a Markdown file, with the line each starts on.
    static func blocks(_ text: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        var current: [String]? = nil
        var start = 0
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```tally" { current = []; start = i + 2; continue }
            if let block = current, line.trimmingCharacters(in: .whitespaces) == "```" {
                out.append((start, block.joined(separator: "\n")))
                current = nil
                continue
            }
            current?.append(line)
        }
        return out
    }

    func files(in folder: String, ending: String) -> [URL] {
        let dir = DocumentedQueriesTests.root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(ending) }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Parses, then runs on a fresh demo session; any diagnostic fails the test with its rendering.
    func check(_ text: String, name: String, line: Int) {
        let source = SourceText(name: name, text: text, firstLine: line)
        // A script of shell commands (`.run NAME`) is checked by running it; a query text also parses on its own.
        if !text.split(separator: "\n").contains(where: { $0.hasPrefix(".") }) {
            let (_, diagnostics) = Parser.parse(source)
            for d in diagnostics { XCTFail(d.render(in: source)) }
            guard diagnostics.isEmpty else { return }
        }
        var errors = ""
        let shell = Shell(session: Session(catalog: DocumentedQueriesTests.demo), write: { _ in }, writeError: { errors += $0 })
        shell.mode = .csv
        XCTAssertTrue(shell.run(text, name: name, firstLine: line), errors)
    }

    func testExamplesRun() throws {
        let examples = files(in: "examples", ending: ".tq")
        XCTAssertGreaterThanOrEqual(examples.count, 8)
        for f in examples { check(try String(contentsOf: f, encoding: .utf8), name: f.lastPathComponent, line: 1) }
    }

    func testDocsAndGrammarQueriesRun() throws {
        var count = 0
        let markdown = files(in: "docs", ending: ".md") + files(in: "grammar", ending: ".md")
            + [DocumentedQueriesTests.root.appendingPathComponent("README.md")]
        for f in markdown {
            for (line, block) in DocumentedQueriesTests.blocks(try String(contentsOf: f, encoding: .utf8)) {
                count += 1
                check(block, name: f.lastPathComponent, line: line)
            }
        }
        XCTAssertGreaterThanOrEqual(count, 15, "the docs show queries")
    }
}

/// Every verb's example runs on the demo data, and explains and analyzes as the verb's plan node.
final class VerbExampleTests: XCTestCase {
    /// The plan node a verb's example shows it as (`drop` is folded into the scan, which reads fewer columns).
    static func node(_ verb: Verb) -> String {
        switch verb {
        case .where: return "filter"
        case .select, .derive, .rename: return "project"
        case .drop: return "scan"
        case .agg: return "aggregate"
        case .take: return "limit"
        case .join: return "inner join"
        case .sort, .top, .distinct, .count, .union, .segment, .rfm, .abc, .cohort, .funnel, .terms, .pivot, .whatif, .goal, .simulate, .why, .pvm,
             .chart:
            return verb.rawValue
        }
    }

    func testEveryVerbExplainsAndAnalyzes() {
        for verb in Verb.allCases {
            var out = ""
            let shell = Shell(session: Session(catalog: DocumentedQueriesTests.demo), write: { out += $0 }, writeError: { out += $0 })
            XCTAssertTrue(shell.run(".explain analyze " + verb.example, name: verb.rawValue), out)
            let lines = out.split(separator: "\n")
            let node = VerbExampleTests.node(verb)
            XCTAssertTrue(lines.contains { $0.drop { $0 == " " }.hasPrefix(node + " ") }, "the plan of `\(verb.example)` has a \(node) node:\n\(out)")
            if verb == .drop { XCTAssertFalse(lines[0].contains("cost"), "the dropped column is not read:\n\(out)") }
            XCTAssertTrue(lines.allSatisfy { $0.contains(" row") && $0.hasSuffix(" ms)") }, "every node ran and reports rows and time:\n\(out)")
        }
    }

    func testEveryVerbsExampleRuns() {
        for verb in Verb.allCases {
            var errors = ""
            let shell = Shell(session: Session(catalog: DocumentedQueriesTests.demo), write: { _ in }, writeError: { errors += $0 })
            XCTAssertTrue(shell.run(verb.example, name: verb.rawValue), errors)
            XCTAssertTrue((verb.example + " ").contains("| \(verb.rawValue) "), "the example of \(verb) uses it")
        }
    }
}
