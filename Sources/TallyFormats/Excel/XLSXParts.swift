import TallyCore
import Foundation

/// Readers for the parts of a workbook: each collects what Tally needs from one XML part (see ``XMLScanner``).
enum XLSXParts {
    /// Scans a part's tokens, giving each to `body`.
    static func scan(_ data: [UInt8], part: String, _ body: (XMLScanner, XMLScanner.Token) throws -> Void) throws {
        try data.withUnsafeBufferPointer { b in
            var scanner = XMLScanner(b, part: part)
            // Elements must close: XML cut short (or a close without its open) is damage, not a sheet that ends early.
            var depth = 0, tokens = 0
            while let token = try scanner.next() {
                tokens += 1
                if tokens & 0xFFFF == 0 { try Interruption.check() }
                switch token {
                case .open(_, _, let empty): depth += empty ? 0 : 1
                case .close: depth -= 1
                case .text: break
                }
                guard depth >= 0 else { throw XLSXFault("part `\(part)` closes an element it never opened: the XML is damaged") }
                try body(scanner, token)
            }
            guard depth == 0 else { throw XLSXFault("part `\(part)` ends inside \(depth) open elements: the XML is cut short") }
        }
    }

    /// `xl/workbook.xml`: sheet names and relationship ids in order, and the date system.
    struct Workbook {
        var sheets: [(name: String, relationship: String)] = []
        var uses1904 = false

        init(_ data: [UInt8], part: String) throws {
            try XLSXParts.scan(data, part: part) { x, token in
                guard case .open(let name, let attributes, _) = token else { return }
                if x.named(name, "sheet") {
                    sheets.append((x.attribute("name", in: attributes) ?? "sheet\(sheets.count + 1)", x.attribute("id", in: attributes) ?? ""))
                } else if x.named(name, "workbookPr") {
                    uses1904 = ["1", "true"].contains(x.attribute("date1904", in: attributes) ?? "")
                }
            }
        }
    }

    /// `xl/_rels/workbook.xml.rels`: relationship id → part path.
    struct Relationships {
        var targets: [String: String] = [:]

        init(_ data: [UInt8], part: String) throws {
            try XLSXParts.scan(data, part: part) { x, token in
                guard case .open(let name, let attributes, _) = token, x.named(name, "Relationship"),
                      let id = x.attribute("Id", in: attributes), let target = x.attribute("Target", in: attributes) else { return }
                targets[id] = target
            }
        }
    }

    /// `xl/sharedStrings.xml`: each `<si>`'s text (its runs joined; phonetic hints left out).
    struct SharedStrings {
        var strings: [String] = []

        init() {}

        init(_ data: [UInt8], part: String) throws {
            var current = "", inText = false, inPhonetic = false
            try XLSXParts.scan(data, part: part) { x, token in
                switch token {
                case .open(let name, _, let empty):
                    if x.named(name, "si") { current = "" } else if x.named(name, "t") { inText = !inPhonetic && !empty } else if x.named(name, "rPh") {
                        inPhonetic = !empty
                    }
                    if empty, x.named(name, "si") { strings.append("") }
                case .close(let name):
                    if x.named(name, "si") { strings.append(current) } else if x.named(name, "t") { inText = false } else if x.named(name, "rPh") {
                        inPhonetic = false
                    }
                case .text(let range, let raw):
                    if inText { current += x.text(range, raw: raw) }
                }
            }
        }
    }

    /// `xl/styles.xml`: which cell styles (`s="…"`) show numbers as dates, and which with decimals.
    struct Styles {
        private var dateStyles: [Bool] = []
        private var decimalStyles: [Bool] = []

        init() {}

        init(_ data: [UInt8], part: String) throws {
            var customFormats: [Int: String] = [:], formatOfStyle: [Int] = [], inCellFormats = false
            try XLSXParts.scan(data, part: part) { x, token in
                switch token {
                case .open(let name, let attributes, let empty):
                    if x.named(name, "numFmt") {
                        if let id = x.attribute("numFmtId", in: attributes).flatMap(Int.init), let code = x.attribute("formatCode", in: attributes) {
                            customFormats[id] = code
                        }
                    } else if x.named(name, "cellXfs") {
                        inCellFormats = !empty
                    } else if x.named(name, "xf"), inCellFormats {
                        formatOfStyle.append(x.attribute("numFmtId", in: attributes).flatMap(Int.init) ?? 0)
                    }
                case .close(let name):
                    if x.named(name, "cellXfs") { inCellFormats = false }
                case .text:
                    break
                }
            }
            dateStyles = formatOfStyle.map { Styles.isDate(format: $0, customFormats) }
            decimalStyles = formatOfStyle.map { Styles.showsDecimals(format: $0, customFormats) }
        }

        /// Whether style `index` formats numbers as a date or time.
        func isDate(style index: Int) -> Bool { index >= 0 && index < dateStyles.count && dateStyles[index] }

        /// Whether style `index` shows numbers with decimals (`0.00`, `#,##0.0`, percentages with decimals).
        func showsDecimals(style index: Int) -> Bool { index >= 0 && index < decimalStyles.count && decimalStyles[index] }

        static func isDate(format id: Int, _ customFormats: [Int: String]) -> Bool {
            if (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) { return true }
            guard let code = customFormats[id] else { return false }
            return isDateCode(code)
        }

        static func showsDecimals(format id: Int, _ customFormats: [Int: String]) -> Bool {
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
    }

    /// A cell's value as stored.
    enum Cell: Equatable {
        /// A number; `fraction` when its format shows decimals (so a column of 6700.0 stays a float column).
        case number(Double), fraction(Double), date(Double), bool(Bool), text(String)
    }

