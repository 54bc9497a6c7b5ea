import Foundation
import TallyLang
import XCTest

/// The verb registry feeds the docs: docs/language.md's verb table lists exactly the registered verbs, in order, with
/// their syntax and help.
final class VerbRegistryTests: XCTestCase {
    /// The table rows as the registry would write them.
    static var expectedRows: [String] {
        Verb.allCases.map { "| `\($0.syntax.replacingOccurrences(of: "|", with: "\\|"))` | \($0.help) |" }
    }

    func testDocsVerbTableIsTheRegistry() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex(of: "## Verbs"))
        let rows = lines[start...].drop { !$0.hasPrefix("| `") }.prefix { $0.hasPrefix("|") }
        let expected = VerbRegistryTests.expectedRows
        XCTAssertEqual(Array(rows), expected, "docs/language.md's verb table should read:\n" + expected.joined(separator: "\n"))
    }
}
