import Foundation
import TallyEngine
import TallyLang
import XCTest

/// The query fuzz target's dictionary (Fuzz/query.dict) names every verb and every scalar, aggregate and window function
/// in the registries, so that libFuzzer splices each of them into its inputs: a verb or function added later is a test
/// failure until the dictionary has it.
final class FuzzDictionaryTests: XCTestCase {
    func testTheQueryDictionaryHasEveryVerbAndFunction() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Fuzz/query.dict"), encoding: .utf8)
        let entries = Set(text.split(separator: "\n").filter { $0.hasPrefix("\"") && $0.hasSuffix("\"") }.map { String($0.dropFirst().dropLast()) })
        let names = Verb.allCases.map(\.rawValue) + ScalarFunctions.all.keys + AggregateFunctions.all.keys + WindowFunctions.all.keys
        let missing = Set(names).subtracting(entries).sorted()
        XCTAssertEqual(missing, [], "add to Fuzz/query.dict: " + missing.map { "\"\($0)\"" }.joined(separator: " "))
    }
}
