import Foundation
import TallyCore

/// How one column's numbers look in a table, decided once per column from the rows shown:
/// - integers get thousands separators, except identifiers (``Column/isIdentifier``: a table's `id`, `*_id`, `year`…
///   columns and `year(date)`, under any name they travel) and columns so named, which print their digits as they are;
/// - floats get one number of decimals for the whole column: as many as the values need, at most 2 (at most 4
///   when every value is below 1), so `round(x, 1)` shows one decimal and whole values none;
/// - percent columns (from `pct(x)`, whatif's `_pct`) show the fraction × 100 with a `%` sign and at most two decimals.
struct ColumnFormat {
    enum Style {
        case integer(grouped: Bool)
        case decimal(places: Int)
        case percent(places: Int)
        case plain
    }

    let style: Style

    init(name: String, column: Column, rows: [Int]) {
        switch column.type {
        case .int: style = .integer(grouped: !column.isIdentifier && !Column.isKeyName(name))
        case .float:
            let values = rows.filter { !column.isNull($0) }.map { column.floats[$0] }.filter { $0.isFinite && abs($0) < 1e15 }
            if column.isPercent {
                style = .percent(places: ColumnFormat.places(values.map { $0 * 100 }, cap: 2))
            } else {
                let cap = values.allSatisfy { abs($0) < 1 } ? 4 : 2
                style = .decimal(places: ColumnFormat.places(values, cap: cap))
            }
        default: style = .plain
        }
    }

    /// The fewest decimals (up to `cap`) that show every value as it is when rounded to `cap` decimals.
    static func places(_ values: [Double], cap: Int) -> Int {
        var needed = 0
        for v in values {
            let text = String(format: "%.\(cap)f", v)
            guard let dot = text.firstIndex(of: ".") else { continue }
            let fraction = text[text.index(after: dot)...]
            needed = max(needed, fraction.count - fraction.reversed().prefix { $0 == "0" }.count)
            if needed == cap { break }
        }
        return needed
    }

    /// The text of a cell (`NULL` for null).
    func text(_ v: Value) -> String {
        switch (style, v) {
        case (_, .null): return "NULL"
        case (.integer(let grouped), .int(let i)): return grouped ? TableRenderer.grouped(String(i)) : String(i)
        case (.decimal(let places), .float(let f)): return ColumnFormat.fixed(f, places)
        case (.percent(let places), .float(let f)): return ColumnFormat.fixed(f * 100, places) + "%"
        default: return TableRenderer.cell(v)
        }
    }

    /// `f` with `places` decimals and thousands separators; very large and non-finite values as written.
    static func fixed(_ f: Double, _ places: Int) -> String {
        guard f.isFinite, abs(f) < 1e15 else { return formatFloat(f) }
        let text = String(format: "%.\(places)f", f)
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", maxSplits: 1)
        let whole = TableRenderer.grouped(String(parts[0]))
        let shown = whole + (parts.count > 1 ? "." + parts[1] : "")
        return negative && shown.contains(where: { $0 != "0" && $0 != "." && $0 != "," }) ? "-" + shown : shown
    }
}
