import Foundation
@testable import TallyShell
import XCTest

/// The greeting fits the terminal: lines break between words, never inside a table's name (the example query stays whole).
final class BannerTests: XCTestCase {
    func testTheGreetingBreaksBetweenWordsToFitTheWidth() {
        let tables = ["sales", "customers", "reviews", "targets", "opportunities", "stage_changes", "activities", "trainings"]
        for width in [40, 80, 120] {
            let lines = REPL.banner(tables: tables, width: width).split(separator: "\n").map(String.init)
            XCTAssertTrue(lines.dropLast().allSatisfy { DisplayWidth.of($0) < width }, "\(width): \(lines)")
            let words = Set(lines.dropLast().joined(separator: " ").split(separator: " ").map { $0.trimmingCharacters(in: .punctuationCharacters) })
            XCTAssertTrue(tables.allSatisfy(words.contains), "every table name whole at \(width): \(lines)")
        }
    }
}