    /// A worksheet: cells by row and column (0-based), and merged ranges.
    struct Sheet {
        var rows: [[(column: Int, cell: Cell)]] = []
        var rowNumbers: [Int] = []
        var merged: [(first: (row: Int, column: Int), last: (row: Int, column: Int))] = []

        /// How a cell's `t` attribute says its value is stored.
        enum Kind {
            case number, shared, inline, bool, error
        }

        init(_ data: [UInt8], part: String, sharedStrings: [String], styles: Styles) throws {
            var row = -1, column = -1, kind = Kind.number, style = 0, value = "", inValue = false
            func finishCell() throws {
                guard !rows.isEmpty, column >= 0 else { return }
                guard column < XLSXParts.maxColumns else {
                    throw XLSXFault("row \(row + 1) has a cell past column XFD, the last of a sheet (cell \(column + 1) of the row)")
                }
                guard let cell = try Sheet.cell(kind, value, style: style, at: (row, column), sharedStrings, styles) else { return }
                rows[rows.count - 1].append((column, cell))
            }
            try XLSXParts.scan(data, part: part) { x, token in
                switch token {
                case .open(let name, let attributes, let empty):
                    if x.named(name, "c") {
                        if let r = x.attributeRange("r", in: attributes) {
                            guard let at = XLSXParts.position(of: x.bytes[r]) else {
                                let text = String(decoding: x.bytes[r].prefix(40), as: UTF8.self)
                                throw XLSXFault("cell reference `\(text)` is not a cell (columns run from A to XFD, rows from 1 to 1048576)")
                            }
                            column = at.column
                        } else {
                            column += 1
                        }
                        kind = x.attributeRange("t", in: attributes).map { Sheet.kind($0, x) } ?? .number
                        style = x.attributeRange("s", in: attributes).flatMap(x.integer) ?? 0
                        value = ""
                        if empty { try finishCell() }
                    } else if x.named(name, "v") || x.named(name, "t") {
                        inValue = !empty
                    } else if x.named(name, "row") {
                        row = x.attributeRange("r", in: attributes).flatMap(x.integer).map { $0 - 1 } ?? row + 1
                        column = -1
                        rows.append([])
                        rowNumbers.append(row)
                    } else if x.named(name, "mergeCell"), let ref = x.attribute("ref", in: attributes), let colon = ref.firstIndex(of: ":"),
                              let a = XLSXParts.position(of: String(ref[..<colon])), let b = XLSXParts.position(of: String(ref[ref.index(after: colon)...])) {
                        // `B1:A1` is written `A1:B1` by every application; a damaged file may say either.
                        merged.append(((min(a.row, b.row), min(a.column, b.column)), (max(a.row, b.row), max(a.column, b.column))))
                    }
                case .close(let name):
                    if x.named(name, "v") || x.named(name, "t") { inValue = false } else if x.named(name, "c") { try finishCell() }
                case .text(let range, let raw):
                    if inValue { value += x.text(range, raw: raw) }
                }
            }
        }

        /// A value without the spaces and tabs around it.
        static func trimmed(_ s: String) -> Substring {
            let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
            guard let first = s.firstIndex(where: { !blank($0) }), let last = s.lastIndex(where: { !blank($0) }) else { return "" }
            return s[first...last]
        }

        /// The kind a `t` attribute's value names.
        static func kind(_ t: Range<Int>, _ x: XMLScanner) -> Kind {
            if x.equal(t, "s") { return .shared }
            if x.equal(t, "inlineStr") || x.equal(t, "str") { return .inline }
            if x.equal(t, "b") { return .bool }
            return x.equal(t, "e") ? .error : .number
        }

        /// A cell from its stored value; nil for an empty or error cell.
        static func cell(_ kind: Kind, _ value: String, style: Int, at position: (row: Int, column: Int), _ sharedStrings: [String],
                         _ styles: Styles) throws -> Cell? {
            switch kind {
            case .shared:
                let index = trimmed(value)
                if index.isEmpty { return nil }
                guard let k = Int(index), k >= 0, k < sharedStrings.count else {
                    throw XLSXFault("cell \(XLSXParts.name(row: position.row, column: position.column)) refers to shared string \(index), which does not exist")
                }
                return .text(sharedStrings[k])
            case .inline: return .text(value)
            case .bool: return .bool(trimmed(value) == "1")
            case .error: return nil
            case .number:
                guard let d = Double(trimmed(value)), d.isFinite else { return value.isEmpty ? nil : .text(value) }
                if styles.isDate(style: style) {
                    // Excel's dates run from serial 0 to 2,958,465 (9999-12-31; 1,462 days fewer in the 1904 system).
                    guard d >= 0, d < 2_958_466 else {
                        throw XLSXFault("cell \(XLSXParts.name(row: position.row, column: position.column)) holds \(trimmed(value)) in a date format, "
                                        + "which is no date (Excel's run to 9999-12-31)")
                    }
                    return .date(d)
                }
                return styles.showsDecimals(style: style) ? .fraction(d) : .number(d)
            }
        }
    }

    /// Worksheets have at most 16,384 columns (XFD).
    static let maxColumns = 16_384

    /// `B12` → row 11, column 1.
    static func position(of reference: String) -> (row: Int, column: Int)? { position(of: reference.utf8) }

    /// `B12` (as UTF-8 bytes) → row 11, column 1.
    static func position<Bytes: Sequence<UInt8>>(of reference: Bytes) -> (row: Int, column: Int)? {
        var column = 0, row = 0, letters = 0, digits = 0
        for ch in reference {
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

/// A problem in a workbook, named with its file by the reader.
struct XLSXFault: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
