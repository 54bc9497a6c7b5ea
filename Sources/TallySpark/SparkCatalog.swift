import Foundation
import TallyCore

/// Tables as Spark's catalog describes them (`SHOW TABLE EXTENDED`), with their types as Tally's.
enum SparkCatalog {
    /// The table property that names the columns holding Tally periods as text (`tally upload` sets it).
    static let periodsProperty = "tally.periods"

    /// A table from the `information` text of `SHOW TABLE EXTENDED`: its `Schema: root` tree (` |-- name: type (nullable
    /// = true)`), its `Type:` (a view has no load order), its `Table Properties:` and `Statistics:`.
    static func table(information: String) -> RemoteTable {
        var names: [String] = [], types: [DataType] = [], nullable: [Bool] = []
        var periods: Set<String> = [], isView = false, rows = -1
        for line in information.split(separator: "\n") {
            if line == "Type: VIEW" { isView = true }
            // `Statistics: 123 bytes, 20000 rows` once the table was analyzed (`tally upload` does).
            if line.hasPrefix("Statistics: "), line.hasSuffix(" rows"), let count = line.split(separator: " ").dropLast().last.flatMap({ Int($0) }) {
                rows = count
            }
            if line.hasPrefix("Table Properties: [") {
                let listed = line.dropFirst("Table Properties: [".count).dropLast()
                for property in listed.split(separator: ", ") where property.hasPrefix(periodsProperty + "=") {
                    periods = Set(property.dropFirst(periodsProperty.count + 1).split(separator: ",").map { String($0).removingPercentEncoding ?? String($0) })
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
        return RemoteTable(names: names, types: types, mayBeNull: nullable, estimatedRows: rows, isView: isView)
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
