import TallyCore
import TallyLang

/// Lines up a baseline and a scenario result by their key columns.
enum Scenario {
    static func compare(base: Table, scenario: Table, keys: Set<String>) -> Table {
        let keyIdx = base.names.indices.filter { keys.contains(base.names[$0]) || !base.columns[$0].type.isNumeric }
        let measureIdx = base.names.indices.filter { !keyIdx.contains($0) }
        func keyText(_ t: Table, _ r: Int) -> String {
            keyIdx.map { k in t.index(of: base.names[k]).map { t.columns[$0].value(at: r).text } ?? "" }.joined(separator: "\u{1F}")
        }
        var scenarioRow: [String: Int] = [:]
        for r in 0..<scenario.rowCount { scenarioRow[keyText(scenario, r)] = r }
        var baseRows: [Int32] = [], whatRows: [Int32] = []
        var seen = Set<String>()
        for r in 0..<base.rowCount {
            let k = keyText(base, r)
            seen.insert(k)
            baseRows.append(Int32(r))
            whatRows.append(Int32(scenarioRow[k] ?? -1))
        }
        var extraScenario: [Int32] = []
        for r in 0..<scenario.rowCount where !seen.contains(keyText(scenario, r)) { extraScenario.append(Int32(r)) }
        var names: [String] = [], columns: [Column] = []
        for i in keyIdx {
            names.append(base.names[i])
            let fromBase = base.columns[i].gather(baseRows)
            let fromScenario = scenario.index(of: base.names[i]).map { scenario.columns[$0].gather(extraScenario) }
                ?? Column(nulls: extraScenario.count, type: base.columns[i].type)
            columns.append(Concatenate.columns(fromBase, fromScenario))
        }
        let allBase = baseRows + extraScenario.map { _ in -1 }
        let allWhat = whatRows + extraScenario
        for i in measureIdx {
            let name = base.names[i]
            let b = base.columns[i].gather(allBase).asFloat()
            guard let j = scenario.index(of: name) else { continue }
            let w = scenario.columns[j].gather(allWhat).asFloat()
            let n = allBase.count
            var delta = [Double](repeating: 0, count: n), pct = delta
            var deltaNull = [Bool](repeating: false, count: n), pctNull = deltaNull
            for r in 0..<n {
                if b.isNull(r) || w.isNull(r) { deltaNull[r] = true; pctNull[r] = true; continue }
                delta[r] = w.floats[r] - b.floats[r]
                if b.floats[r] == 0 { pctNull[r] = true } else { pct[r] = delta[r] / b.floats[r] }
            }
            names += ["\(name)_base", "\(name)_whatif", "\(name)_delta", "\(name)_pct"]
            columns += [b, w, Column(floats: delta).nulling(where: deltaNull), Column(floats: pct).nulling(where: pctNull).percent()]
        }
        return Table(names: names, columns: columns, rowCount: allBase.count)
    }
}
