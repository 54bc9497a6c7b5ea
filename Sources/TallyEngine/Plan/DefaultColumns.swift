/// The columns a verb reads when its stage names none: the demo data's names (docs/data.md), which tables of the same
/// shape share. Declared here once; each verb's syntax line in `.help` shows the clause that overrides it.
enum DefaultColumns {
    /// The customer a sale belongs to (`rfm`, `cohort`).
    static let customer = "customer_id"
    /// The day of a sale (`rfm`, `cohort`).
    static let saleDate = "date"
    /// The value of a sale (`rfm`).
    static let amount = "amount"
    /// The opportunity a stage change belongs to (`funnel`).
    static let opportunity = "opportunity_id"
    /// The day an opportunity entered a stage (`funnel`).
    static let enteredStage = "entered"
}
