/// Terminal column widths: East Asian wide characters take two columns, combining marks none.
enum DisplayWidth {
    static func of(_ s: String) -> Int {
        var w = 0
        for scalar in s.unicodeScalars { w += width(scalar) }
        return w
    }

    static func width(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (v >= 0x1160 && v <= 0x11FF) { return 0 }
        if (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0x303E) || (v >= 0x3041 && v <= 0x33FF) ||
            (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0xA000 && v <= 0xA4CF) ||
            (v >= 0xAC00 && v <= 0xD7A3) || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F) ||
            (v >= 0xFF00 && v <= 0xFF60) || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x1F300 && v <= 0x1F64F) ||
            (v >= 0x1F900 && v <= 0x1F9FF) || (v >= 0x20000 && v <= 0x3FFFD) {
            return 2
        }
        return 1
    }

    /// The longest prefix of `s` that fits in `width` columns, with `…` when cut.
    static func truncate(_ s: String, to width: Int) -> String {
        if of(s) <= width { return s }
        var out = ""
        var w = 0
        for ch in s {
            let cw = of(String(ch))
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }

    static func pad(_ s: String, to width: Int, right: Bool) -> String {
        let gap = String(repeating: " ", count: max(0, width - of(s)))
        return right ? gap + s : s + gap
    }
}
