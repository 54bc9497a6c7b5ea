import Foundation

/// What the fuzz targets share: libFuzzer's driver (in `-sanitize=fuzzer` builds, `Fuzz/run`) and, in plain builds,
/// replaying saved inputs — a crash file or a whole corpus folder — through the same entry.
public enum FuzzDriver {
    public typealias Target = (UnsafeRawBufferPointer) -> Void

    nonisolated(unsafe) static var target: Target = { _ in }

    /// Runs each file given, or each file in each folder given, through `run`.
    public static func replay(_ paths: ArraySlice<String>, _ run: Target) {
        for path in paths {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: path)).map { $0.map { "\(path)/\($0)" } } ?? [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { run($0) }
            }
        }
    }

    #if FUZZING
    /// Hands the program's arguments to libFuzzer, which then calls `run` with each input it makes.
    public static func fuzz(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ run: @escaping Target) -> Int32 {
        target = run
        var count = argc
        var vector = argv
        return runFuzzerDriver(&count, &vector) { data, size in fuzzOne(data, size) }
    }
    #endif
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// libFuzzer's entry for one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzDriver.target(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#endif
