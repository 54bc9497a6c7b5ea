import TallyCore
import TallyFormats

/// How results are printed (`.mode`, `--format`) or exported (by file extension).
public enum OutputMode: String, CaseIterable {
    case table, csv, tsv, json, jsonl, markdown, line

    /// The mode for an export file name, from its extension.
    public static func forFile(_ path: String) -> OutputMode? {
        switch path.split(separator: ".").last?.lowercased() {
        case "csv": return .csv
        case "tsv": return .tsv
        case "json": return .json
        case "jsonl", "ndjson": return .jsonl
        case "md", "markdown": return .markdown
        case "txt": return .table
        default: return nil
        }
    }

    public static func parse(_ s: String) -> OutputMode? {
        s == "md" ? .markdown : OutputMode(rawValue: s)
    }
}

/// Display settings for tables.
public struct RenderOptions {
    public var maxRows = 40
    /// Text cells longer than this are cut (with a note below the table); nil shows them whole.
    public var maxCellWidth: Int? = 40
    /// Terminal width in columns; nil when not a terminal (no column hiding).
    public var width: Int?
    /// Unicode box drawing and dim nulls, for terminals.
    public var fancy = false
    /// Colour in charts: on a terminal unless `NO_COLOR` is set (https://no-color.org) or `TERM` is `dumb`.
    public var colour = false

    public init(maxRows: Int = 40, width: Int? = nil, fancy: Bool = false) {
        self.maxRows = maxRows
        self.width = width
        self.fancy = fancy
    }
}

/// Renders a table in any output mode.
public enum Renderer {
    public static func render(_ table: Table, mode: OutputMode, options: RenderOptions) -> String {
        switch mode {
        case .table: return TableRenderer(options: options).render(table)
        case .csv: return CSVWriter.write(table)
        case .tsv: return CSVWriter.write(table, delimiter: "\t")
        case .json: return TextFormats.json(table)
        case .jsonl: return TextFormats.jsonLines(table)
        case .markdown: return TextFormats.markdown(table)
        case .line: return TextFormats.lines(table)
        }
    }
}
