import Foundation
import TallyCore

/// libFuzzer target: any bytes as a snapshot file (`tally --db`). Every damaged input must be a `Snapshot.Failure`.
enum FuzzSnapshot {
    static let path = NSTemporaryDirectory() + "tally-fuzz-\(getpid()).tally"

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        _ = try? Snapshot.read(path: path)
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshot(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzSnapshot.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// The program's entry (SwiftPM names an executable's `main` after its module): libFuzzer's driver.
@_cdecl("FuzzSnapshot_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector) { data, size in fuzzSnapshot(data, size) }
}
#endif
