import Foundation
import TallyCore
import TallyLang

/// The most memory Tally may hold, like DuckDB's `memory_limit`: by default 80% of physical memory; set with
/// `--memory-limit 4GB` or `.set memory_limit 4GB`. Operators whose output can grow far beyond their input (joins,
/// unions) work out their result's size first and refuse before allocating it; ``MemoryWatch`` stops a statement
/// whose real allocations pass the limit anyway.
public struct MemoryBudget: Sendable {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// 80% of the machine's memory.
    public static var standard: MemoryBudget { MemoryBudget(bytes: Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.8)) }

    /// Parses `4GB`, `512MB`, `1.5GiB`, `800kB` or a number of bytes; nil for anything else (or less than 1 MB).
    public static func parse(_ text: String) -> MemoryBudget? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = t.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number.isFinite, number > 0 else { return nil }
        let units: [String: Double] = ["": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "kib": 1024, "mib": 1_048_576,
                                       "gib": 1_073_741_824, "tib": 1_099_511_627_776]
        guard let unit = units[t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)] else { return nil }
        let bytes = number * unit
        guard bytes >= 1e6, bytes < 9e18 else { return nil }
        return MemoryBudget(bytes: Int(bytes))
    }

    /// `4.0 GB`-style text.
    public static func text(_ bytes: Int) -> String {
        let b = Double(bytes)
        for (scale, unit) in [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")] where b >= scale {
            return String(format: "%.1f %@", b / scale, unit)
        }
        return "\(bytes) B"
    }

    /// The bytes `rows` rows of these column types take (values and null bits; dictionaries are shared).
    static func size(rows: Int, types: [DataType]) -> Double {
        let perRow = types.reduce(0.0) { $0 + ($1 == .string ? 4 : 8) + 0.125 }
        return Double(rows) * max(perRow, 1)
    }

    /// `12,345,678 rows`.
    static func rowsText(_ rows: Int) -> String {
        var digits = String(rows), out = ""
        while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
        return digits + out + (rows == 1 ? " row" : " rows")
    }

    /// Throws, naming `what` and the sizes, when `rows` rows of `types` would not fit in the budget beside what Tally
    /// already holds, or exceed the row limit.
    func check(rows: Int, types: [DataType], what: String, at range: SourceRange, advice: String) throws {
        let bytes = MemoryBudget.size(rows: rows, types: types)
        let made = "\(what) would make \(MemoryBudget.rowsText(rows)) (\(MemoryBudget.text(Int(min(bytes, 9e18)))))"
        let hints = [advice + ", or raise the limit: .set memory_limit 16GB"]
        if rows > Int(Int32.max) || bytes > Double(self.bytes) {
            throw Diagnostic(made + ", more than the memory limit of \(MemoryBudget.text(self.bytes))", at: range, hints: hints)
        }
        if bytes + Double(MemoryWatch.held(beside: Int(bytes), limit: self.bytes)) > Double(self.bytes) {
            throw Diagnostic(made + "; with what Tally already holds, that is more than the memory limit of \(MemoryBudget.text(self.bytes))",
                             at: range, hints: hints)
        }
    }
}
