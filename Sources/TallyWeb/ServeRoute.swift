/// What a request's path asks `tally serve` for. Script names are letters, digits, `_` and `-` only, so a path never
/// names a file: `..`, slashes inside a name and percent escapes match no route.
public enum ServeRoute: Equatable, Sendable {
    /// `/`: every served script with its title, description and parameters.
    case index
    /// `/index.json`: the same list for programs.
    case indexJSON
    /// `/q/NAME` and `/q/NAME.json|.csv|.xlsx|.parquet|.html`: a script's page, its results as data, or the page as a file.
    case script(name: String, format: ResultFormat)
    /// `/query` (with `--allow-queries`): one text box running an ad-hoc pipeline; `/query.json` and `/query.csv` too.
    case adHoc(format: ResultFormat)
    /// `/complete`: completions for the ad-hoc box.
    case complete
    /// `/login` (the form, and where it posts) and `/logout`.
    case login
    case logout
    /// `/api`: the JSON API's documentation.
    case apiDocs

    /// The longest path read.
    public static let maxPathLength = 512

    /// The route of `path` (without its query string), or nil for none.
    public init?(path: Substring) {
        guard path.utf8.count <= ServeRoute.maxPathLength, path.hasPrefix("/") else { return nil }
        switch path {
        case "/": self = .index
        case "/index.json": self = .indexJSON
        case "/login": self = .login
        case "/logout": self = .logout
        case "/complete": self = .complete
        case "/api": self = .apiDocs
        default:
            let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 1, let (stem, format) = ServeRoute.stemAndFormat(parts[0]), stem == "query" {
                guard format != .xlsx, format != .parquet, format != .html else { return nil }
                self = .adHoc(format: format)
            } else if parts.count == 2, parts[0] == "q", let (stem, format) = ServeRoute.stemAndFormat(parts[1]), ServeRoute.isScriptName(stem) {
                self = .script(name: String(stem), format: format)
            } else {
                return nil
            }
        }
    }

    /// `name.ext` split at its last dot, the extension a known format (none: the page).
    static func stemAndFormat(_ part: Substring) -> (Substring, ResultFormat)? {
        guard let dot = part.lastIndex(of: ".") else { return (part, .page) }
        guard let format = ResultFormat(rawValue: String(part[part.index(after: dot)...])), format != .page else { return nil }
        return (part[..<dot], format)
    }

    /// Letters, digits, `_` and `-`, 1 to 100 of them: the names `.run` takes, and never a path.
    public static func isScriptName(_ name: Substring) -> Bool {
        !name.isEmpty && name.utf8.count <= 100 && name.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }
}

/// How a script's results are sent: the page, or one of the download formats.
public enum ResultFormat: String, Sendable, CaseIterable {
    case page = ""
    case json, csv, xlsx, parquet, html

    /// The response's media type.
    public var contentType: String {
        switch self {
        case .page, .html: return "text/html; charset=utf-8"
        case .json: return "application/json"
        case .csv: return "text/csv; charset=utf-8"
        case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .parquet: return "application/vnd.apache.parquet"
        }
    }
}
