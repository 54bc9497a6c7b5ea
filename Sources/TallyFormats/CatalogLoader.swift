import TallyCore
import Foundation


/// Builds a starting catalog: the demo data, a snapshot, or every table file (CSV, TSV, Parquet) in a folder.
public enum CatalogLoader {
    /// The tables of a snapshot written by `tally pack`, each column read when a query first needs it.
    public static func catalog(snapshot path: String) throws -> Catalog {
        var catalog = Catalog()
        for (name, table) in try Snapshot.open(path: path) { catalog.add(.file(table), as: name) }
        return catalog
    }

    /// The demo data, or the tables of every table file in a folder. `confined` (under `--safe`) refuses a file, or a
    /// part of a part folder, that links outside the folder.
    public static func catalog(dataDirectory: String?, confined: Bool = false) throws -> Catalog {
        var catalog = Catalog()
        guard let dir = dataDirectory else {
            for (name, table) in DemoData.generate() { catalog.add(table, as: name) }
            return catalog
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw CSVError(file: dir, line: 0, column: 0, message: "--data: `\(dir)` is not a folder")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { TableFile.isTable($0, in: dir) }.sorted()
        var fileOfTable: [String: String] = [:]
        for f in files {
            let path = "\(dir)/\(f)"
            if confined, let outside = TableFile.outside(path, folder: dir) {
                throw CSVError(file: outside, line: 0, column: 0, message: "this file links outside the data folder, which --safe forbids")
            }
            guard TableName.from(path: f).contains(where: { $0 != "_" }) else {
                throw CSVError(file: path, line: 0, column: 0, message: "no table name can be made from this file name; rename it (letters, digits, _)")
            }
            for (name, _, table) in try TableFile.tables(path: path) {
                if let other = fileOfTable[name] {
                    throw CSVError(file: path, line: 0, column: 0, message: "this file and `\(other)` would both be table `\(name)`; rename one of them")
                }
                fileOfTable[name] = f
                catalog.add(table, as: name)
            }
        }
        return catalog
    }
}
