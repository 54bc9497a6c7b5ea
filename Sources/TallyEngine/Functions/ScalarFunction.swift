import TallyCore

/// Why a call's arguments do not fit: which argument and what is wrong.
public struct ArgumentProblem: Error {
    public let index: Int?
    public let message: String

    public init(_ index: Int?, _ message: String) {
        self.index = index
        self.message = message
    }
}

/// A row-wise function: its name, signature, type rule and kernel.
public struct ScalarFunction {
    public let name: String
    public let signature: String
    public let doc: String
    let arity: ClosedRange<Int>
    let resultType: ([DataType]) -> Result<DataType, ArgumentProblem>
    let eval: ([Column], Int) throws -> Column
    /// Whether the kernel takes arguments of the null type itself (`coalesce`, `if`); for every other
    /// function an all-null argument makes the result null without calling the kernel.
    var takesNullType = false
    /// How the function is written in SQL, per dialect; nil where no dialect can run it.
    var sqlSpelling: SQLSpelling?
    /// Whether its values show as a percentage (`pct`).
    var showsAsPercent = false
    /// Whether its values name things (a year), shown with their digits as they are.
    var givesIdentifiers = false
    /// The period of a date it gives (`month(d)`), which SQL groups by the period's first day.
    var periodOfDate: PeriodKind?
    /// The argument that is a list of commission bands (`tiered(x, (0 => 5%, …))`), not an expression.
    var bandsArgument: Int?
}

extension ScalarFunction {
    /// The function with its values marked as identifiers (``givesIdentifiers``).
    func identifying() -> ScalarFunction {
        var f = self
        f.givesIdentifiers = true
        return f
    }
}

/// A registry entry that says how its function is written in SQL.
protocol SQLSpelled {
    var sqlSpelling: SQLSpelling? { get set }
}

extension SQLSpelled {
    /// The same entry, written in SQL by `spelling`.
    func sql(_ spelling: @escaping SQLSpelling) -> Self {
        var f = self
        f.sqlSpelling = spelling
        return f
    }
}

extension ScalarFunction: SQLSpelled, RegistryEntry {}

/// An entry of a function registry, whose optional fields are set where the entry is written.
protocol RegistryEntry {}

extension RegistryEntry {
    /// The same entry with `field` set to `value`.
    func setting<Field>(_ field: WritableKeyPath<Self, Field>, _ value: Field) -> Self {
        var entry = self
        entry[keyPath: field] = value
        return entry
    }
}

/// Argument-type helpers for the registries.
enum Expect {
    static func numeric(_ name: String, _ types: [DataType], _ indices: [Int]) -> ArgumentProblem? {
        for i in indices where i < types.count && !types[i].isNumeric {
            return ArgumentProblem(i, "`\(name)` needs a number, argument \(i + 1) is \(article(types[i]))")
        }
        return nil
    }

    static func type(_ name: String, _ types: [DataType], _ i: Int, _ wanted: DataType...) -> ArgumentProblem? {
        guard i < types.count, types[i] != .null, !wanted.contains(types[i]) else { return nil }
        let w = wanted.map { article($0) }.joined(separator: " or ")
        return ArgumentProblem(i, "`\(name)` needs \(w), argument \(i + 1) is \(article(types[i]))")
    }

    static func article(_ t: DataType) -> String {
        switch t {
        case .int: return "an int"
        case .float: return "a float"
        case .bool: return "a bool"
        case .string: return "a string"
        case .date: return "a date"
        case .period: return "a period"
        case .null: return "null"
        }
    }
}
