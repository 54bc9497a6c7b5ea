import Dispatch
import Synchronization
import TallyCore
import TallyLang

extension Executor {
    /// A hash join building on the right side: the left columns, then the right columns listed in `rightColumns`.
    func join(_ kind: JoinKind, _ left: Table, _ right: Table, keys: [(left: BoundExpr, right: BoundExpr)], rightColumns: [Int],
              names: [String], _ plan: LogicalPlan) throws -> Table {
        let leftEv = evaluator(left), rightEv = evaluator(right)
        let leftKeys = try keys.map { try leftEv.evaluate($0.left) }
        let rightKeys = try keys.map { try rightEv.evaluate($0.right) }
        let (lcodes, rcodes) = JoinKeys.codes(leftKeys, rightKeys)
        let index = HashIndex(rcodes)
        if kind.keepsUnmatchedRight {
            return try outerJoin(kind, left, right, lcodes, index, keys: keys, rightColumns: rightColumns, names: names, plan)
        }
        if kind == .inner || kind == .left, index.hasDuplicates {
            // The output's size is known before a row of it exists: refuse a join that would outgrow the budget.
            try budget.check(rows: index.matches(lcodes, keepingUnmatched: kind == .left), types: plan.schema.types, what: "this join", at: plan.range,
                               advice: "check the keys (a key shared by many rows on both sides multiplies them) or filter first")
        }
        if !index.hasDuplicates, kind == .inner || kind == .left {
            return try uniqueKeyJoin(kind, left, right, lcodes, index, rightColumns: rightColumns, names: names)
        }
        let (leftRows, rightRows) = try probe(lcodes, index, kind)
        if MemoryWatch.isOver(adding: Int(MemoryBudget.size(rows: leftRows.count, types: plan.schema.types))) { throw Cancelled() }
        var out = left.gather(leftRows)
        if kind == .semi || kind == .anti { return out }
        for j in rightColumns { out.columns.append(right.columns[j].gather(rightRows)) }
        out.names = names
        return out
    }

    /// How many rows a join makes, counted per key without making them: `join … | count` needs no joined table.
    func joinCount(_ kind: JoinKind, _ left: Table, _ right: Table, keys: [(left: BoundExpr, right: BoundExpr)]) throws -> Int {
        let leftEv = evaluator(left), rightEv = evaluator(right)
        let (lcodes, rcodes) = JoinKeys.codes(try keys.map { try leftEv.evaluate($0.left) }, try keys.map { try rightEv.evaluate($0.right) })
        let index = HashIndex(rcodes)
        switch kind {
        case .inner, .left: return index.matches(lcodes, keepingUnmatched: kind == .left)
        case .right, .full:
            let leftIndex = HashIndex(lcodes)
            let unmatchedRight = rcodes.reduce(0) { $0 + ($1 == KeyCodes.nullCode || leftIndex.first($1) < 0 ? 1 : 0) }
            return index.matches(lcodes, keepingUnmatched: kind == .full) + unmatchedRight
        case .semi, .anti:
            let matched = lcodes.reduce(0) { $0 + ($1 != KeyCodes.nullCode && index.first($1) >= 0 ? 1 : 0) }
            return kind == .semi ? matched : lcodes.count - matched
        }
    }

