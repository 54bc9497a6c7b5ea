import Foundation

/// The training pillar of the demo data: the courses reps attend, and what each course does to the deals that follow.
/// Drawn from a random stream of its own; a course's lift changes only the deals it touches, so every other row of the
/// pipeline is the same bytes as before trainings existed.
extension DemoData {
    /// A course, and what it does to an attendee's later deals: `negotiation` lifts the chance of moving on from
    /// proposal and negotiation; the other three change nothing a before/after comparison could find.
    struct Course {
        let name: String
        /// The lift of conversion at proposal and negotiation at a score of 100 (scaled by score/100).
        let conversionLift: Double
    }

    static let courses = [
        Course(name: "product fundamentals", conversionLift: 0),
        Course(name: "negotiation", conversionLift: 0.3),
        Course(name: "CRM essentials", conversionLift: 0),
        Course(name: "value selling", conversionLift: 0),
    ]

    /// One rep's attendance: the course, the day, the score (0–100).
    struct Attendance { let rep: Int; let course: Int; let day: Int64; let score: Int64 }

    /// Who attended what, and when: each rep takes each course with a chance of about one half, on a day between
    /// March 2023 and September 2025.
    static func makeTrainings(reps: [Rep]) -> [Attendance] {
        var rng = SplitMix64(seed: 20_261_207)
        let first = CivilDate.days(year: 2023, month: 3, day: 1), last = CivilDate.days(year: 2025, month: 9, day: 30)
        var out: [Attendance] = []
        for r in reps.indices {
            for c in courses.indices where rng.unit() < 0.55 {
                let day = first + Int64(rng.below(Int(last - first) + 1))
                let score = Int64(min(100, max(0, (45 + 55 * rng.unit() * (0.6 + 0.4 * min(1.2, reps[r].skill))).rounded())))
                out.append(Attendance(rep: r, course: c, day: day, score: score))
            }
        }
        return out.sorted { ($0.day, $0.rep, $0.course) < ($1.day, $1.rep, $1.course) }
    }

    /// The table of attendances, in date order.
    static func trainingsTable(_ trainings: [Attendance], reps: [Rep]) -> Table {
        var t = Builders(["rep": .string, "course": .string, "date": .date, "score": .int])
        for a in trainings {
            t.append(string: reps[a.rep].name)
            t.append(string: courses[a.course].name)
            t.append(int: a.day)
            t.append(int: a.score)
        }
        return t.table
    }

    /// The factor a rep's completed courses put on a deal's conversion at proposal and later, on `day`.
    struct TrainingEffect {
        let byRep: [[Attendance]]

        init(_ trainings: [Attendance], repCount: Int) {
            var byRep = [[Attendance]](repeating: [], count: repCount)
            for a in trainings { byRep[a.rep].append(a) }
            self.byRep = byRep
        }

        func conversion(rep: Int, on day: Int64) -> Double {
            byRep[rep].filter { $0.day < day }.reduce(1) { $0 * (1 + courses[$1.course].conversionLift * Double($1.score) / 100) }
        }
    }
}
