import Foundation
import TallyCore

extension ScalarFunctions {
    /// Building text: `concat` of any values and `format` of numbers and dates by a pattern.
    static let formatting: [ScalarFunction] = [
        ScalarFunction(name: "concat", signature: "concat(a, b, …)", doc: "the values' texts joined; nulls count as empty (as DuckDB's concat)",
                       arity: 1...64, resultType: { _ in .success(.string) }, eval: { a, n in
            var out: [String?] = []
            out.reserveCapacity(n)
            for i in 0..<n { out.append(a.map { $0.value(at: i).text }.joined()) }
            return Dictionaries.build(out)
        }, takesNullType: true),
        ScalarFunction(name: "format", signature: "format(x, pattern)",
                       doc: "a number or date as text: format(amount, \"#,##0.00\"), format(rate, \"0.0%\"), format(date, \"MMM yyyy\")",
                       arity: 2...2, resultType: { t in
            if let p = Expect.type("format", t, 1, .string) { return .failure(p) }
            if t[0] == .string || t[0] == .bool {
                return .failure(ArgumentProblem(0, "`format` needs a number, a date or a period, argument 1 is \(Expect.article(t[0]))"))
            }
            return .success(.string)
        }, eval: { a, n in
            var out: [String?] = []
            out.reserveCapacity(n)
            for i in 0..<n {
                if a[0].isNull(i) || a[1].isNull(i) { out.append(nil); continue }
                let pattern = a[1].dictionary[Int(a[1].codes[i])]
                switch a[0].type {
                case .date: out.append(TextPattern.date(a[0].ints[i], pattern))
                case .period: out.append(TextPattern.date(Period(encoded: a[0].ints[i]).startDay, pattern))
                default: out.append(TextPattern.number(a[0].double(at: i), pattern))
                }
            }
            return Dictionaries.build(out)
        }),
    ]
}

/// The patterns of `format`: spreadsheet-style number patterns (`#,##0.00`, `0.0%`, `$#,##0`) and date patterns
/// (`yyyy-MM-dd`, `d MMM yyyy`, `EEE`, `'Q'Q yyyy`; text in single quotes is copied).
enum TextPattern {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func number(_ value: Double, _ pattern: String) -> String {
        guard value.isFinite else { return formatFloat(value) }
        let chars = Array(pattern)
        let isDigit: (Character) -> Bool = { $0 == "0" || $0 == "#" }
        guard let first = chars.firstIndex(where: isDigit), let last = chars.lastIndex(where: isDigit) else { return pattern }
        var start = first
        while start > 0, chars[start - 1] == "," || chars[start - 1] == "." { start -= 1 }
        let body = chars[start...last]
        let prefix = String(chars[..<start]), suffix = String(chars[(last + 1)...])
        let fraction = body.firstIndex(of: ".").map { Array(body[($0 + 1)...]) } ?? []
        let minDecimals = min(fraction.filter { $0 == "0" }.count, 15), maxDecimals = min(fraction.filter(isDigit).count, 15)
        let scaled = pattern.contains("%") ? value * 100 : value
        // A double holds about 15 significant digits: decimals past them are written as zeros, not binary noise.
        let wholeDigits = abs(scaled) < 1 ? 1 : Int(log10(abs(scaled)).rounded(.down)) + 1
        let precision = min(maxDecimals, max(0, 15 - wholeDigits))
        var text = String(format: "%.\(precision)f", abs(scaled))
        if precision < minDecimals { text += (precision == 0 ? "." : "") + String(repeating: "0", count: minDecimals - precision) }
        if maxDecimals > minDecimals, let dot = text.firstIndex(of: ".") {
            var fraction = Array(text[text.index(after: dot)...])
            while fraction.count > minDecimals, fraction.last == "0" { fraction.removeLast() }
            text = String(text[..<dot]) + (fraction.isEmpty ? "" : "." + String(fraction))
        }
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        let integerPart = body.firstIndex(of: ".").map { body[..<$0] } ?? body[...]
        let minWhole = min(integerPart.filter { $0 == "0" }.count, 30)
        if whole.count < minWhole { whole = String(repeating: "0", count: minWhole - whole.count) + whole }
        if whole == "0", minWhole == 0, parts.count > 1 { whole = "" }
        if body.contains(",") { whole = grouped(whole) }
        let negative = scaled < 0 && text.contains(where: { $0 != "0" && $0 != "." })
        return (negative ? "-" : "") + prefix + whole + (parts.count > 1 ? "." + parts[1] : "") + suffix
    }

    static func grouped(_ digits: String) -> String {
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    static func date(_ day: Int64, _ pattern: String) -> String {
        let (y, m, d) = CivilDate.civil(day)
        let chars = Array(pattern)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                let close = chars[(i + 1)...].firstIndex(of: "'") ?? chars.count
                out += String(chars[(i + 1)..<close])
                i = close + 1
                continue
            }
            var run = 1
            while i + run < chars.count, chars[i + run] == c { run += 1 }
            switch c {
            case "y": out += run == 2 ? pad(floorMod(y, 100), 2) : pad(y, 4)
            case "M": out += run >= 4 ? monthNames[Int(m - 1)] : run == 3 ? String(monthNames[Int(m - 1)].prefix(3)) : pad(m, run)
            case "d": out += pad(d, run)
            case "E": out += run >= 4 ? dayNames[Int(CivilDate.weekday(day) - 1)] : String(dayNames[Int(CivilDate.weekday(day) - 1)].prefix(3))
            case "Q": out += String((m - 1) / 3 + 1)
            default: out += String(repeating: c, count: run)
            }
            i += run
        }
        return out
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