    /// Matches every left row against the index, in row order: the pairs (left row, right row), with
    /// right row -1 for an unmatched row of a left or full join. Large inputs are split across the cores.
    func probe(_ codes: [Int64], _ index: HashIndex, _ kind: JoinKind) throws -> ([Int32], [Int32]) {
        let parts = codes.count >= 1 << 20 ? 2 : 1
        var results = [([Int32], [Int32])](repeating: ([], []), count: parts)
        var cancelled = false
        codes.withUnsafeBufferPointer { codes in
            index.next.withUnsafeBufferPointer { next in
                results.withUnsafeMutableBufferPointer { out in
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let range = (codes.count * part / parts)..<(codes.count * (part + 1) / parts)
                        var leftRows: [Int32] = [], rightRows: [Int32] = []
                        leftRows.reserveCapacity(range.count)
                        if kind.addsColumns { rightRows.reserveCapacity(range.count) }
                        // Polled every 65,536 left rows and every million pairs made (one row may match millions).
                        var nextPoll = 1 << 20
                        for i in range {
                            if i & 0xFFFF == 0 || leftRows.count >= nextPoll {
                                if isCancelled() { cancelled = true; return }
                                nextPoll = leftRows.count + 1 << 20
                            }
                            let code = codes[i]
                            var r = code == KeyCodes.nullCode ? -1 : index.first(code)
                            switch kind {
                            case .semi: if r >= 0 { leftRows.append(Int32(i)) }
                            case .anti: if r < 0 { leftRows.append(Int32(i)) }
                            case .inner, .left, .right, .full:
                                if r < 0, kind.keepsUnmatchedLeft { leftRows.append(Int32(i)); rightRows.append(-1) }
                                while r >= 0 {
                                    leftRows.append(Int32(i))
                                    rightRows.append(Int32(r))
                                    r = next[r]
                                }
                            }
                        }
                        out[part] = (leftRows, rightRows)
                    }
                }
            }
        }
        if cancelled { throw Cancelled() }
        if parts == 1 { return results[0] }
        // Joining the halves copies the pairs once more.
        if MemoryWatch.isOver(adding: 4 * (results[0].0.count + results[1].0.count + results[0].1.count + results[1].1.count)) { throw Cancelled() }
        return (results[0].0 + results[1].0, results[0].1 + results[1].1)
    }

    /// An inner or left join whose right keys are unique (a fact table joined to a dimension): each left row matches
    /// at most one right row, so the output keeps the left rows in order and the left columns need no copy unless an
    /// inner join drops rows; only the right columns are gathered. The probe is split across the cores.
    func uniqueKeyJoin(_ kind: JoinKind, _ left: Table, _ right: Table, _ codes: [Int64], _ index: HashIndex, rightColumns: [Int],
                       names: [String]) throws -> Table {
        var rightRows = [Int32](repeating: -1, count: codes.count)
        let parts = codes.count >= 1 << 20 ? 2 : 1
        let cancelled = Atomic<Bool>(false)
        codes.withUnsafeBufferPointer { codes in
            rightRows.withUnsafeMutableBufferPointer { out in
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    for i in (codes.count * part / parts)..<(codes.count * (part + 1) / parts) {
                        if i & 0xFFFF == 0, isCancelled() { cancelled.store(true, ordering: .relaxed); return }
                        out[i] = codes[i] == KeyCodes.nullCode ? -1 : Int32(index.first(codes[i]))
                    }
                }
            }
        }
        if cancelled.load(ordering: .relaxed) { throw Cancelled() }
        var out = left, matched = rightRows
        if kind == .inner, rightRows.contains(-1) {
            let kept = rightRows.indices.filter { rightRows[$0] >= 0 }.map { Int32($0) }
            out = left.gather(kept)
            matched = kept.map { rightRows[Int($0)] }
        }
        for j in rightColumns { out.columns.append(right.columns[j].gather(matched)) }
        out.names = names
        return out
    }

    /// The left rows, then the right rows with their columns in the left's order.
    /// Asked to stop between columns, it returns no rows (a valid table that is never shown).
    func union(_ left: Table, _ right: Table, mapping: [Int], names: [String]) -> Table {
        var columns: [Column] = []
        for (i, j) in mapping.enumerated() {
            if KernelInterrupt.isRequested() { return Table(names: names, columns: names.map { _ in Column(nulls: 0, type: .null) }, rowCount: 0) }
            columns.append(Concatenate.columns(left.columns[i], right.columns[j]))
        }
        return Table(names: names, columns: columns, rowCount: left.rowCount + right.rowCount)
    }
}

/// Join keys of both sides mapped into one integer code space.
enum JoinKeys {
    struct CodePair: Hashable {
        let a: Int64
        let b: Int64
    }

    /// One code per row on each side; equal codes mean equal keys; null keys never match.
    static func codes(_ left: [Column], _ right: [Column]) -> ([Int64], [Int64]) {
        var (lcodes, rcodes) = pairCodes(left[0], right[0])
        for k in 1..<max(1, left.count) {
            let (lc, rc) = pairCodes(left[k], right[k])
            var ids: [CodePair: Int64] = [:]
            func fold(_ acc: inout [Int64], _ codes: [Int64]) {
                for i in 0..<acc.count {
                    if acc[i] == KeyCodes.nullCode || codes[i] == KeyCodes.nullCode { acc[i] = KeyCodes.nullCode; continue }
                    let pair = CodePair(a: acc[i], b: codes[i])
                    if let v = ids[pair] { acc[i] = v } else {
                        let v = Int64(ids.count)
                        ids[pair] = v
                        acc[i] = v
                    }
                }
            }
            fold(&lcodes, lc)
            fold(&rcodes, rc)
        }
        return (lcodes, rcodes)
    }

