import Foundation
import TallyCore
import TallyEngine
import TallyLang
import XCTest

/// The bad-input corpus (BadInput/corpus.tq, written by tools/bad-inputs.py from its own lists of hostile values, not
/// from Tally's tests): every registered function and verb given 64-bit extremes, infinities, empty and control-character
/// text, impossible dates and periods, and joins that explode. Each statement must answer or fail with a positioned
/// error, under a 4 GB memory limit; a trap ends the test run, and an internal error fails it.
final class BadInputCorpusTests: XCTestCase {
    func testEveryBadInputAnswersOrFailsWithAnError() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInput/corpus.tq")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(lines.count, 7_000)
        var catalog = Catalog()
        for (name, table) in DemoData.generate(scale: 20_000) { catalog.add(table, as: name) }
        var answered = 0, refused = 0
        for line in lines {
            let session = Session(catalog: catalog)
            session.budget = MemoryBudget(bytes: 4_000_000_000)
            let (statements, diagnostics) = Parser.parse(SourceText(name: "bad", text: line))
            guard diagnostics.isEmpty else { refused += 1; continue }
            for statement in statements {
                do {
                    _ = try session.execute(statement)
                    answered += 1
                } catch let d as Diagnostic {
                    XCTAssertFalse(d.message.hasPrefix("internal"), "\(line)\n\(d.message)")
                    refused += 1
                } catch let list as DiagnosticList {
                    XCTAssertFalse(list.diagnostics.contains { $0.message.hasPrefix("internal") }, line)
                    refused += 1
                } catch {
                    XCTFail("\(line)\nunexpected error: \(error)")
                }
            }
        }
        print("bad inputs: \(lines.count) statements, answered \(answered), refused with an error \(refused)")
    }
}
