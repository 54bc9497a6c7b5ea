import Foundation

/// Files only their owner reads: history and saved queries. Folders are created 0700 and files 0600, whatever the
/// umask, and a path that is a symbolic link is refused rather than followed (its target could be anyone's file).
enum PrivateFile {
    struct Refused: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    /// Whether `path` exists as a symbolic link.
    static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// Creates the folder holding `path` (and its parents) with mode 0700 where missing.
    static func ensureFolder(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Replaces the file atomically: a new 0600 file beside it, then a rename over it.
    static func write(_ text: String, to path: String) throws {
        guard !isLink(path) else { throw Refused(path: path, reason: "is a symbolic link; not followed") }
        try ensureFolder(of: path)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Refused(path: temporary, reason: String(cString: strerror(errno))) }
        fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            done += n
        }
        close(fd)
        guard done == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Refused(path: path, reason: "could not be written")
        }
    }

    /// Appends to the file (created 0600), refusing a symbolic link; false when it could not.
    @discardableResult
    static func append(_ text: String, to path: String) -> Bool {
        guard (try? ensureFolder(of: path)) != nil else { return false }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } == bytes.count
    }
}