    static func pairCodes(_ l: Column, _ r: Column) -> ([Int64], [Int64]) {
        if l.type == .string || r.type == .string {
            let (_, remaps) = Dictionaries.merge([l.dictionary, r.dictionary])
            var lc = l.codes.map { Int64(remaps[0][Int($0)]) }
            var rc = r.codes.map { Int64(remaps[1][Int($0)]) }
            for i in 0..<l.count where l.isNull(i) { lc[i] = KeyCodes.nullCode }
            for i in 0..<r.count where r.isNull(i) { rc[i] = KeyCodes.nullCode }
            return (lc, rc)
        }
        if l.type == .float || r.type == .float { return (KeyCodes.of(l.coerced(to: .float)), KeyCodes.of(r.coerced(to: .float))) }
        return (KeyCodes.of(l), KeyCodes.of(r))
    }
}

/// Chained index from key code to rows (`first` then `next`), in row order: a direct array when
/// the codes span a small range, a hash map otherwise.
struct HashIndex {
    private var heads: [Int64: Int] = [:]
    private var direct: [Int32] = []
    private var low: Int64 = 0
    private(set) var next: [Int]
    /// Whether some key has several rows (only then can a join's output outgrow its left input).
    private(set) var hasDuplicates = false

    init(_ codes: [Int64]) {
        next = [Int](repeating: -1, count: codes.count)
        var lo = Int64.max, hi = Int64.min
        for c in codes where c != KeyCodes.nullCode { lo = min(lo, c); hi = max(hi, c) }
        if lo <= hi, hi &- lo >= 0, hi &- lo < Int64(max(1 << 16, codes.count * 4)) {
            low = lo
            direct = [Int32](repeating: -1, count: Int(hi - lo) + 1)
            for i in stride(from: codes.count - 1, through: 0, by: -1) where codes[i] != KeyCodes.nullCode {
                let slot = Int(codes[i] - lo)
                next[i] = Int(direct[slot])
                if next[i] >= 0 { hasDuplicates = true }
                direct[slot] = Int32(i)
            }
            return
        }
        heads.reserveCapacity(codes.count)
        for i in stride(from: codes.count - 1, through: 0, by: -1) where codes[i] != KeyCodes.nullCode {
            if let h = heads[codes[i]] { next[i] = h; hasDuplicates = true }
            heads[codes[i]] = i
        }
    }

    /// How many (left, right) pairs the join of `codes` against this index makes (unmatched left rows count once when kept).
    func matches(_ codes: [Int64], keepingUnmatched: Bool) -> Int {
        var sizes: [Int: Int] = [:]
        var total = 0
        for code in codes {
            let head = code == KeyCodes.nullCode ? -1 : first(code)
            guard head >= 0 else { if keepingUnmatched { total += 1 }; continue }
            if let n = sizes[head] { total &+= n; continue }
            var n = 0, r = head
            while r >= 0 { n += 1; r = next[r] }
            sizes[head] = n
            total &+= n
        }
        return total
    }

    @inline(__always)
    func first(_ code: Int64) -> Int {
        if !direct.isEmpty {
            let slot = code &- low
            return slot >= 0 && slot < Int64(direct.count) ? Int(direct[Int(slot)]) : -1
        }
        return heads[code] ?? -1
    }
}

/// Appending columns of compatible types.
enum Concatenate {
    static func columns(_ a: Column, _ b: Column) -> Column {
        let type = DataType.unify(a.type, b.type) ?? a.type
        let x = a.coerced(to: type), y = b.coerced(to: type)
        var validity: Bitmap? = nil
        if x.validity != nil || y.validity != nil {
            var v = Bitmap(count: 0, value: true)
            for i in 0..<x.count { v.append(!x.isNull(i)) }
            for i in 0..<y.count { v.append(!y.isNull(i)) }
            validity = v
        }
        switch type {
        case .float: return Column(floats: x.floats + y.floats, validity: validity)
        case .string:
            let (merged, remaps) = Dictionaries.merge([x.dictionary, y.dictionary])
            return Column(codes: x.codes.map { remaps[0][Int($0)] } + y.codes.map { remaps[1][Int($0)] }, dictionary: merged, validity: validity)
        case .null: return Column(nulls: x.count + y.count, type: .null)
        default: return Column(ints: x.ints + y.ints, type: type, validity: validity)
        }
    }
}
