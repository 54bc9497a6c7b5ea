import Foundation
import TallyCore

/// Tables as Spark's catalog describes them (`SHOW TABLE EXTENDED`), with their types as Tally's.
enum SparkCatalog {
    /// The table property that names the columns holding Tally periods as text (`tally upload` sets it).
    static let periodsProperty = "tally.periods"
    /// The table property that names the columns identifying a row, in order (`tally upload` sets it): Spark's catalog has
    /// no primary keys for Parquet tables, and rows a pipeline leaves unsorted come in this key's order.
    static let keyProperty = "tally.key"

    /// A property's list of column names: comma-separated, each percent-encoded but for letters, digits and `_` (so a
    /// comma or `]` in a name survives).
    static func propertyValue(_ names: [String]) -> String {
        names.map { $0.addingPercentEncoding(withAllowedCharacters: plainInProperty) ?? $0 }.joined(separator: ",")
    }

    static let plainInProperty = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_"))

    /// The column names of a property's value.
    static func names(propertyValue: Substring) -> [String] {
        propertyValue.split(separator: ",").map { String($0).removingPercentEncoding ?? String($0) }
    }

    /// A table from the `information` text of `SHOW TABLE EXTENDED`: its `Schema: root` tree (` |-- name: type (nullable
    /// = true)`), its `Table Properties:` (periods, key) and `Statistics:`.
    static func table(information: String) -> RemoteTable {
        var names: [String] = [], types: [DataType] = [], nullable: [Bool] = []
        var periods: Set<String> = [], key: [String] = [], rows = -1
        for line in information.split(separator: "\n") {
            // `Statistics: 123 bytes, 20000 rows` once the table was analyzed (`tally upload` does).
            if line.hasPrefix("Statistics: "), line.hasSuffix(" rows"), let count = line.split(separator: " ").dropLast().last.flatMap({ Int($0) }) {
                rows = count
            }
            if line.hasPrefix("Table Properties: [") {
                let listed = line.dropFirst("Table Properties: [".count).dropLast()
                for property in listed.split(separator: ", ") {
                    if property.hasPrefix(periodsProperty + "=") { periods = Set(self.names(propertyValue: property.dropFirst(periodsProperty.count + 1))) }
                    if property.hasPrefix(keyProperty + "=") { key = self.names(propertyValue: property.dropFirst(keyProperty.count + 1)) }
                }
            }
            guard line.hasPrefix(" |-- "), let nullability = line.range(of: " (nullable = ", options: .backwards),
                  let colon = line[..<nullability.lowerBound].range(of: ": ", options: .backwards) else { continue }
            let name = String(line[line.index(line.startIndex, offsetBy: 5)..<colon.lowerBound])
            names.append(name)
            types.append(type(sparkType: String(line[colon.upperBound..<nullability.lowerBound])))
            nullable.append(line[nullability.upperBound...].hasPrefix("true"))
        }
        types = zip(names, types).map { periods.contains($0.0) && $0.1 == .string ? .period : $0.1 }
        // A key naming a column the table lacks (renamed since) orders nothing.
        let order: RowOrder = !key.isEmpty && key.allSatisfy(names.contains) ? .key(key) : .engine
        return RemoteTable(names: names, types: types, mayBeNull: nullable, estimatedRows: rows, order: order)
    }

    /// The Tally type of a column of this Spark type (as `printTreeString` spells it).
    static func type(sparkType: String) -> DataType {
        switch sparkType {
        case "byte", "short", "integer", "long": return .int
        case "float", "double": return .float
        case "boolean": return .bool
        case "date": return .date
        case _ where sparkType.hasPrefix("decimal("): return sparkType.hasSuffix(",0)") ? .int : .float
        default: return .string
        }
    }
}
