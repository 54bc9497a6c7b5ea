import TallyCore
/// Comparing two readings of the same bytes (in one piece and split for the cores), as the fuzz target and the tests do.
public enum CSVReading {
    /// Where two readings differ: both must fail with the same message, or give the same names, types and values.
    /// Nil when they agree.
    public static func difference(_ a: Result<Table, Error>, _ b: Result<Table, Error>) -> String? {
        switch (a, b) {
        case (.failure(let x), .failure(let y)):
            return "\(x)" == "\(y)" ? nil : "errors `\(x)` and `\(y)`"
        case (.success(let x), .success(let y)):
            if x.names != y.names { return "names \(x.names) and \(y.names)" }
            if x.types != y.types { return "types \(x.types) and \(y.types)" }
            if x.rowCount != y.rowCount { return "\(x.rowCount) and \(y.rowCount) rows" }
            for (c, (p, q)) in zip(x.columns, y.columns).enumerated() {
                for row in 0..<x.rowCount where p.value(at: row) != q.value(at: row) {
                    return "column \(x.names[c]) row \(row + 1): \(p.value(at: row)) and \(q.value(at: row))"
                }
            }
            return nil
        case (.failure(let x), .success):
            return "only the first fails: \(x)"
        case (.success, .failure(let y)):
            return "only the second fails: \(y)"
        }
    }
}
