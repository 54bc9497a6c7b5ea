import TallyCore
import Foundation
import ZIPFoundation

/// Writes a ``Table`` as an `.xlsx` workbook of one sheet: a bold, frozen header row, typed cells (numbers as numbers,
/// booleans as booleans, dates as dates with a `yyyy-mm-dd` format, text as inline strings, periods as their text),
/// nulls as empty cells and column widths fitted to the text.
public enum XLSXWriter {
    /// Excel's sheet size.
    static let maxRows = 1_048_576, maxColumns = 16_384
    /// Excel keeps at most this many characters in a cell.
    static let maxCellText = 32_767

    /// Writes the workbook to `path` (replaced whole: a partial file is never left behind).
    public static func write(_ table: Table, to path: String, sheet: String = "result") throws {
        let data = try bytes(table, sheet: sheet, file: path)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ExcelError(file: path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The workbook's bytes, built in memory (`tally serve` sends them without touching the disk); `file` names it in errors.
    public static func bytes(_ table: Table, sheet: String = "result", file: String) throws -> Data {
        guard table.rowCount < maxRows else {
            throw ExcelError(file: file, message: "\(table.rowCount) rows do not fit a sheet (at most \(maxRows - 1) under the header)")
        }
        guard table.columns.count <= maxColumns else {
            throw ExcelError(file: file, message: "\(table.columns.count) columns do not fit a sheet (at most \(maxColumns))")
        }
        let parts: [(String, Data)] = [
            ("[Content_Types].xml", Data(contentTypes.utf8)),
            ("_rels/.rels", Data(packageRelationships.utf8)),
            ("xl/workbook.xml", Data(workbook(sheet).utf8)),
            ("xl/_rels/workbook.xml.rels", Data(workbookRelationships.utf8)),
            ("xl/styles.xml", Data(styles.utf8)),
            ("xl/worksheets/sheet1.xml", Data(worksheet(table).utf8)),
        ]
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (name, data) in parts {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw ExcelError(file: file, message: "cannot build the workbook") }
            return data
        } catch let e as ExcelError {
            throw e
        } catch {
            throw ExcelError(file: file, message: "cannot build the workbook: \(error.localizedDescription)")
        }
    }

    static func worksheet(_ table: Table) -> String {
        var widths = table.names.map { $0.count }
        var rows = ""
        rows.reserveCapacity(table.rowCount * table.columns.count * 16)
        rows += "<row r=\"1\">"
        for (k, name) in table.names.enumerated() {
            rows += "<c r=\"\(XLSXParts.name(row: 0, column: k))\" s=\"2\" t=\"inlineStr\"><is><t>\(escape(name))</t></is></c>"
        }
        rows += "</row>"
        for r in 0..<table.rowCount {
            rows += "<row r=\"\(r + 2)\">"
            for (k, column) in table.columns.enumerated() where !column.isNull(r) {
                let ref = XLSXParts.name(row: r + 1, column: k)
                let (cell, shown) = self.cell(column, r, ref)
                rows += cell
                if r < 10_000 { widths[k] = max(widths[k], shown) }
            }
            rows += "</row>"
        }
        let cols = widths.enumerated().map { k, w in "<col min=\"\(k + 1)\" max=\"\(k + 1)\" width=\"\(min(w, 60) + 2)\" customWidth=\"1\"/>" }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0">\
            <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
            \(cols.isEmpty ? "" : "<cols>\(cols)</cols>")<sheetData>\(rows)</sheetData></worksheet>
            """
    }

    /// One cell's XML and how many characters it shows.
    static func cell(_ column: Column, _ r: Int, _ ref: String) -> (String, Int) {
        switch column.type {
        case .int:
            let v = String(column.ints[r])
            return ("<c r=\"\(ref)\"><v>\(v)</v></c>", v.count)
        case .float where column.floats[r].isFinite:
            let v = "\(column.floats[r])"
            return ("<c r=\"\(ref)\" s=\"3\"><v>\(v)</v></c>", min(v.count, 12))
        case .bool:
            return ("<c r=\"\(ref)\" t=\"b\"><v>\(column.ints[r] != 0 ? 1 : 0)</v></c>", 5)
        case .date where column.ints[r] >= -25_508 && column.ints[r] <= 2_958_465 - 25_569:
            // Serial 61 (1900-03-01) onwards, as Excel counts; earlier dates are written as text.
            return ("<c r=\"\(ref)\" s=\"1\"><v>\(column.ints[r] + 25_569)</v></c>", 10)
        default:
            var text = column.value(at: r).text
            if text.count > maxCellText { text = String(text.prefix(maxCellText)) }
            return ("<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>", text.count)
        }
    }

    /// Text made safe for XML: markup characters escaped, characters XML cannot hold left out.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func workbook(_ sheet: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="\(escape(sheet))" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """

    static let packageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/></Relationships>
        """

    static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
        Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    /// Style 0: general; 1: a date (`yyyy-mm-dd`); 2: the bold header; 3: floats, shown with at least one decimal (so
    /// a float column of whole numbers reads back as floats).
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="0.0#########"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """
}
