import Foundation
import TallyEngine
import TallyLang

extension Shell {
    func setMode(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 1 else { write("mode: \(mode.rawValue)\n"); return true }
        guard let m = OutputMode.parse(args[0]) else {
            return fail("unknown mode `\(args[0])`", name: c.name, line: c.line, text: c.text,
                        hint: "modes: " + OutputMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        mode = m
        return true
    }

    /// `.pager [on|off]`: results taller than the terminal through `$PAGER` (interactive shell only); bare, the current value.
    func setPager(_ args: [String], _ c: DotContext) -> Bool {
        guard let arg = args.first else { write("pager: \(pager ? "on" : "off") (\(Pager.command))\n"); return true }
        guard args.count == 1, arg == "on" || arg == "off" else { return usage(c, ".pager") }
        pager = arg == "on"
        return true
    }

    /// `.set [memory_limit [SIZE]]`: shows or changes a setting.
    func setSetting(_ args: [String], _ c: DotContext) -> Bool {
        guard let name = args.first else {
            write("memory_limit = \(MemoryBudget.text(session.budget.bytes))\n")
            return true
        }
        guard name == "memory_limit", args.count <= 2 else {
            return fail("unknown setting `\(name)`", name: c.name, line: c.line, text: c.text, hint: "settings: memory_limit")
        }
        guard args.count == 2 else { write("memory_limit = \(MemoryBudget.text(session.budget.bytes))\n"); return true }
        guard let budget = MemoryBudget.parse(args[1]) else {
            return fail("memory_limit takes a size of at least 1MB such as 512MB or 4GB", name: c.name, line: c.line, text: c.text)
        }
        session.budget = budget
        return true
    }

    func setTimer(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 1, args[0] == "on" || args[0] == "off" else { return usage(c, ".timer") }
        timer = args[0] == "on"
        return true
    }

    /// `.maxrows [N|all]`: how many rows a table shows (the first and last halves when there are more); bare, the current value.
    func setMaxRows(_ args: [String], _ c: DotContext) -> Bool {
        setLimit(args, c, name: "maxrows", current: options.maxRows == .max ? nil : options.maxRows, minimum: 0) {
            options.maxRows = $0 ?? .max
        }
    }

    /// `.maxwidth [N|all]`: the widest text cell before it is cut; bare, the current value.
    func setMaxWidth(_ args: [String], _ c: DotContext) -> Bool {
        setLimit(args, c, name: "maxwidth", current: options.maxCellWidth, minimum: 1) { options.maxCellWidth = $0 }
    }

    /// A `.NAME [N|all]` setting: bare, it prints the current value; `all` (nil) lifts the limit; N must be at least `minimum`.
    func setLimit(_ args: [String], _ c: DotContext, name: String, current: Int?, minimum: Int, set: (Int?) -> Void) -> Bool {
        guard let arg = args.first else {
            write("\(name): \(current.map(String.init) ?? "all")\n")
            return true
        }
        guard args.count == 1, arg == "all" || Int(arg).map({ $0 >= minimum }) == true else { return usage(c, "." + name) }
        set(arg == "all" ? nil : Int(arg)!)
        return true
    }
}
