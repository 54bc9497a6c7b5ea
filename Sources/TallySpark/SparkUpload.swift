import Foundation
import TallyCore
import TallyEngine

extension SparkConnection {
    /// Rows sent in one `INSERT … VALUES` statement: a table larger than this is written as several files.
    static let rowsPerInsert = 100_000

    /// Creates (or replaces) a table in Spark's catalog, written by Spark as Parquet in its warehouse, and inserts the
    /// rows in load order: each statement writes one file (`COALESCE(1)`). Period columns are text, named in the table
    /// property `tally.periods` so that they come back as periods. Spark's catalog declares no keys for Parquet tables:
    /// the columns that name the load order (``Table/loadOrderKey``) are named in the property `tally.key`, and order the
    /// rows a pipeline leaves unsorted.
    public func upload(_ table: Table, as name: String) throws {
        let spark = SQLDialects.spark
        let target = spark.identifier(database) + "." + spark.identifier(name)
        let columns = table.names.indices.map { "\(spark.identifier(table.names[$0])) \(spark.typeName(.tally(table.types[$0])))" }
        let periods = table.names.indices.filter { table.types[$0] == .period }.map { table.names[$0] }
        var listed: [(String, [String])] = periods.isEmpty ? [] : [(SparkCatalog.periodsProperty, periods)]
        if let key = table.loadOrderKey { listed.append((SparkCatalog.keyProperty, key)) }
        let properties = listed.isEmpty ? "" : " TBLPROPERTIES (" + listed.map { property, names in
            spark.string(property) + " = " + spark.string(SparkCatalog.propertyValue(names))
        }.joined(separator: ", ") + ")"
        try run("DROP TABLE IF EXISTS \(target)")
        try run("CREATE TABLE \(target) (\(columns.joined(separator: ", "))) USING parquet\(properties)")
        var start = 0
        while start < table.rowCount {
            let end = min(start + SparkConnection.rowsPerInsert, table.rowCount)
            let rows = (start..<end).map { r in "(" + table.columns.map { SparkConnection.literal($0.value(at: r)) }.joined(separator: ", ") + ")" }
            try run("INSERT INTO \(target) SELECT /*+ COALESCE(1) */ * FROM VALUES \(rows.joined(separator: ", "))")
            start = end
        }
        try run("ANALYZE TABLE \(target) COMPUTE STATISTICS")
    }

    /// A value as a Spark SQL literal of its column's type.
    static func literal(_ value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case .int(let v): return "\(v)L"
        case .float(let d):
            if d.isNaN { return "CAST('NaN' AS DOUBLE)" }
            if d.isInfinite { return d < 0 ? "CAST('-Infinity' AS DOUBLE)" : "CAST('Infinity' AS DOUBLE)" }
            return "\(d)D"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .date: return "DATE'\(value.text)'"
        case .string, .period: return SQLDialects.spark.string(value.text)
        }
    }
}
