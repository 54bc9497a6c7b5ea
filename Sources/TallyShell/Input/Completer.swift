import Foundation
import TallyCore
import TallyEngine
import TallyLang

/// The answer to a Tab: text to insert at the cursor, and the candidates when there are several.
public struct Completion: Equatable {
    public var insert: String
    public var candidates: [String]

    /// Candidates laid out in rows for listing under the prompt.
    static func columns(_ items: [String]) -> String {
        let width = (items.map(DisplayWidth.of).max() ?? 0) + 2
        let perRow = max(1, 80 / max(1, width))
        var rows: [String] = []
        var k = 0
        while k < items.count {
            rows.append(items[k..<min(items.count, k + perRow)].map { DisplayWidth.pad($0, to: width, right: false) }.joined().trimmingCharacters(in: .whitespaces))
            k += perRow
        }
        return rows.joined(separator: "\n")
    }
}

/// Completes what is being typed from where it is: dot-commands, file paths, tables, verbs,
/// parameters after `$`, and the columns that exist at the current pipeline stage.
struct Completer {
    let session: Session
    let dotCommands: [String]
    let queryNames: () -> [String]

    /// `pending` holds earlier lines of a multi-line statement; `line` is the current line up to the cursor.
    func complete(pending: String, line: String) -> Completion {
        let word = String(line.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." && line.hasPrefix(".") && !line.contains(" ") }.reversed())
        if pending.isEmpty, line.hasPrefix(".") {
            if !line.contains(" ") { return finish(word, dotCommands.map { String($0.dropFirst()) }.filter { !$0.isEmpty }, prefixDot: true) }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            let command = String(parts[0])
            let arg = String(line.dropFirst(command.count + 1))
            switch command {
            case ".load", ".read", ".export": return paths(arg)
            case ".schema": return finish(word, session.catalog.names)
            case ".run": return finish(word, queryNames())
            case ".mode": return finish(word, OutputMode.allCases.map(\.rawValue))
            case ".help": return finish(word, dotCommands.map { String($0.dropFirst()) } + Parser.verbs + ["functions", "verbs"])
            case ".timer": return finish(word, ["on", "off"])
            default: return Completion(insert: "", candidates: [])
            }
        }
        if line.dropLast(word.count).hasSuffix("$") {
            return finish(word, Array(session.params.keys), space: false)
        }
        var text = pending.isEmpty ? line : pending + "\n" + line
        if let semi = text.lastIndex(of: ";") { text = String(text[text.index(after: semi)...]) }
        let before = String(text.dropLast(word.count))
        let stageStart = lastPipe(before)
        guard let pipeIndex = stageStart else {
            let trimmed = before.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasSuffix("=") || trimmed.hasSuffix("(") {
                return finish(word, session.catalog.names + ["let", "param"])
            }
            return Completion(insert: "", candidates: [])
        }
        let stage = String(before[before.index(after: pipeIndex)...])
        if stage.trimmingCharacters(in: .whitespaces).isEmpty { return finish(word, Parser.verbs) }
        let stageWords = stage.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if let verb = stageWords.first, verb == "join" || verb == "union", stageWords.count <= 2, !stage.contains(" on ") {
            return finish(word, session.catalog.names + (verb == "join" ? ["inner", "left", "semi", "anti"] : []))
        }
        var pipelineText = String(before[..<pipeIndex])
        if let eq = letPrefix(pipelineText) { pipelineText = String(pipelineText[eq...]) }
        var columns: [String] = []
        let parsed = Parser.parse(SourceText(name: "", text: pipelineText))
        if parsed.diagnostics.isEmpty, case .query(let p)? = parsed.statements.last {
            columns = session.schema(of: p) ?? []
        }
        let keywords = ["by", "and", "or", "not", "in", "desc", "per", "as", "into", "at", "on", "labels", "where", "with", "vary", "next", "target",
                        "steps", "key", "top", "stop"]
        let functions = Array(ScalarFunctions.all.keys) + Array(AggregateFunctions.all.keys) + Array(WindowFunctions.all.keys)
        let columnsFirst = finish(word, columns.map(quoteIfNeeded), space: false)
        if !columnsFirst.candidates.isEmpty || (!columns.isEmpty && columns.contains { $0.hasPrefix(word) }) { return columnsFirst }
        return finish(word, functions + keywords, space: false)
    }

    func quoteIfNeeded(_ name: String) -> String {
        let plain = name.first.map { $0.isLetter || $0 == "_" } ?? false && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return plain ? name : "`\(name)`"
    }

    /// Offset after `let NAME =` when the text starts with it.
    func letPrefix(_ text: String) -> String.Index? {
        let trimmed = text.drop { $0 == " " || $0 == "\n" }
        guard trimmed.hasPrefix("let "), let eq = trimmed.firstIndex(of: "=") else { return nil }
        return text.index(after: eq)
    }

    /// The last `|` outside brackets and strings.
    func lastPipe(_ text: String) -> String.Index? {
        var depth = 0
        var quote: Character? = nil
        var found: String.Index? = nil
        for i in text.indices {
            let c = text[i]
            if let q = quote { if c == q { quote = nil }; continue }
            switch c {
            case "\"", "'", "`": quote = c
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case "|" where depth == 0: found = i
            default: break
            }
        }
        return found
    }

    func finish(_ word: String, _ options: [String], prefixDot: Bool = false, space: Bool = true) -> Completion {
        let bare = prefixDot ? String(word.dropFirst()) : word
        let matches = Array(Set(options.filter { $0.hasPrefix(bare) })).sorted()
        guard let first = matches.first else { return Completion(insert: "", candidates: []) }
        if matches.count == 1 { return Completion(insert: String(first.dropFirst(bare.count)) + (space ? " " : ""), candidates: matches) }
        var common = first
        for m in matches.dropFirst() { while !m.hasPrefix(common) { common.removeLast() } }
        return Completion(insert: String(common.dropFirst(bare.count)), candidates: matches)
    }

    func paths(_ partial: String) -> Completion {
        let dir = partial.contains("/") ? String(partial[...partial.lastIndex(of: "/")!]) : ""
        let base = String(partial.dropFirst(dir.count))
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        let options = listing.filter { !$0.hasPrefix(".") || base.hasPrefix(".") }.map { name -> String in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dir + name, isDirectory: &isDir)
            return isDir.boolValue ? name + "/" : name
        }
        return finish(base, options, space: false)
    }
}
