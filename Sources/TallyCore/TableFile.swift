import Foundation

/// The file formats a table loads from, chosen by extension: CSV, TSV and Parquet (a file, or a folder of part files).
public enum TableFile {
    /// Whether a folder entry is a table file (`sales.csv`, `sales.parquet`) or a folder of Parquet parts.
    public static func isTable(_ entry: String, in folder: String) -> Bool {
        let lower = entry.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".parquet") { return true }
        return isPartFolder("\(folder)/\(entry)")
    }

    /// A folder holding `*.parquet` files.
    static func isPartFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return false }
        return (try? FileManager.default.contentsOfDirectory(atPath: path))?.contains { $0.lowercased().hasSuffix(".parquet") } ?? false
    }

    /// Reads a table; CSV for `.csv`, TSV for `.tsv`, Parquet for `.parquet` and part folders.
    public static func read(path: String) throws -> Table {
        if path.lowercased().hasSuffix(".parquet") || isPartFolder(path) { return try ParquetReader.read(path: path) }
        return try CSVReader.read(path: path)
    }
}
