import Foundation
import GRPCCore

/// A gRPC failure as Tally reports it: Spark's message (its error class and text, without the plan it appends), and
/// whether the server was out of reach.
struct RPCErrorText: Error {
    let text: String
    let lostConnection: Bool

    init?(_ error: Error) {
        guard let rpc = error as? RPCError else { return nil }
        lostConnection = rpc.code == .unavailable
        // Spark appends its logical plan after the message's first line; the message alone says what is wrong.
        let lines = rpc.message.split(separator: "\n", omittingEmptySubsequences: true)
        var text = lines.first.map(String.init) ?? "\(rpc.code)"
        if rpc.code == .cancelled || text.contains("OPERATION_CANCELED") { text = "the statement was interrupted" }
        // gRPC sometimes puts its channel's state before the reason ("Channel is in a transient failure state and …").
        if lostConnection, let reason = text.range(of: "Could not establish a connection") { text = String(text[reason.lowerBound...]) }
        self.text = text.trimmingCharacters(in: CharacterSet(charactersIn: "; "))
    }

    /// The 1-based character position in `sql` of Spark's `line L pos P` (or `(line L, pos P)`), P counted from 0.
    func position(in sql: String) -> Int? {
        guard let pattern = try? Regex("line ([0-9]+),? pos ([0-9]+)"), let match = text.firstMatch(of: pattern),
              let line = match.output[1].substring.flatMap({ Int($0) }), let column = match.output[2].substring.flatMap({ Int($0) }),
              line >= 1 else { return nil }
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return nil }
        let before = lines[..<(line - 1)].reduce(0) { $0 + $1.count + 1 }
        return before + min(column, lines[line - 1].count) + 1
    }
}
