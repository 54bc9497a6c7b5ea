import TallyCore

extension Session {
    /// The connected database's own plan (`EXPLAIN`) of the one statement a plan runs as: where filters reach the scan,
    /// which partitions and indexes are read. Nil when the plan reads no table of the database, or needs Tally's own verbs.
    public func serverPlan(of plan: LogicalPlan) throws -> String? {
        guard let backend, RemoteRunner.readsRemote(plan, catalog), !RemoteRunner.needsTally(plan),
              RemoteRunner.heldInTally(plan, catalog) == nil else { return nil }
        let sql = try SQLScript(session: self, dialect: backend.dialect).sql(of: plan)
        let rows = try backend.query("EXPLAIN " + sql, names: ["plan"], types: [.string], maxRows: 100_000)
        return (0..<rows.rowCount).map { rows.columns[0].value(at: $0).text }.joined(separator: "\n")
    }
}
