import Foundation
import TallyCore
import TallyFormats
import TallyShell
import TallyWeb

/// A served page's results as data: the JSON API's document, and each table as a CSV, Excel or Parquet download.
enum ResultEncoding {
    /// `{"script", "title", "parameters", "results": [{"statement", "columns", "rows", "row_count", "warnings"}]}`: every
    /// row (not only those a page shows), values typed as in `--format json`.
    static func json(name: String, page: HTMLReport, parameters: [QueryString.Pair]) -> String {
        let given = parameters.filter { !$0.name.hasPrefix("_") }.map { TextFormats.jsonString($0.name) + ":" + TextFormats.jsonString($0.value) }
        var out = "{\"script\":\(TextFormats.jsonString(name)),\"title\":\(TextFormats.jsonString(page.title)),"
        out += "\"parameters\":{\(given.joined(separator: ","))},\"results\":["
        for (k, entry) in page.entries.enumerated() {
            let table = entry.result.table
            if k > 0 { out += "," }
            out += "{\"statement\":\(TextFormats.jsonString(entry.statement)),\"columns\":["
            out += zip(table.names, table.columns).map { "{\"name\":\(TextFormats.jsonString($0)),\"type\":\"\($1.type.rawValue)\"}" }.joined(separator: ",")
            out += "],\"row_count\":\(table.rowCount),\"rows\":[" + TextFormats.jsonObjects(table).joined(separator: ",") + "],\"warnings\":["
            out += entry.result.warnings.map { TextFormats.jsonString($0.message) }.joined(separator: ",") + "]}"
        }
        return out + "]}\n"
    }

    /// The JSON of a refusal or failure: `{"error": MESSAGE, "problems": {PARAMETER: MESSAGE}}`.
    static func jsonError(_ message: String, problems: [String: String] = [:]) -> String {
        let listed = problems.sorted { $0.key < $1.key }.map { TextFormats.jsonString($0.key) + ":" + TextFormats.jsonString($0.value) }
        return "{\"error\":\(TextFormats.jsonString(message)),\"problems\":{\(listed.joined(separator: ","))}}\n"
    }

    /// One result table of a page as a file: its bytes and the file name offered.
    static func download(_ page: HTMLReport, table index: Int, as format: ResultFormat, name: String) throws -> (Data, String) {
        let table = page.entries[index].result.table
        let file = page.entries.count == 1 ? name : "\(name)-\(index + 1)"
        switch format {
        case .csv: return (Data(CSVWriter.bytes(table)), file + ".csv")
        case .xlsx: return (try XLSXWriter.bytes(table, sheet: String(name.prefix(31)), file: file + ".xlsx"), file + ".xlsx")
        case .parquet:
            do {
                return (Data(try ParquetWriter.bytes(table)), file + ".parquet")
            } catch let fault as ParquetFault {
                throw ParquetError(file: file + ".parquet", message: fault.message)
            }
        case .page, .json, .html: return (Data(page.render().utf8), file + ".html")
        }
    }
}
