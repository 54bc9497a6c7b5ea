import TallyCore
import TallyEngine
import TallyLang

/// A served script's parameters, for its form and for checking what a request gives: each `param NAME = …` with its
/// default (as written and as a value) and the kind of field it wants, then the `$NAME`s it reads without declaring.
/// Values are checked by running the script's own `param` statements with them, so a bad value gets the message the
/// shell gives for it.
public struct ScriptParameters: Sendable {
    /// One parameter of the form.
    public struct Parameter: Sendable, Equatable {
        public let name: String
        /// The default as the script writes it (`2025-11`, `5%`, `40k`); nil for a parameter read but not declared.
        public let defaultText: String?
        public let defaultValue: Value?
        public let field: FieldKind
    }

    /// The form field a parameter gets, from its default's type.
    public enum FieldKind: String, Sendable {
        case month, quarter, year, week, date, integer, number, percent, text, boolean
    }

    public let parameters: [Parameter]
    /// Names the script also takes without declaring them: those of the scripts it runs (`.run NAME`).
    public let alsoTaken: Set<String>
    /// The script's `param` statements, in order, as source and parsed.
    let statements: [(source: SourceText, statement: Statement)]

    /// The parameters of `script`; `alsoTaken` are the names the scripts it runs declare.
    public init(script: String, alsoTaken: Set<String> = []) {
        var statements: [(SourceText, Statement)] = []
        var declared: [String] = []
        var read = Set<String>()
        // Dot-command lines are the shell's, not the language's: each other line block is parsed on its own.
        for block in ScriptParameters.statementBlocks(script) {
            let source = SourceText(name: "<script>", text: block.text, firstLine: block.firstLine)
            read.formUnion(ParameterUses(in: block.text).read)
            for statement in Parser.parse(source).statements {
                guard case .param(let name, _) = statement else { continue }
                statements.append((source, statement))
                if !declared.contains(name.text) { declared.append(name.text) }
            }
        }
        self.statements = statements
        let defaults = ScriptParameters.evaluate(statements, overrides: [:]).defaults
        var parameters: [Parameter] = []
        for name in declared {
            let written = statements.last { if case .param(let n, _) = $0.1 { n.text == name } else { false } }
            var text: String?
            if let (source, statement) = written, case .param(_, let e) = statement {
                text = source.slice(e.range).trimmingCharacters(in: .whitespaces)
            }
            let value = defaults[name]
            parameters.append(Parameter(name: name, defaultText: text, defaultValue: value, field: ScriptParameters.field(value, written: text)))
        }
        for name in read.subtracting(declared).sorted() {
            parameters.append(Parameter(name: name, defaultText: nil, defaultValue: nil, field: .text))
        }
        self.parameters = parameters
        self.alsoTaken = alsoTaken.subtracting(declared)
    }

    /// The values a request gives, made the types of their defaults, and for each that does not fit (or that the script
    /// does not take) the message the shell would give. An empty value means the default. Names starting with `_` are
    /// the server's own (`_table`), not parameters.
    public func values(from given: [QueryString.Pair]) -> (values: [String: Value], problems: [String: String]) {
        var overrides: [String: Value] = [:]
        var problems: [String: String] = [:]
        let known = Set(parameters.map(\.name)).union(alsoTaken)
        for pair in given where !pair.name.hasPrefix("_") {
            guard known.contains(pair.name) else {
                let takes = known.isEmpty ? "it takes no parameters" : "it takes: " + known.sorted().joined(separator: ", ")
                problems[pair.name] = "unknown parameter `\(pair.name)`; \(takes)"
                continue
            }
            if pair.value.isEmpty { continue }
            overrides[pair.name] = Session.parameterValue(pair.value)
        }
        let (values, refused) = ScriptParameters.evaluate(statements, overrides: overrides)
        problems.merge(refused) { first, _ in first }
        return (overrides.keys.reduce(into: [:]) { $0[$1] = values[$1] ?? overrides[$1] }, problems)
    }

    /// Runs the `param` statements with `overrides` on a session of no tables: the defaults they set, the overrides made
    /// their types, and the message for each override refused.
    static func evaluate(_ statements: [(source: SourceText, statement: Statement)], overrides: [String: Value])
        -> (defaults: [String: Value], problems: [String: String]) {
        let session = Session(catalog: Catalog())
        session.paramOverrides = overrides
        var problems: [String: String] = [:]
        for (_, statement) in statements {
            guard case .param(let name, _) = statement else { continue }
            do {
                _ = try session.execute(statement)
            } catch let d as Diagnostic {
                if overrides[name.text] != nil {
                    problems[name.text] = ([d.message] + d.hints.map { "hint: " + $0 }).joined(separator: "; ")
                    session.paramOverrides[name.text] = nil
                    _ = try? session.execute(statement)
                }
            } catch {
                problems[name.text] = "\(error)"
            }
        }
        return (session.params, problems)
    }

    /// The field for a default: a month picker for a month, a date picker for a date, a number for a number.
    static func field(_ value: Value?, written: String?) -> FieldKind {
        switch value {
        case .period(let p)?:
            switch p.kind {
            case .month: return .month
            case .quarter: return .quarter
            case .year: return .year
            case .week: return .week
            }
        case .date?: return .date
        case .int?: return written?.hasSuffix("%") ?? false ? .percent : .integer
        case .float?: return written?.hasSuffix("%") ?? false ? .percent : .number
        case .bool?: return .boolean
        default: return .text
        }
    }

    /// The script's text between dot-command lines, each block with the line it starts on.
    static func statementBlocks(_ script: String) -> [(text: String, firstLine: Int)] {
        var blocks: [(String, Int)] = []
        var current: [String] = []
        var start = 1
        for (i, line) in script.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("."), !trimmed.hasPrefix(".."), current.isEmpty || !Lexer.lineContinues(current.joined(separator: "\n")) {
                if !current.isEmpty { blocks.append((current.joined(separator: "\n"), start)) }
                current = []
                start = i + 2
                continue
            }
            current.append(String(line))
        }
        if !current.isEmpty { blocks.append((current.joined(separator: "\n"), start)) }
        return blocks
    }
}
