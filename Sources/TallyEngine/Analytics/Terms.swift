import TallyCore
import TallyLang

extension Executor {
    /// Per group, each term with the rows whose text contains it and their share of the group's rows, most
    /// frequent first (ties by term), the first `top` of each group when given.
    func terms(_ spec: TermsSpec, names: [String], _ t: Table) throws -> Table {
        let ev = evaluator(t)
        let text = try ev.evaluate(spec.text).coerced(to: .string)
        let groupColumns = try spec.groups.map { try ev.evaluate($0) }
        let groups = Grouping(byKeys: groupColumns, rowCount: t.rowCount)
        let groupCount = groups.count, groupOf = groups.ids
        // Each distinct text is split once.
        var termID: [String: Int] = [:], termText: [String] = []
        let termsOfCode: [[Int]] = text.dictionary.map { entry in
            Words.terms(entry, stop: spec.stop).map { term in
                if let id = termID[term] { return id }
                termID[term] = termText.count
                termText.append(term)
                return termText.count - 1
            }
        }
        var documents = [[Int: Int64]](repeating: [:], count: groupCount)
        var rows = [Int64](repeating: 0, count: groupCount)
        for i in 0..<t.rowCount {
            if i & 0xFFFF == 0, isCancelled() { throw Cancelled() }
            let g = Int(groupOf[i])
            rows[g] += 1
            guard !text.isNull(i) else { continue }
            for id in termsOfCode[Int(text.codes[i])] { documents[g][id, default: 0] += 1 }
        }
        let order = groups.sortedByKeys(groupColumns)
        var keyRows: [Int32] = [], term: [String] = [], count: [Int64] = [], share: [Double] = []
        for g in order.map(Int.init) {
            let ranked = documents[g].sorted { $0.value != $1.value ? $0.value > $1.value : termText[$0.key] < termText[$1.key] }
            for (id, n) in ranked.prefix(spec.top ?? ranked.count) {
                keyRows.append(spec.groups.isEmpty ? 0 : groups.firstRows[g])
                term.append(termText[id])
                count.append(n)
                share.append(Double(n) / Double(rows[g]))
            }
        }
        let columns = groupColumns.map { $0.gather(keyRows) } + [Dictionaries.build(term), Column(ints: count), Column(floats: share).percent()]
        return Table(names: names, columns: columns, rowCount: term.count)
    }
}
