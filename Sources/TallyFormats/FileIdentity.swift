import TallyCore
import Foundation

/// What identifies a file's contents without reading them: a file read lazily (Parquet parts, snapshot columns) is
/// checked against it at every read, so a file replaced or changed since it was loaded is an error, never wrong rows.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64, inode: UInt64, size: Int, seconds: Int, nanoseconds: Int

    init(_ s: stat) {
        device = UInt64(s.st_dev)
        inode = UInt64(s.st_ino)
        size = Int(s.st_size)
        seconds = Int(s.st_mtim.tv_sec)
        nanoseconds = Int(s.st_mtim.tv_nsec)
    }
}
