import Foundation
import TallyCore
import TallyLang

/// JSON, JSON lines, Markdown and line-per-column output.
public enum TextFormats {
    /// A value as JSON: numbers as numbers (a non-finite float as null), booleans, and the text of anything else.
    static func jsonValue(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .int(let i): return String(i)
        case .float(let f): return f.isFinite ? formatFloat(f) : "null"
        case .bool(let b): return b ? "true" : "false"
        default: return jsonString(v.text)
        }
    }

    /// A JSON string literal.
    public static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// The text of each cell of a column, computed once per dictionary entry for strings (most of the work of a
    /// text column) and without boxing a `Value` per cell; nil for a null.
    static func cellText(_ c: Column, _ text: @escaping (Value) -> String) -> (Int) -> String? {
        switch c.type {
        case .string:
            let entries = c.dictionary.map { text(.string($0)) }
            return { r in c.isNull(r) ? nil : entries[Int(c.codes[r])] }
        case .int:
            return { r in c.isNull(r) ? nil : String(c.ints[r]) }
        default:
            return { r in c.isNull(r) ? nil : text(c.value(at: r)) }
        }
    }

    /// Rows as JSON objects, each on its own.
    public static func jsonObjects(_ t: Table) -> [String] {
        let keys = t.names.map { jsonString($0) + ":" }
        let cells = t.columns.map { cellText($0, jsonValue) }
        return (0..<t.rowCount).map { r in
            var object = "{"
            for c in cells.indices {
                if c > 0 { object += "," }
                object += keys[c] + (cells[c](r) ?? "null")
            }
            return object + "}"
        }
    }

    /// One JSON array of row objects on one line, so that several results (one per statement) are JSON Lines.
    static func json(_ t: Table) -> String {
        "[" + jsonObjects(t).joined(separator: ",") + "]\n"
    }

    static func jsonLines(_ t: Table) -> String {
        jsonObjects(t).map { $0 + "\n" }.joined()
    }

    static func markdown(_ t: Table) -> String {
        func esc(_ s: String) -> String { VisibleText.escaped(s).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out = "| " + t.names.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + t.columns.map { $0.type == .int || $0.type == .float ? " ---: |" : " --- |" }.joined() + "\n"
        // Only text can hold `|`, line breaks or control characters; numbers, dates and periods are written as they are.
        let cells = t.columns.map { c in cellText(c) { c.type == .string ? esc($0.text) : $0.text } }
        for r in 0..<t.rowCount {
            out += "|"
            for cell in cells { out += " " + (cell(r) ?? "") + " |" }
            out += "\n"
        }
        return out
    }

    static func lines(_ t: Table) -> String {
        let w = t.names.map(DisplayWidth.of).max() ?? 0
        let labels = t.names.map { DisplayWidth.pad(VisibleText.escaped($0), to: w, right: true) + " = " }
        let cells = t.columns.map { c in cellText(c) { c.type == .string ? VisibleText.escaped($0.text) : $0.text } }
        var out = ""
        for r in 0..<t.rowCount {
            if r > 0 { out += "\n" }
            for c in cells.indices { out += labels[c] + (cells[c](r) ?? "NULL") + "\n" }
        }
        return out
    }
}
