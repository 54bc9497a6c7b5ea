import Foundation
import TallyCore
import TallyEngine
import TallyFormats
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
            let row = items[k..<min(items.count, k + perRow)].map { DisplayWidth.pad($0, to: width, right: false) }
            rows.append(row.joined().trimmingCharacters(in: .whitespaces))
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
    /// Where file paths are completed from: anywhere, or (under `--safe`) only inside the data folder, if there is one.
    var fileFolder: FileFolder = .any

    enum FileFolder {
        case any
        case only(String?)
    }

    /// `pending` holds earlier lines of a multi-line statement; `line` is the current line up to the cursor.
    func complete(pending: String, line: String) -> Completion {
        let isDotCommand = line.hasPrefix(".") && !line.contains(" ")
        let word = String(line.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." && isDotCommand }.reversed())
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
        let text = pending.isEmpty ? line : pending + "\n" + line
        let before = SourceText(name: "", text: String(text.dropLast(word.count)))
        let pipeline = Completer.pipelineAtEnd(of: before)
        guard let pipe = pipeline.lastPipe else {
            if pipeline.tokens.isEmpty || pipeline.tokens.last?.isSymbol(.assign) == true {
                return finish(word, session.catalog.names + [Keyword.let.rawValue, Keyword.param.rawValue])
            }
            return Completion(insert: "", candidates: [])
        }
        let stage = pipeline.tokens[(pipe + 1)...]
        guard let verb = stage.first else { return finish(word, Parser.verbs) }
        if verb.identifier == Verb.join.rawValue || verb.identifier == Verb.union.rawValue, stage.count <= 2,
           !stage.contains(where: { $0.isWord(.on) }) {
            return finish(word, session.catalog.names + (verb.identifier == Verb.join.rawValue ? JoinKind.allCases.map(\.rawValue) : []))
        }
        var columns: [String] = []
        let start = pipeline.tokens.first!.range.start, end = pipeline.tokens[pipe].range.start
        let parsed = Parser.parse(SourceText(name: "", text: String(decoding: before.bytes[start..<end], as: UTF8.self)))
        if parsed.diagnostics.isEmpty, case .query(let p)? = parsed.statements.last {
            columns = session.schema(of: p) ?? []
        }
        let keywords = Keyword.allCases.filter(\.isInStages).map(\.rawValue)
        let functions = Array(ScalarFunctions.all.keys) + Array(AggregateFunctions.all.keys) + Array(WindowFunctions.all.keys)
        let columnsFirst = finish(word, columns.map(quoteIfNeeded), space: false)
        if !columnsFirst.candidates.isEmpty || (!columns.isEmpty && columns.contains { $0.hasPrefix(word) }) { return columnsFirst }
        return finish(word, functions + keywords, space: false)
    }

    func quoteIfNeeded(_ name: String) -> String {
        let plain = name.first.map { $0.isLetter || $0 == "_" } ?? false && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return plain ? name : "`\(name)`"
    }

    /// The pipeline the text ends in, as the lexer reads it: the tokens of the innermost sub-query still open (a bracket
    /// where a source goes: after `join`, `union`, `=` or another bracket), else of the last statement, without a leading
    /// `let NAME =`; and its last `|` at that depth, when it has one.
    static func pipelineAtEnd(of source: SourceText) -> (tokens: [Token], lastPipe: Int?) {
        var lexer = Lexer(source)
        var open: [Int] = []
        var start = 0
        let tokens = lexer.tokenize().filter { $0.kind != .endOfInput }
        for (i, t) in tokens.enumerated() {
            if t.isSymbol(.openParen) || t.isSymbol(.openBracket) { open.append(i) }
            if t.isSymbol(.closeParen) || t.isSymbol(.closeBracket) { _ = open.popLast() }
            if open.isEmpty, t.kind == .newline || t.isSymbol(.semicolon) { start = i + 1 }
        }
        func opensSubQuery(_ i: Int) -> Bool {
            guard tokens[i].isSymbol(.openParen) else { return false }
            guard i > 0 else { return true }
            let before = tokens[i - 1]
            if before.isSymbol(.assign) || before.isSymbol(.openParen) { return true }
            guard let word = before.identifier, !before.quoted else { return false }
            return word == Verb.join.rawValue || word == Verb.union.rawValue || JoinKind(rawValue: word) != nil
        }
        if let bracket = open.last(where: opensSubQuery), bracket + 1 > start { start = bracket + 1 }
        var pipeline = Array(tokens[start...])
        if pipeline.count >= 3, pipeline[0].isWord(.let), pipeline[2].isSymbol(.assign) { pipeline.removeFirst(3) }
        var depth = 0, lastPipe: Int?
        for (i, t) in pipeline.enumerated() {
            if t.isSymbol(.openParen) || t.isSymbol(.openBracket) { depth += 1 }
            if t.isSymbol(.closeParen) || t.isSymbol(.closeBracket) { depth -= 1 }
            if depth == 0, t.isSymbol(.pipe) { lastPipe = i }
        }
        return (pipeline, lastPipe)
    }

    /// Whether two paths name the same folder, links followed.
    func sameFolder(_ a: String, _ b: String) -> Bool {
        func real(_ p: String) -> String { URL(fileURLWithPath: p.isEmpty ? "." : p).standardizedFileURL.resolvingSymlinksInPath().path }
        return real(a) == real(b)
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
        // Under --safe a folder outside the data folder is not listed: its names are not the user's to see.
        if case .only(let allowed) = fileFolder {
            guard let allowed, TableFile.outside(dir.isEmpty ? "." : dir, folder: allowed) == nil || sameFolder(dir, allowed) else {
                return Completion(insert: "", candidates: [])
            }
        }
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
