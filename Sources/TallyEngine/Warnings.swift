import TallyLang

/// Warnings about one statement, gathered while it is planned and run: results that are computed correctly but
/// probably not what was meant (a `whatif` whose setters the measures never read, `nps` of a 1–5 column).
public final class Warnings {
    public private(set) var list: [Diagnostic] = []

    public init() {}

    /// Adds a warning once (a `whatif` runs its pipeline twice).
    func add(_ message: String, at range: SourceRange, hints: [String] = []) {
        let d = Diagnostic(message, at: range, hints: hints, severity: .warning)
        if !list.contains(d) { list.append(d) }
    }
}
