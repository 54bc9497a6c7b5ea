import Foundation

/// Table names derived from file names.
public enum TableName {
    /// `data/sales.csv` → `sales`; other characters become `_`.
    public static func from(path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var s = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
        if let f = s.first, f.isNumber { s = "_" + s }
        return s.isEmpty ? "_" : s
    }

    public static func isValid(_ name: String) -> Bool {
        guard let f = name.first, f.isLetter || f == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
