/// How `goal` compares its measure with the target.
public enum GoalComparison: String, Sendable {
    /// `goal AGG = TARGET`: the value of the varied name where the measure equals the target.
    case equal = "="
    /// `goal AGG >= TARGET` ("at least"): a group already at or above the target needs no change; the others, the value
    /// where the measure reaches it.
    case atLeast = ">="
}
