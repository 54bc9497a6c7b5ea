import TallyCore
import Foundation

/// Reads `.xlsx` workbooks (Excel, LibreOffice, openpyxl, CRM exports): each non-empty sheet a table whose header is
/// its first non-empty row. Cells: shared and inline strings, numbers, booleans, formulas as their cached values,
/// dates stored as serial numbers with a date format (1900 and 1904 date systems); error and empty cells are null.
/// Column types are inferred as for CSV, text cells included (a text `2025-11` column is a period column).
public enum XLSXReader {
    /// No part of a workbook is read past this size (a zip bomb is refused, not unpacked).
    static let maxPartSize = 1 << 30

    /// The sheets of a workbook as (sheet name, table), in workbook order; empty sheets are left out.
    public static func read(path: String) throws -> [(sheet: String, table: Table)] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ExcelError(file: path, message: "cannot read file: no such file or not readable") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ExcelError(file: path, message: "not a regular file; only regular .xlsx files load") }
        guard let data = FileManager.default.contents(atPath: path) else { throw ExcelError(file: path, message: "cannot read file: not readable") }
        return try read(data: data, file: path)
    }

    /// The sheets of a workbook's bytes; `file` names it in errors.
    public static func read(data: Data, file: String) throws -> [(sheet: String, table: Table)] {
        do {
            return try sheets(try ZipMembers(Array(data)))
        } catch let fault as XLSXFault {
            throw ExcelError(file: file, message: fault.message)
        }
    }

    static func sheets(_ archive: ZipMembers) throws -> [(sheet: String, table: Table)] {
        try sheets { try archive.read($0, limit: maxPartSize).map { [UInt8]($0) } }
    }

    /// The sheets of a workbook given as its parts by path, without a zip around them (for structure-aware fuzzing).
    package static func read(parts: [String: [UInt8]], file: String) throws -> [(sheet: String, table: Table)] {
        do {
            return try sheets { parts[$0] }
        } catch let fault as XLSXFault {
            throw ExcelError(file: file, message: fault.message)
        }
    }

    /// The sheets of a workbook whose parts `part` gives by path (nil for a part it does not have).
    static func sheets(_ part: (String) throws -> [UInt8]?) throws -> [(sheet: String, table: Table)] {
        guard let workbookData = try part("xl/workbook.xml") else { throw XLSXFault("not an .xlsx workbook (no xl/workbook.xml)") }
        let workbook = try XLSXParts.Workbook(workbookData, part: "xl/workbook.xml")
        let relationships = try part("xl/_rels/workbook.xml.rels").map { try XLSXParts.Relationships($0, part: "xl/_rels/workbook.xml.rels") }
        let shared = try part("xl/sharedStrings.xml").map { try XLSXParts.SharedStrings($0, part: "xl/sharedStrings.xml") } ?? XLSXParts.SharedStrings()
        let styles = try part("xl/styles.xml").map { try XLSXParts.Styles($0, part: "xl/styles.xml") } ?? XLSXParts.Styles()
        var out: [(String, Table)] = []
        for (k, sheet) in workbook.sheets.enumerated() {
            var target = relationships?.targets[sheet.relationship] ?? "worksheets/sheet\(k + 1).xml"
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            guard let xml = try part(target) else { throw XLSXFault("sheet `\(sheet.name)` has no part `\(target)`") }
            let parser: XLSXParts.Sheet
            do {
                parser = try XLSXParts.Sheet(xml, part: target, sharedStrings: shared.strings, styles: styles)
            } catch let fault as XLSXFault {
                throw XLSXFault("sheet `\(sheet.name)`: \(fault.message)")
            }
            if let table = try table(parser, uses1904: workbook.uses1904) { out.append((sheet.name, table)) }
        }
        return out
    }

    /// A sheet's cells as a table: the first row with a value is the header; nil for an empty sheet.
    static func table(_ sheet: XLSXParts.Sheet, uses1904: Bool) throws -> Table? {
        guard let headerIndex = sheet.rows.firstIndex(where: { !$0.isEmpty }) else { return nil }
        let headerRow = sheet.rowNumbers[headerIndex]
        let dataRows = sheet.rows[(headerIndex + 1)...].map { $0 }
        let columns = Set(sheet.rows[headerIndex...].flatMap { $0.map(\.column) }).sorted()
        let position = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        var header = [String?](repeating: nil, count: columns.count)
        for (c, cell) in sheet.rows[headerIndex] { header[position[c]!] = text(cell, uses1904: uses1904) }
        // Dense cells take a slot per column and row: refuse a sparse sheet that would not fit before allocating it.
        let (slots, over) = columns.count.multipliedReportingOverflow(by: dataRows.count)
        let memory = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        guard !over, slots <= memory / 2 / MemoryLayout<XLSXParts.Cell?>.stride else {
            throw XLSXFault("\(dataRows.count) rows × \(columns.count) columns would not fit in memory (\(memory >> 30) GiB)")
        }
        var names: [String] = []
        // Names taken, and for each repeated name the next suffix to try: 4,000 equal headers take linear time.
        var taken = Set<String>(), nextSuffix: [String: Int] = [:]
        for (k, column) in columns.enumerated() {
            var name = header[k]?.trimmingCharacters(in: .whitespaces) ?? ""
            if name.isEmpty {
                // A header merged across columns names them all after it; otherwise the column letter.
                if let range = sheet.merged.first(where: { $0.first.row == headerRow && ($0.first.column...$0.last.column).contains(column) }),
                   let owner = position[range.first.column], let ownerName = header[owner], !ownerName.isEmpty {
                    name = "\(ownerName)_\(column - range.first.column + 1)"
                } else {
                    name = "column_\(XLSXParts.columnLetters(column))"
                }
            }
            var unique = name
            if taken.contains(name) {
                var n = nextSuffix[name, default: 2]
                repeat {
                    unique = "\(name)_\(n)"
                    n += 1
                } while taken.contains(unique)
                nextSuffix[name] = n
            }
            taken.insert(unique)
            names.append(unique)
        }
        // Cells by column; rows without any cell are kept (as nulls) between data rows, dropped at the end.
        var cells = [[XLSXParts.Cell?]](repeating: [XLSXParts.Cell?](repeating: nil, count: dataRows.count), count: columns.count)
        for (r, row) in dataRows.enumerated() {
            for (c, cell) in row { if let k = position[c] { cells[k][r] = cell } }
        }
        var rowCount = dataRows.count
        while rowCount > 0, cells.allSatisfy({ $0[rowCount - 1] == nil }) { rowCount -= 1 }
        let built = cells.map { column(Array($0.prefix(rowCount)), uses1904: uses1904) }
        return Table(names: names, columns: built, rowCount: rowCount)
    }

    /// A day number (days since 1970-01-01) from a date serial.
    static func day(_ serial: Double, uses1904: Bool) -> Int64 {
        let whole = serial.rounded(.down)
        guard abs(whole) < 1e9 else { return 0 }
        // 1900 system: serial 25,569 is 1970-01-01; serials before 61 precede Excel's phantom 1900-02-29.
        if uses1904 { return Int64(whole) - 24_107 }
        return Int64(whole) - (whole < 61 ? 25_568 : 25_569)
    }

    /// A cell shown as text (for headers and text columns).
    static func text(_ cell: XLSXParts.Cell, uses1904: Bool) -> String {
        switch cell {
        case .text(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        case .fraction(let d): return "\(d)"
        case .date(let d): return Value.date(day(d, uses1904: uses1904)).text
        }
    }

    /// One column from its cells, typed as the CSV reader would type the same values.
    static func column(_ cells: [XLSXParts.Cell?], uses1904: Bool) -> Column {
        var kinds: UInt8 = 0
        for cell in cells {
            guard let cell else { continue }
            switch cell {
            case .number(let d): kinds |= d == d.rounded() && abs(d) < 9e15 ? CSVValues.int : CSVValues.float
            case .fraction: kinds |= CSVValues.float
            case .date: kinds |= CSVValues.date
            case .bool: kinds |= CSVValues.bool
            case .text(let s): if !s.isEmpty { kinds |= classify(s) }
            }
        }
        let type = CSVValues.type(for: kinds)
        var valid = Bitmap(count: cells.count, value: true)
        var anyNull = false
        func null(_ r: Int) { valid[r] = false; anyNull = true }
        switch type {
        case .string:
            var dictionary: [String] = [""]
            var codeOf: [String: Int32] = ["": 0]
            var codes = [Int32](repeating: 0, count: cells.count)
            for (r, cell) in cells.enumerated() {
                guard let cell else { null(r); continue }
                let s = text(cell, uses1904: uses1904)
                if case .text = cell, s.isEmpty { null(r); continue }
                if let c = codeOf[s] { codes[r] = c } else {
                    codes[r] = Int32(dictionary.count)
                    codeOf[s] = codes[r]
                    dictionary.append(s)
                }
            }
            return Column(codes: codes, dictionary: dictionary, validity: anyNull ? valid : nil)
        case .float:
            var values = [Double](repeating: 0, count: cells.count)
            for (r, cell) in cells.enumerated() {
                switch cell {
                case .number(let d), .fraction(let d): values[r] = d
                case .text(let s) where !s.isEmpty: values[r] = parse(s, CSVValues.parseDouble) ?? 0
                default: null(r)
                }
            }
            return Column(floats: values, validity: anyNull ? valid : nil)
        default:
            var values = [Int64](repeating: 0, count: cells.count)
            for (r, cell) in cells.enumerated() {
                switch cell {
                case .number(let d): values[r] = Int64(d)
                case .date(let d): values[r] = day(d, uses1904: uses1904)
                case .bool(let b): values[r] = b ? 1 : 0
                case .text(let s) where !s.isEmpty:
                    switch type {
                    case .int: values[r] = parse(s, CSVValues.parseInt) ?? 0
                    case .date: values[r] = parse(s, CSVValues.parseDate) ?? 0
                    case .period: values[r] = parse(s, CSVValues.parsePeriod)?.encoded ?? 0
                    default: values[r] = s.lowercased() == "true" ? 1 : 0
                    }
                default: null(r)
                }
            }
            return Column(ints: values, type: type, validity: anyNull ? valid : nil)
        }
    }

    static func classify(_ s: String) -> UInt8 {
        var s = s
        return s.withUTF8 { b in CSVValues.classify(b, FieldRef(start: 0, length: b.count, quoted: false, escaped: false)) }
    }

    static func parse<T>(_ s: String, _ parser: (UnsafeBufferPointer<UInt8>, Int, Int) -> T?) -> T? {
        var s = s
        return s.withUTF8 { b in parser(b, 0, b.count) }
    }
}
