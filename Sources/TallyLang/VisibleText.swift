/// Text from data or queries made safe to print on a terminal: control characters (C0, DEL, C1) and the bidirectional
/// overrides and isolates are written as visible escapes (`\x1b`, `\u{202e}`), so a CSV cell or a query can neither
/// send escape sequences to the terminal nor reorder what is shown. Tabs become `\t`; line breaks are left to callers.
public enum VisibleText {
    /// Whether a scalar would act on the terminal or reorder text rather than show.
    public static func isHidden(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (v < 0x20 && v != 0x0A) || (v >= 0x7F && v < 0xA0) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// `s` with every hidden scalar escaped; the same string when there is none (the common case costs one scan).
    public static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isHidden) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            guard isHidden(u) else { out.append(u); continue }
            let text: String
            switch u.value {
            case 0x09: text = "\\t"
            case 0x0D: text = "\\r"
            case ..<0x100: text = "\\x" + hex(u.value, 2)
            default: text = "\\u{" + hex(u.value, 4) + "}"
            }
            out.append(contentsOf: text.unicodeScalars)
        }
        return String(out)
    }

    static func hex(_ v: UInt32, _ digits: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
