import Foundation
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

    func setTimer(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 1, args[0] == "on" || args[0] == "off" else { return usage(c, ".timer") }
        timer = args[0] == "on"
        return true
    }

    func setMaxRows(_ args: [String], _ c: DotContext) -> Bool {
        guard args.count == 1, let n = Int(args[0]), n >= 0 else { return usage(c, ".maxrows") }
        options.maxRows = n
        return true
    }
}
