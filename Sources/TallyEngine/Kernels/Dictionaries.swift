import TallyCore

/// Helpers for dictionary-encoded string columns.
enum Dictionaries {
    /// One dictionary holding every entry of the given ones, and for each input a map from its codes to merged codes.
    static func merge(_ dictionaries: [[String]]) -> (merged: [String], remaps: [[Int32]]) {
        guard dictionaries.count > 1 else { return (dictionaries.first ?? [], [Array(0..<Int32(dictionaries.first?.count ?? 0))]) }
        var merged: [String] = []
        var lookup: [String: Int32] = [:]
        var remaps: [[Int32]] = []
        for d in dictionaries {
            var map: [Int32] = []
            map.reserveCapacity(d.count)
            for s in d {
                if let c = lookup[s] { map.append(c) } else {
                    let c = Int32(merged.count)
                    merged.append(s)
                    lookup[s] = c
                    map.append(c)
                }
            }
            remaps.append(map)
        }
        return (merged, remaps)
    }

    /// Rank of each entry in sorted order (equal strings share a rank).
    static func ranks(_ dictionary: [String]) -> [Int64] {
        let order = dictionary.indices.sorted { dictionary[$0] < dictionary[$1] }
        var ranks = Array(repeating: Int64(0), count: dictionary.count)
        var rank: Int64 = 0
        for (k, i) in order.enumerated() {
            if k > 0, dictionary[order[k - 1]] != dictionary[i] { rank += 1 }
            ranks[i] = rank
        }
        return ranks
    }

    /// Applies a string function to each dictionary entry once, keeping codes.
    static func mapEntries(_ c: Column, _ f: (String) -> String) -> Column {
        let mapped = c.dictionary.map(f)
        let (merged, remaps) = merge([mapped])
        let remap = remaps[0]
        if merged.count == mapped.count { return Column(codes: c.codes, dictionary: merged, validity: c.validity) }
        return Column(codes: c.codes.map { remap[Int($0)] }, dictionary: merged, validity: c.validity)
    }

    /// Applies a function from string to a typed value per dictionary entry, then spreads it over rows.
    static func mapToInts(_ c: Column, type: DataType, _ f: (String) -> Int64?) -> Column {
        let perEntry = c.dictionary.map(f)
        var valid = c.validity ?? Bitmap(count: c.count, value: true)
        var out = [Int64](repeating: 0, count: c.count)
        var anyNull = c.validity != nil
        for i in 0..<c.count {
            if let v = perEntry[Int(c.codes[i])] { out[i] = v } else { valid[i] = false; anyNull = true }
        }
        return Column(ints: out, type: type, validity: anyNull ? valid : nil)
    }

    /// A string column built from per-row strings.
    static func build(_ strings: [String?]) -> Column {
        var b = ColumnBuilder(type: .string, capacity: strings.count)
        for s in strings { if let s { b.append(string: s) } else { b.appendNull() } }
        return b.finish()
    }
}
