import Foundation

/// The sales process in the demo data: opportunities, the stages they entered, and the follow-up work on them.
/// Drawn from a random stream of its own, so the older tables are the same bytes as before these existed.
extension DemoData {
    /// The stages a deal moves through, in order; `lost` can follow any open stage.
    public static let pipelineStages = ["lead", "qualified", "proposal", "negotiation", "won"]
    /// The chance of moving on from each stage, before rep and source factors.
    static let stageConversion = [0.66, 0.7, 0.64, 0.72]
    /// Mean days spent in each stage before moving on (or being lost).
    static let stageDays = [9.0, 14.0, 18.0, 12.0]
    /// Per source (as `customerChannels`): conversion factor, duration factor, chance of entering at `qualified`.
    static let sourceProfiles: [String: (conversion: Double, duration: Double, skipLead: Double)] = [
        "web": (0.95, 1.0, 0.05), "referral": (1.12, 0.8, 0.45), "event": (1.0, 1.15, 0.1), "partner": (1.06, 0.9, 0.25), "cold_call": (0.82, 1.3, 0.0),
    ]
    static let activityKinds = ["call", "email", "visit", "meeting"]
    static let activityMinutes: [ClosedRange<Int>] = [5...30, 2...10, 30...120, 20...90]

    /// `opportunities`, `stage_changes`, `activities` and `trainings` for about `count` opportunities.
    static func makePipeline(count: Int, customers: Customers, reps: [Rep], products: [Product]) -> [(String, Table)] {
        var rng = SplitMix64(seed: 20_260_412)
        var detailRNG = SplitMix64(seed: 20_261_208)
        let trainings = makeTrainings(reps: reps)
        let effect = TrainingEffect(trainings, repCount: reps.count)
        let channels = customers.table.column("channel")!
        // Each rep converts and moves at a pace of their own, and is busier or quieter with follow-up.
        let repPace = reps.map { rep in (conversion: 0.8 + 0.25 * min(1.2, rep.skill), duration: 0.7 + 0.8 * rng.unit(), busy: 0.6 + rng.unit()) }
        var opp = Builders(["opportunity_id": .int, "customer_id": .int, "rep": .string, "created": .date, "source": .string, "amount": .float,
                            "stage": .string, "closed": .date, "lost_reason": .string, "competitor": .string])
        var change = Builders(["opportunity_id": .int, "stage": .string, "entered": .date])
        var work = Builders(["activity_id": .int, "date": .date, "rep": .string, "customer_id": .int, "opportunity_id": .int, "kind": .string,
                             "minutes": .int])
        var activityID: Int64 = 0
        func activity(_ day: Int64, rep: Int, customer: Int64, opportunity: Int64?, rng: inout SplitMix64) {
            let k = min(3, Int(pow(rng.unit(), 1.5) * 4))
            activityID += 1
            work.append(int: activityID)
            work.append(int: day)
            work.append(string: reps[rep].name)
            work.append(int: customer)
            if let opportunity { work.append(int: opportunity) } else { work.appendNull() }
            work.append(string: activityKinds[k])
            work.append(int: Int64(activityMinutes[k].lowerBound + rng.below(activityMinutes[k].count)))
        }
        for i in 0..<count {
            let id = Int64(i + 1)
            let c = search(customers.cumulativeWeight, rng.unit() * customers.cumulativeWeight.last!)
            let customer = Int64(c + 1)
            let r = rng.below(reps.count)
            let source = channels.dictionary[Int(channels.codes[c])]
            let profile = sourceProfiles[source] ?? (1, 1, 0)
            let created = max(customers.signup[c], startDay) + Int64(rng.below(Int(endDay - max(customers.signup[c], startDay)) + 1))
            let product = products[rng.below(products.count)]
            let amount = (Double(1 + Int(pow(rng.unit(), 2.2) * 12)) * Double(product.priceCents) * (0.8 + 0.4 * rng.unit())).rounded() / 100
            var stage = rng.unit() < profile.skipLead ? 1 : 0
            var day = created
            var path = [(stage, day)]
            var closed: Int64?
            var final = pipelineStages[stage]
            // A deal a course keeps alive (one it would have lost) goes on drawing from a stream of its own.
            var lift: SplitMix64?
            var pathBeforeLift: Int?, closedBeforeLift: Int64?
            func draw() -> Double {
                guard var own = lift else { return rng.unit() }
                defer { lift = own }
                return own.unit()
            }
            while stage < 4 {
                let mean = stageDays[stage] * repPace[r].duration * profile.duration
                let next = day + Int64(1 + (-log(1 - draw()) * mean).rounded())
                if next > endDay { break }
                let p = min(0.95, stageConversion[stage] * repPace[r].conversion * profile.conversion)
                let trained = stage >= 2 ? min(0.95, p * effect.conversion(rep: r, on: day)) : p
                let u = draw()
                if u >= trained {
                    final = "lost"
                    closed = next
                    break
                }
                if u >= p, lift == nil {
                    lift = SplitMix64(seed: 0x7EA1_5EED ^ UInt64(id))
                    pathBeforeLift = path.count
                    closedBeforeLift = next
                }
                // Now and then a deal jumps a stage (never straight to `won`).
                stage += stage < 2 && draw() < 0.08 ? 2 : 1
                day = next
                path.append((stage, day))
                final = pipelineStages[stage]
                if stage == 4 { closed = day }
            }
            opp.append(int: id)
            opp.append(int: customer)
            opp.append(string: reps[r].name)
            opp.append(int: created)
            opp.append(string: source)
            opp.append(float: amount)
            opp.append(string: final)
            if let closed { opp.append(int: closed) } else { opp.appendNull() }
            let details = lossDetails(final: final, source: source, rep: r, closed: closed, rng: &detailRNG)
            if let reason = details.reason { opp.append(string: reason) } else { opp.appendNull() }
            if let competitor = details.competitor { opp.append(string: competitor) } else { opp.appendNull() }
            for (s, d) in path {
                change.append(int: id)
                change.append(string: pipelineStages[s])
                change.append(int: d)
            }
            if final == "lost", let closed {
                change.append(int: id)
                change.append(string: "lost")
                change.append(int: closed)
            }
            // Follow-up on the deal: more for bigger deals, busier reps and longer deals (counted as if no course had kept the deal alive).
            let end = closedBeforeLift ?? closed ?? min(endDay, day + 30)
            let touches = Int(Double(1 + (pathBeforeLift ?? path.count)) * repPace[r].busy * (1 + log10(max(10, amount)) / 4) / 2)
            for _ in 0..<touches { activity(created + Int64(rng.below(Int(end - created) + 1)), rep: r, customer: customer, opportunity: id, rng: &rng) }
        }
        // Account care without a deal; a fifth of the customers get none after a date of their own.
        let careCount = count / 2
        for _ in 0..<careCount {
            let c = search(customers.cumulativeWeight, rng.unit() * customers.cumulativeWeight.last!)
            let first = max(customers.signup[c], startDay)
            let day = first + Int64(rng.below(Int(endDay - first) + 1))
            let quietFrom = endDay - Int64((c * 7919) % 300)
            if c % 5 == 0, day > quietFrom { continue }
            activity(day, rep: (c * 31) % reps.count, customer: Int64(c + 1), opportunity: nil, rng: &rng)
        }
        return [("opportunities", opp.table), ("stage_changes", change.table), ("activities", sortedByDate(work.table)),
                ("trainings", trainingsTable(trainings, reps: reps))]
    }

    /// Activities in date order, numbered in that order.
    static func sortedByDate(_ t: Table) -> Table {
        let days = t.columns[1].ints
        let order = days.indices.sorted { days[$0] != days[$1] ? days[$0] < days[$1] : $0 < $1 }.map(Int32.init)
        var out = t.gather(order)
        out.columns[0] = Column(ints: (1...Int64(max(1, out.rowCount))).prefix(out.rowCount).map { $0 })
        return out
    }

    /// Column builders filled row by row, in the order their names are listed.
    struct Builders {
        let names: [String]
        var builders: [ColumnBuilder]
        var next = 0

        init(_ columns: KeyValuePairs<String, DataType>) {
            names = columns.map(\.key)
            builders = columns.map { ColumnBuilder(type: $0.value) }
        }

        mutating func advance() { next = (next + 1) % builders.count }
        mutating func append(int v: Int64) { builders[next].append(int: v); advance() }
        mutating func append(float v: Double) { builders[next].append(float: v); advance() }
        mutating func append(string v: String) { builders[next].append(string: v); advance() }
        mutating func appendNull() { builders[next].appendNull(); advance() }

        var table: Table { Table(names: names, columns: builders.map { $0.finish() }) }
    }
}
