#ifndef TLY_PTY_H
#define TLY_PTY_H

/// Test support: starts `path` on a new pseudo-terminal that becomes its controlling terminal
/// (so Ctrl-C reaches it as SIGINT). Returns the child's pid, or -1; `*master` receives the terminal's master side.
/// fork cannot be called from Swift, so this lives in C.
int tly_spawn_on_pty(const char *path, char *const argv[], char *const envp[], int columns, int rows, int *master);

#endif
