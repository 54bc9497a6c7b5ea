import CLineEdit
import Foundation

/// Shows a result taller than the terminal through `$PAGER` (default `less -SR`: long lines scroll sideways,
/// colours kept), as psql does. Only in the interactive shell; `.pager off` turns it off.
enum Pager {
    /// The pager command: `$PAGER` when set and not empty.
    static var command: String {
        if let p = ProcessInfo.processInfo.environment["PAGER"], !p.trimmingCharacters(in: .whitespaces).isEmpty { return p }
        return "less -SR"
    }

    /// Whether `text` needs a pager on a terminal of `height` lines (the prompt needs one more).
    static func needed(_ text: String, height: Int?) -> Bool {
        guard let height else { return false }
        var lines = 0
        for byte in text.utf8 where byte == 10 {
            lines += 1
            if lines >= height - 1 { return true }
        }
        return false
    }

    /// Sends `text` to the pager and waits for it; false when the pager cannot start or fails (then print instead).
    /// The pager runs in the shell's own process group — the terminal's foreground group — as psql and git run theirs:
    /// in a group of its own it may not read the keyboard, and `less` gives up (and the result was never seen). The
    /// terminal's settings are restored after it, whatever it left.
    static func show(_ text: String) -> Bool {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        // The pager gets the default SIGPIPE (the shell ignores it while writing).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var saved = termios()
        let hasTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        let previous = signal(SIGPIPE, SIG_IGN)
        defer {
            signal(SIGPIPE, previous)
            if hasTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
            // A Ctrl-C typed in the pager was the pager's.
            tly_clear_interrupt()
        }
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ)
        close(fds[0])
        guard spawned == 0 else {
            close(fds[1])
            return false
        }
        // A pager quit early closes the pipe: the rest of the text is not wanted.
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
        close(fds[1])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited with 0: shown. Anything else (could not start, gave up, killed): print instead.
        return status & 0x7f == 0 && (status >> 8) & 0xff == 0
    }
}
