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
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzQuery.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// The program's entry (SwiftPM names an executable's `main` after its module): libFuzzer's driver.
@_cdecl("FuzzQuery_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector) { data, size in fuzzQuery(data, size) }
}
#endif
