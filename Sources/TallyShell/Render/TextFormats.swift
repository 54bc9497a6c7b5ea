import Foundation
import TallyCore
import TallyLang

/// JSON, JSON lines, Markdown and line-per-column output.
enum TextFormats {
    static func jsonValue(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .int(let i): return String(i)
        case .float(let f): return f.isFinite ? formatFloat(f) : "null"
        case .bool(let b): return b ? "true" : "false"
        default: return jsonString(v.text)
        }
    }

    static func jsonString(_ s: String) -> String {
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

    static func jsonObject(_ t: Table, _ r: Int) -> String {
        "{" + t.names.indices.map { jsonString(t.names[$0]) + ":" + jsonValue(t.columns[$0].value(at: r)) }.joined(separator: ",") + "}"
    }

    /// One JSON array of row objects on one line, so that several results (one per statement) are JSON Lines.
    static func json(_ t: Table) -> String {
        "[" + (0..<t.rowCount).map { jsonObject(t, $0) }.joined(separator: ",") + "]\n"
    }

    static func jsonLines(_ t: Table) -> String {
        (0..<t.rowCount).map { jsonObject(t, $0) + "\n" }.joined()
    }

    static func markdown(_ t: Table) -> String {
        func esc(_ s: String) -> String { VisibleText.escaped(s).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out = "| " + t.names.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + t.columns.map { $0.type == .int || $0.type == .float ? " ---: |" : " --- |" }.joined() + "\n"
        for r in 0..<t.rowCount {
            out += "| " + t.columns.map { c in c.isNull(r) ? "" : esc(c.value(at: r).text) }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func lines(_ t: Table) -> String {
        let w = t.names.map(DisplayWidth.of).max() ?? 0
        return (0..<t.rowCount).map { r in
            t.names.indices.map { c in
                DisplayWidth.pad(VisibleText.escaped(t.names[c]), to: w, right: true) + " = "
                    + (t.columns[c].isNull(r) ? "NULL" : VisibleText.escaped(t.columns[c].value(at: r).text))
            }
                .joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }
}
