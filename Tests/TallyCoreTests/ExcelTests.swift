@testable import TallyCore
@testable import TallyFormats
import Foundation
import XCTest

/// Workbooks written by openpyxl and LibreOffice (`tools/make-excel-fixtures.py --tests`, then LibreOffice's
/// `--convert-to xlsx` for `layout-libreoffice.xlsx`), Tally's own writer, and damaged files.
final class ExcelTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/excel").path
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../seeds").standardized.path

    func testACopyOfTheSeedsReadsLikeTheCSV() throws {
        let expected = try CSVReader.read(path: "\(Self.seeds)/sales.csv").prefix(300)
        XCTAssertNil(CSVReading.difference(.success(expected), Result { try TableFile.read(path: "\(Self.fixtures)/sales.xlsx") }))
    }

    func values(_ t: Table, _ name: String) -> [Value] { (0..<t.rowCount).map { t.column(name)!.value(at: $0) } }

    /// Two blank rows, a header merged over B:C, a formula, booleans, dates with a day-first format, an error cell.
    func testLayoutAsLibreOfficeSavedIt() throws {
        let tables = try TableFile.tables(path: "\(Self.fixtures)/layout-libreoffice.xlsx")
        // The empty third sheet makes no table.
        XCTAssertEqual(tables.map(\.name), ["layout_libreoffice_Deals", "layout_libreoffice_Notes"])
        let deals = try tables[0].table.whole()
        XCTAssertEqual(deals.names, ["Customer", "Amount", "Amount_2", "Won", "Closed", "Note"])
        XCTAssertEqual(deals.types, [.string, .float, .int, .bool, .date, .string])
        XCTAssertEqual(values(deals, "Customer"), [.string("Acme"), .string("Bolt"), .string("Core")])
        // Core's amount is the formula B4+C4 = 1200 + 300, read from the value LibreOffice cached.
        XCTAssertEqual(values(deals, "Amount"), [.float(1_200), .float(800.5), .float(1_500)])
        XCTAssertEqual(values(deals, "Amount_2"), [.int(300), .int(0), .int(7)])
        XCTAssertEqual(values(deals, "Won"), [.bool(true), .bool(false), .bool(true)])
        XCTAssertEqual(values(deals, "Closed"), [.date(20_395), .date(-1), .null])
        // An empty cell and an error (=1/0) are null.
        XCTAssertEqual(values(deals, "Note"), [.string("first"), .null, .null])
        let notes = try tables[1].table.whole()
        // Text cells are typed as CSV fields are, but "héllo" makes the column text.
        XCTAssertEqual(values(notes, "text"), [.string("héllo, \"world\""), .string("2025-11")])
    }

    func testAFormulaWithoutACachedValueIsNullAndSheetsArePicked() throws {
        let deals = try TableFile.read(path: "\(Self.fixtures)/layout-openpyxl.xlsx", sheet: "deals")
        XCTAssertEqual(values(deals, "Amount"), [.float(1_200), .float(800.5), .null])
        XCTAssertThrowsError(try TableFile.read(path: "\(Self.fixtures)/layout-openpyxl.xlsx")) { e in
            XCTAssertTrue("\(e)".contains("2 sheets with data; name one (sheet NAME): Deals, Notes"), "\(e)")
        }
        XCTAssertThrowsError(try TableFile.read(path: "\(Self.fixtures)/layout-openpyxl.xlsx", sheet: "Q3")) { e in
            XCTAssertTrue("\(e)".contains("no sheet `Q3` with data; sheets: Deals, Notes"), "\(e)")
        }
    }

    func testThe1904DateSystem() throws {
        let t = try TableFile.read(path: "\(Self.fixtures)/mac.xlsx")
        XCTAssertEqual(values(t, "day"), [.date(20_395)])
    }

    /// Tally's writer read back: every type, nulls, a float column of whole numbers, text that needs escaping.
    func testWrittenWorkbooksReadBack() throws {
        let folder = NSTemporaryDirectory() + "xlsx-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var valid = Bitmap(count: 3, value: true)
        valid[1] = false
        let t = Table(names: ["i", "f", "b", "d", "s", "p"], columns: [
            Column(ints: [1, 0, -3], validity: valid),
            Column(floats: [6_700, 2.5, -1e-9]),
            Column(ints: [1, 0, 0], type: .bool),
            Column(ints: [-1, 0, 20_395], type: .date, validity: valid),
            Column(codes: [0, 1, 2], dictionary: ["a<b & \"c\"", "é\u{1}", "  x  "]),
            Column(ints: [Period.month(2025, 11).encoded, Period.month(2025, 12).encoded, Period.month(2026, 1).encoded], type: .period),
        ], rowCount: 3)
        try XLSXWriter.write(t, to: "\(folder)/t.xlsx")
        var expected = t
        // A control character cannot be kept in XML: it is left out.
        expected.columns[4] = Column(codes: [0, 1, 2], dictionary: ["a<b & \"c\"", "é", "  x  "])
        XCTAssertNil(CSVReading.difference(.success(expected), Result { try TableFile.read(path: "\(folder)/t.xlsx") }))
        let demo = DemoData.generate(scale: 2_000).first { $0.0 == "sales" }!.1
        try XLSXWriter.write(demo, to: "\(folder)/sales.xlsx")
        XCTAssertNil(CSVReading.difference(.success(demo), Result { try TableFile.read(path: "\(folder)/sales.xlsx") }))
    }

    func testDamagedWorkbooksAreErrorsNamingTheFile() throws {
        let good = try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/mac.xlsx"))
        func read(_ data: Data) -> Result<[(sheet: String, table: Table)], Error> { Result { try XLSXReader.read(data: data, file: "bad.xlsx") } }
        XCTAssertThrowsError(try read(Data("id,name\n1,a\n".utf8)).get()) { XCTAssertTrue("\($0)".contains("bad.xlsx: error: not an .xlsx workbook"), "\($0)") }
        for length in stride(from: 0, to: good.count, by: 7) {
            if case .failure(let e) = read(good.prefix(length)) { XCTAssertTrue("\(e)".hasPrefix("bad.xlsx: error: "), "\(e)") }
        }
        var errors = 0
        for k in stride(from: 0, to: good.count, by: 3) {
            var bad = good
            bad[k] ^= 0x5A
            if case .failure(let e) = read(bad) {
                errors += 1
                XCTAssertTrue("\(e)".hasPrefix("bad.xlsx: error: "), "\(e)")
            }
        }
        XCTAssertGreaterThan(errors, 0)
    }

    /// A flipped byte anywhere in a workbook is an error or changes nothing read: never different data. The members'
    /// CRC-32s catch what still unpacks (before they were checked, flips inside a sheet's deflated data were served).
    func testADamagedWorkbookNeverReadsAsOtherData() throws {
        let good = try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/mac.xlsx"))
        let expected = try XLSXReader.read(data: good, file: "good.xlsx").map { CSVWriter.write($0.table) }
        var crcErrors = 0
        for k in 0..<good.count {
            var bad = good
            bad[k] ^= 0x01
            guard let tables = try? XLSXReader.read(data: bad, file: "bad.xlsx") else {
                if case .failure(let e) = Result(catching: { try XLSXReader.read(data: bad, file: "bad.xlsx") }), "\(e)".contains("CRC-32") { crcErrors += 1 }
                continue
            }
            XCTAssertEqual(tables.map { CSVWriter.write($0.table) }, expected, "byte \(k) flipped reads as other data")
        }
        XCTAssertGreaterThan(crcErrors, 0, "some flips unpack and only the CRC-32 finds them")
    }

    /// A cell reference beyond XFD, a date-styled number no date has and a shared-string index that is no index are errors
    /// naming the cell, not column A, 1970-01-01 and an empty cell.
    func testImpossibleCellsAreErrorsNamingThem() throws {
        let styles = try XLSXParts.Styles(Array("""
            <styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>
            """.utf8), part: "xl/styles.xml")
        func sheet(_ cells: String) throws -> XLSXParts.Sheet {
            try XLSXParts.Sheet(Array("<worksheet><sheetData><row r=\"3\">\(cells)</row></sheetData></worksheet>".utf8), part: "xl/worksheets/sheet1.xml",
                                sharedStrings: [], styles: styles)
        }
        XCTAssertNoThrow(try sheet("<c r=\"XFD3\"><v>1</v></c><c r=\"B3\" s=\"1\"><v>45962</v></c>"))
        for reference in ["XFE3", "ZZZZZZZZZZZZZZ3", "A0B"] {
            XCTAssertThrowsError(try sheet("<c r=\"\(reference)\"><v>1</v></c>")) { XCTAssertTrue("\($0)".contains("`\(reference)` is not a cell"), "\($0)") }
        }
        XCTAssertThrowsError(try sheet("<c r=\"C3\" s=\"1\"><v>1e300</v></c>")) {
            XCTAssertTrue("\($0)".contains("cell C3 holds 1e300 in a date format"), "\($0)")
        }
        XCTAssertThrowsError(try sheet("<c r=\"C3\" s=\"1\"><v>-5</v></c>"))
        XCTAssertThrowsError(try XLSXParts.Sheet(Array("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c>".utf8), part: "xl/worksheets/s.xml",
                                                 sharedStrings: [], styles: styles)) { XCTAssertTrue("\($0)".contains("the XML is cut short"), "\($0)") }
        XCTAssertThrowsError(try sheet("<c r=\"D3\" t=\"s\"><v>1e30</v></c>")) {
            XCTAssertTrue("\($0)".contains("cell D3 refers to shared string 1e30"), "\($0)")
        }
    }

    /// Hostile sheets: equal headers numbered in linear time (4,000 once took 52 s), a header cell past XFD an error
    /// (the 16,385th cell of a row without `r=` was dropped), and a sheet whose dense cells would not fit refused
    /// before they are allocated.
    func testHostileSheetsAreReadOrRefusedWithoutQuadraticWork() throws {
        func sheet(_ rows: String) throws -> XLSXParts.Sheet {
            try XLSXParts.Sheet(Array("<worksheet><sheetData>\(rows)</sheetData></worksheet>".utf8), part: "xl/worksheets/sheet1.xml",
                                sharedStrings: [], styles: XLSXParts.Styles())
        }
        func header(_ names: [String]) -> String {
            "<row>" + names.map { "<c t=\"inlineStr\"><is><t>\($0)</t></is></c>" }.joined() + "</row>"
        }
        let same = try XLSXReader.table(try sheet(header(Array(repeating: "x", count: 4_000)) + "<row><c><v>1</v></c></row>"), uses1904: false)
        XCTAssertEqual(same?.names.count, 4_000)
        XCTAssertEqual(same?.names.prefix(3), ["x", "x_2", "x_3"])
        XCTAssertEqual(same?.names.last, "x_4000")
        XCTAssertEqual(Set(same?.names ?? []).count, 4_000)
        // A name already taken by a header is skipped: x, x_2, x, x → x, x_2, x_3, x_4.
        let mixed = try XLSXReader.table(try sheet(header(["x", "x_2", "x", "x"]) + "<row><c><v>1</v></c></row>"), uses1904: false)
        XCTAssertEqual(mixed?.names, ["x", "x_2", "x_3", "x_4"])
        let wide = header((0...16_384).map { "h\($0)" })
        XCTAssertThrowsError(try sheet(wide)) {
            XCTAssertEqual(($0 as? XLSXFault)?.message, "row 1 has a cell past column XFD, the last of a sheet (cell 16385 of the row)")
        }
        // 16,384 columns × 1,000,001 rows (empty rows are kept between data rows) is 16 billion cells.
        let tall = header((0..<16_384).map { "h\($0)" }) + String(repeating: "<row/>", count: 1_000_000) + "<row><c><v>1</v></c></row>"
        XCTAssertThrowsError(try XLSXReader.table(try sheet(tall), uses1904: false)) {
            XCTAssertTrue(($0 as? XLSXFault)?.message.hasPrefix("1000001 rows × 16384 columns would not fit in memory") == true, "\($0)")
        }
    }
}
