import TallyCore
import TallyLang

extension Executor {
    /// Retention per cohort of first activity: cohort, size, then the share active p0, p1, … periods later.
    func cohort(key: Int, date: Int, per kind: PeriodKind, _ t: Table) -> Table {
        let k = t.columns[key], d = t.columns[date]
        let groups = Grouping(keys: [k], rowCount: t.rowCount)
        var firstDay = [Int64](repeating: .max, count: groups.count)
        var maxDay = Int64.min
        // Asked to stop, the loops end early: what they leave is consistent, and the result is never shown.
        for i in 0..<t.rowCount where !d.isNull(i) {
            if KernelInterrupt.check(i) { break }
            let g = Int(groups.ids[i])
            firstDay[g] = min(firstDay[g], d.ints[i])
            maxDay = max(maxDay, d.ints[i])
        }
        guard maxDay != .min else { return Table(names: ["cohort", "size"], columns: [Column(ints: [], type: .period), Column(ints: [])], rowCount: 0) }
        let lastPeriod = CivilDate.period(ofDay: maxDay, kind: kind)
        var cohortOf: [Period?] = firstDay.map { $0 == .max ? nil : CivilDate.period(ofDay: $0, kind: kind) }
        var active = Set<JoinKeys.CodePair>()
        for i in 0..<t.rowCount where !d.isNull(i) {
            if KernelInterrupt.check(i) { break }
            let g = Int(groups.ids[i])
            guard let c = cohortOf[g] else { continue }
            let offset = c.distance(to: CivilDate.period(ofDay: d.ints[i], kind: kind))
            active.insert(JoinKeys.CodePair(a: Int64(g), b: offset))
        }
        let cohorts = Array(Set(cohortOf.compactMap { $0 })).sorted()
        let width = cohorts.map { $0.distance(to: lastPeriod) }.max().map { Int($0) + 1 } ?? 0
        var size = [Int64](repeating: 0, count: cohorts.count)
        var counts = [[Double]](repeating: [Double](repeating: 0, count: width), count: cohorts.count)
        let index = Dictionary(uniqueKeysWithValues: cohorts.enumerated().map { ($1, $0) })
        for g in 0..<groups.count { if let c = cohortOf[g] { size[index[c]!] += 1 } }
        for pair in active {
            let c = index[cohortOf[Int(pair.a)]!]!
            counts[c][Int(pair.b)] += 1
        }
        cohortOf.removeAll()
        var names = ["cohort", "size"]
        var columns = [Column(ints: cohorts.map(\.encoded), type: .period), Column(ints: size)]
        for p in 0..<width {
            names.append("p\(p)")
            let values = cohorts.indices.map { counts[$0][p] / Double(size[$0]) }
            let beyond = cohorts.map { Int($0.distance(to: lastPeriod)) < p }
            columns.append(Column(floats: values).nulling(where: beyond).percent())
        }
        return Table(names: names, columns: columns, rowCount: cohorts.count)
    }
}
