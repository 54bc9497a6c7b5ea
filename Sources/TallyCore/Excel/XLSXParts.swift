import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// SAX readers for the parts of a workbook: each collects what Tally needs from one XML part.
enum XLSXParts {
    /// Runs a parser delegate over a part's bytes; a malformed part is an error naming it.
    static func parse(_ data: Data, part: String, with delegate: XMLParserDelegate) throws {
        try checkMarkup(data, part: part)
        // From a stream, so libxml2 gets the part in chunks: given whole, a part over 10 MB exceeds its input limit.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw XLSXFault("`\(part)` is not well-formed XML (\(parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"))")
        }
    }

    /// Workbook parts hold no DTD (whose entities could expand without end) and no processing instruction after the
    /// XML declaration (Foundation's parser traps on one without data); either is refused before parsing.
    static func checkMarkup(_ data: Data, part: String) throws {
        let bytes = [UInt8](data)
        var from = 0
        while from < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(bytes[from]) { from += 1 }
        if bytes[from...].starts(with: Array("<?xml".utf8)) {
            guard let close = (from..<max(from, bytes.count - 1)).first(where: { bytes[$0] == 0x3F && bytes[$0 + 1] == 0x3E }) else {
                throw XLSXFault("`\(part)` is not well-formed XML (its declaration does not end)")
            }
            from = close + 2
        }
        for i in from..<max(from, bytes.count - 1) where bytes[i] == 0x3C && (bytes[i + 1] == 0x3F || bytes[i + 1] == 0x21) {
            if bytes[i + 1] == 0x3F { throw XLSXFault("`\(part)` holds a processing instruction, which workbook parts do not") }
            if bytes[(i + 2)...].starts(with: Array("DOCTYPE".utf8)) || bytes[(i + 2)...].starts(with: Array("ENTITY".utf8)) {
                throw XLSXFault("`\(part)` holds a DTD, which workbook parts do not")
            }
        }
    }

    /// `xl/workbook.xml`: sheet names and relationship ids in order, and the date system.
    final class Workbook: NSObject, XMLParserDelegate {
        var sheets: [(name: String, relationship: String)] = []
        var uses1904 = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch local(name) {
            case "sheet":
                let id = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") || $0.key == "id" }?.value ?? ""
                sheets.append((attributes["name"] ?? "sheet\(sheets.count + 1)", id))
            case "workbookPr":
                uses1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
            default: break
            }
        }
    }

    /// `xl/_rels/workbook.xml.rels`: relationship id → part path.
    final class Relationships: NSObject, XMLParserDelegate {
        var targets: [String: String] = [:]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            if local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
        }
    }

    /// `xl/sharedStrings.xml`: each `<si>`'s text (its runs joined; phonetic hints left out).
    final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        private var current = ""
        private var inText = false
        private var inPhonetic = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch local(name) {
            case "si": current = ""
            case "t": inText = !inPhonetic
            case "rPh": inPhonetic = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(name) {
            case "si": strings.append(current)
            case "t": inText = false
            case "rPh": inPhonetic = false
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
    }

    /// `xl/styles.xml`: which cell styles (`s="…"`) show numbers as dates.
    final class Styles: NSObject, XMLParserDelegate {
        private var customFormats: [Int: String] = [:]
        private var formatOfStyle: [Int] = []
        private var inCellFormats = false

        /// Whether style `index` formats numbers as a date or time.
        func isDate(style index: Int) -> Bool {
            guard index >= 0, index < formatOfStyle.count else { return false }
            let id = formatOfStyle[index]
            if (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) { return true }
            guard let code = customFormats[id] else { return false }
            return Styles.isDateCode(code)
        }

        /// Whether style `index` shows numbers with decimals (`0.00`, `#,##0.0`, percentages with decimals).
        func showsDecimals(style index: Int) -> Bool {
            guard index >= 0, index < formatOfStyle.count else { return false }
            let id = formatOfStyle[index]
            if [2, 4, 10, 11, 39, 40, 43, 44, 48].contains(id) { return true }
            guard let code = customFormats[id] else { return false }
            var quoted = false
            var previous: Character = " "
            for ch in code {
                if ch == "\"" { quoted.toggle() }
                if !quoted, previous == ".", ch == "0" || ch == "#" || ch == "?" { return true }
                previous = ch
            }
            return false
        }

        /// A number format shows a date when it has d, m, y (or h, s) outside quoted text, escapes and brackets.
        static func isDateCode(_ code: String) -> Bool {
            var quoted = false, bracket = false, escaped = false
            for ch in code.lowercased() {
                if escaped { escaped = false; continue }
                switch ch {
                case "\\": escaped = true
                case "\"": quoted.toggle()
                case "[": if !quoted { bracket = true }
                case "]": if !quoted { bracket = false }
                case "d", "m", "y", "h", "s": if !quoted && !bracket { return true }
                default: break
                }
            }
            return false
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch local(name) {
            case "numFmt":
                if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { customFormats[id] = code }
            case "cellXfs": inCellFormats = true
            case "xf" where inCellFormats: formatOfStyle.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if local(name) == "cellXfs" { inCellFormats = false }
        }
    }

    /// A cell's value as stored.
    enum Cell: Equatable {
        /// A number; `fraction` when its format shows decimals (so a column of 6700.0 stays a float column).
        case number(Double), fraction(Double), date(Double), bool(Bool), text(String)
    }

    /// A worksheet: cells by row and column (0-based), and merged ranges.
    final class Sheet: NSObject, XMLParserDelegate {
        let sharedStrings: [String]
        let styles: Styles
        var rows: [[(column: Int, cell: Cell)]] = []
        var rowNumbers: [Int] = []
        var merged: [(first: (row: Int, column: Int), last: (row: Int, column: Int))] = []
        var fault: XLSXFault?
        private var row = -1
        private var column = -1
        private var type = "n"
        private var style = 0
        private var value = ""
        private var inValue = false

        init(sharedStrings: [String], styles: Styles) {
            self.sharedStrings = sharedStrings
            self.styles = styles
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch local(name) {
            case "row":
                row = attributes["r"].flatMap(Int.init).map { $0 - 1 } ?? row + 1
                column = -1
                rows.append([])
                rowNumbers.append(row)
            case "c":
                column = attributes["r"].flatMap { XLSXParts.position(of: $0)?.column } ?? column + 1
                type = attributes["t"] ?? "n"
                style = attributes["s"].flatMap(Int.init) ?? 0
                value = ""
            case "v", "t": inValue = true
            case "mergeCell":
                if let ref = attributes["ref"], let colon = ref.firstIndex(of: ":"),
                   let a = XLSXParts.position(of: String(ref[..<colon])), let b = XLSXParts.position(of: String(ref[ref.index(after: colon)...])) {
                    merged.append((a, b))
                }
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { value += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(name) {
            case "v", "t": inValue = false
            case "c":
                guard !rows.isEmpty, column >= 0, column < XLSXParts.maxColumns else { return }
                if let cell = makeCell() { rows[rows.count - 1].append((column, cell)) }
            default: break
            }
        }

        private func makeCell() -> Cell? {
            switch type {
            case "s":
                guard let k = Int(value.trimmingCharacters(in: .whitespaces)) else { return nil }
                guard k >= 0, k < sharedStrings.count else {
                    fault = XLSXFault("cell \(XLSXParts.name(row: row, column: column)) refers to shared string \(k), which does not exist")
                    return nil
                }
                return .text(sharedStrings[k])
            case "inlineStr", "str": return .text(value)
            case "b": return .bool(value.trimmingCharacters(in: .whitespaces) == "1")
            case "e": return nil
            default:
                guard let d = Double(value.trimmingCharacters(in: .whitespaces)), d.isFinite else { return value.isEmpty ? nil : .text(value) }
                if styles.isDate(style: style) { return .date(d) }
                return styles.showsDecimals(style: style) ? .fraction(d) : .number(d)
            }
        }
    }

    /// Worksheets have at most 16,384 columns (XFD).
    static let maxColumns = 16_384

    /// `B12` → row 11, column 1.
    static func position(of reference: String) -> (row: Int, column: Int)? {
        var column = 0, row = 0, letters = 0, digits = 0
        for ch in reference.utf8 {
            if ch >= 65 && ch <= 90, digits == 0 {
                column = column * 26 + Int(ch - 64)
                letters += 1
            } else if ch >= 48 && ch <= 57 {
                row = row * 10 + Int(ch - 48)
                digits += 1
            } else if ch != 36 {
                return nil
            }
            guard letters <= 3, digits <= 7 else { return nil }
        }
        guard letters > 0, column <= maxColumns else { return nil }
        return (max(row - 1, 0), column - 1)
    }

    /// Row 11, column 1 → `B12`.
    static func name(row: Int, column: Int) -> String { "\(columnLetters(column))\(row + 1)" }

    static func columnLetters(_ column: Int) -> String {
        var n = column + 1
        var letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters
    }
}

/// The element name without its namespace prefix.
private func local(_ name: String) -> Substring {
    name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? Substring(name)
}

/// A problem in a workbook, named with its file by the reader.
struct XLSXFault: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
