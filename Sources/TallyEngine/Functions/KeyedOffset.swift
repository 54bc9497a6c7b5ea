import TallyCore

/// `lag(x, n, key)` / `lead(x, n, key)`: x from the row whose key is n periods (days, for a date key) earlier or later
/// in the same partition, matched by value rather than by position, so a missing month never shifts a year-on-year
/// comparison. Null where no row has that key.
enum KeyedOffset {
    /// Where a key value stands on its own calendar: months, quarters and years by their index, weeks and days by
    /// their day number (a week by its Monday's), so consecutive periods are one step apart.
    static func step(_ key: Column, _ row: Int) -> (kind: Int64, step: Int64) {
        guard key.type == .period else { return (-1, key.ints[row]) }
        let p = Period(encoded: key.ints[row])
        return p.kind == .week ? (p.kind.rawValue, floorDiv(p.startDay - 4, 7)) : (p.kind.rawValue, p.index)
    }

    /// The rows each row reads, -1 where none; an error when a key appears twice in one partition.
    static func sources(name: String, key: Column, shift: Int64, partitions: Grouping) throws -> [Int32] {
        struct Slot: Hashable { let partition: Int32, kind: Int64, step: Int64 }
        let slots = (0..<key.count).map { r -> Slot? in
            guard !key.isNull(r) else { return nil }
            let s = step(key, r)
            return Slot(partition: partitions.ids[r], kind: s.kind, step: s.step)
        }
        var rowOf: [Slot: Int32] = [:]
        rowOf.reserveCapacity(key.count)
        for (r, slot) in slots.enumerated() {
            guard let slot else { continue }
            if rowOf.updateValue(Int32(r), forKey: slot) != nil {
                throw KernelError(message: "`\(name)` by key needs one row per key in each group; \(key.value(at: r).text) appears twice",
                                  hints: ["aggregate first: agg revenue = sum(amount) by m = month(date)", "give the groups: \(name)(revenue, 12, m) over rep"])
            }
        }
        return slots.map { slot in
            guard let slot else { return -1 }
            return rowOf[Slot(partition: slot.partition, kind: slot.kind, step: slot.step + shift)] ?? -1
        }
    }

    /// The SQL: the value of a window framed exactly `shift` steps away along the key's step number
    /// (`RANGE BETWEEN n PRECEDING AND n PRECEDING`), null for a null key. A server cannot stop a query with Tally's
    /// error, so where the frame holds several rows (a repeated key) the answer is null rather than any one of them.
    static func sql(_ c: SQLCall, name: String, direction: Int64) throws -> SQLExpr {
        guard case .int(let n)? = c.constants[1], n >= -Int64(Int32.max), n <= Int64(Int32.max) else {
            throw SQLRefusal("its offset is not a constant whole number")
        }
        let key = c.arguments[2]
        let steps = c.argumentTypes[2] == .date ? c.dialect.daysBetween(key, .date(0)) : periodStep(key, c.dialect)
        let window = SQLWindow(partition: c.partition, order: [SQLOrderKey(expr: steps)], frame: .rangeAt(direction * n))
        return .when([(.isNull(key, negated: false), .null),
                      (.binary(.window(.call("count", .star), window), .equal, .integer(1)), .window(.call("first_value", c.arguments[0]), window))])
    }

    /// A period's step number from its text (`2025`, `2025-Q3`, `2025-11`, `2025-W07`), as ``step(_:_:)`` counts.
    static func periodStep(_ text: SQLExpr, _ dialect: any SQLDialect) -> SQLExpr {
        func number(_ from: Int64, _ length: Int64) -> SQLExpr { .cast(.call("substr", text, .integer(from), .integer(length)), .tally(.int)) }
        let year = number(1, 4), marker = SQLExpr.call("substr", text, .integer(6), .integer(1))
        // ISO week 1 is the week holding 4 January.
        let fourth = SQLExpr.call("make_date", .cast(year, .integer), .integer(1), .integer(4))
        let monday = dialect.addDays(fourth, (number(7, 2) - .integer(1)) * .integer(7) - dialect.datePart(.isoWeekday, fourth) + .integer(1))
        return .when([
            (.binary(.call("length", text), .equal, .integer(4)), year),
            (.binary(marker, .equal, .string("Q")), year * .integer(4) + number(7, 1) - .integer(1)),
            (.binary(marker, .equal, .string("W")), dialect.intDivide(dialect.daysBetween(monday, .date(0)) - .integer(4), .integer(7))),
        ], otherwise: year * .integer(12) + number(6, 2) - .integer(1))
    }
}
