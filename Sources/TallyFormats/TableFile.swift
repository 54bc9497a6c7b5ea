import TallyCore
import Foundation

/// The file formats tables load from, chosen by extension: CSV, TSV, Parquet (a file, or a folder of part files) and
/// Excel workbooks (a table per sheet).
public enum TableFile {
    /// Whether a folder entry is a table file (`sales.csv`, `sales.parquet`, `book.xlsx`) or a folder of Parquet parts.
    public static func isTable(_ entry: String, in folder: String) -> Bool {
        let lower = entry.lowercased()
        if [".csv", ".tsv", ".parquet", ".xlsx"].contains(where: lower.hasSuffix) { return !lower.hasPrefix("~$") }
        return isPartFolder("\(folder)/\(entry)")
    }

    /// The first file a table at `path` would read (the file itself, or each part of a part folder) whose real path —
    /// symbolic links followed — lies outside `folder`; nil when every one is inside.
    public static func outside(_ path: String, folder: String) -> String? {
        func real(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
        let root = real(folder)
        func inside(_ p: String) -> Bool { real(p).hasPrefix(root.hasSuffix("/") ? root : root + "/") }
        guard inside(path) else { return path }
        guard isPartFolder(path) else { return nil }
        let parts = (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? []
        return parts.map { "\(path)/\($0)" }.first { !inside($0) }
    }

    /// A folder holding `*.parquet` files.
    static func isPartFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return false }
        return (try? FileManager.default.contentsOfDirectory(atPath: path))?.contains { $0.lowercased().hasSuffix(".parquet") } ?? false
    }

    /// Reads one table: CSV for `.csv`, TSV for `.tsv`, Parquet for `.parquet` and part folders, and for `.xlsx` the
    /// workbook's only sheet or the one named.
    public static func read(path: String, sheet: String? = nil) throws -> Table {
        let tables = try self.tables(path: path, sheet: sheet)
        guard tables.count == 1 else {
            let sheets = tables.map(\.sheet).joined(separator: ", ")
            throw ExcelError(file: path, message: "the workbook has \(tables.count) sheets with data; name one (sheet NAME): \(sheets)")
        }
        return try tables[0].table.whole()
    }

    /// The tables in a file with their names: the file's name, or for a workbook of several sheets `file_sheet`
    /// each; `sheet` picks one sheet (named after the file).
    /// Parquet tables are opened (footers read), not loaded: see ``ParquetTable``.
    public static func tables(path: String, sheet: String? = nil) throws -> [(name: String, sheet: String, table: StoredTable)] {
        let base = TableName.from(path: path)
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") {
            let sheets = try XLSXReader.read(path: path)
            if let sheet {
                guard let found = sheets.first(where: { $0.sheet == sheet }) ?? sheets.first(where: { $0.sheet.lowercased() == sheet.lowercased() }) else {
                    throw ExcelError(file: path, message: "no sheet `\(sheet)` with data; sheets: \(sheets.map(\.sheet).joined(separator: ", "))")
                }
                return [(base, found.sheet, .memory(found.table))]
            }
            guard !sheets.isEmpty else { throw ExcelError(file: path, message: "the workbook has no sheet with data") }
            if sheets.count == 1 { return [(base, sheets[0].sheet, .memory(sheets[0].table))] }
            return sheets.map { ("\(base)_\(TableName.from(path: $0.sheet + ".x"))".replacingOccurrences(of: "__", with: "_"), $0.sheet, .memory($0.table)) }
        }
        if sheet != nil { throw CSVError(file: path, line: 0, column: 0, message: "`sheet` applies to .xlsx workbooks only") }
        if lower.hasSuffix(".parquet") || isPartFolder(path) { return [(base, "", .file(try ParquetTable(path: path)))] }
        return [(base, "", .memory(try CSVReader.read(path: path)))]
    }
}
