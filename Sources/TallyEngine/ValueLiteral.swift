import TallyCore

extension Value {
    /// The value as a Tally literal that reads back as it: text quoted with `\"`, `\\`, `\n` and `\t` escaped; dates,
    /// periods and numbers as written.
    public var tallyLiteral: String {
        switch self {
        case .string(let s):
            let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
            return "\"" + escaped + "\""
        case .null: return "null"
        default: return text
        }
    }
}
