import FuzzSupport
import TallyCore
import TallyEngine
import TallyLang

/// libFuzzer target: any bytes as a Tally script — lexed, parsed, planned and run on a small demo catalog. Every
/// input must end in a result or an error; a trap is a finding. Built by `Fuzz/run query`.
enum FuzzQuery {
    static let catalog: Catalog = {
        var c = Catalog()
        for (name, table) in DemoData.generate(scale: 300) { c.add(table, as: name) }
        return c
    }()

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let source = SourceText(name: "<fuzz>", text: String(decoding: bytes, as: UTF8.self))
        let (statements, diagnostics) = Parser.parse(source)
        guard diagnostics.isEmpty else { _ = diagnostics.map { $0.render(in: source) }; return }
        let session = Session(catalog: catalog)
        session.budget = MemoryBudget(bytes: 200_000_000)
        for statement in statements {
            do { _ = try session.execute(statement) } catch { _ = "\(error)"; return }
        }
    }
}

#if FUZZING
/// The program's entry in a fuzz build (SwiftPM names an executable's `main` after its module).
@_cdecl("FuzzQuery_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.fuzz(argc, argv, FuzzQuery.run)
}
#else
/// Without libFuzzer: replays the files given as arguments (a crash a fuzzer found, or a whole corpus folder).
@main
enum Replay {
    static func main() { FuzzDriver.replay(CommandLine.arguments.dropFirst(), FuzzQuery.run) }
}
#endif
