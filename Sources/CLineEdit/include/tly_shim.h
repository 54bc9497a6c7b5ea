#ifndef TLY_SHIM_H
#define TLY_SHIM_H

/// Called on Tab with the line up to the cursor. Returns a malloc'd string: the text to insert at the
/// cursor, then, after a newline, candidate names separated by newlines to list (or NULL for nothing).
typedef char *(*tly_completer)(const char *before_cursor);

/// Opens libedit on the terminal (emacs keys, ~/.editrc, Tab bound to the completer). Returns 0 on success.
int tly_open(const char *program, tly_completer completer);

/// Reads one line with the given prompt. Returns NULL at end of input or when interrupted (see tly_interrupted).
/// The returned buffer belongs to libedit and is valid until the next call.
const char *tly_gets(const char *prompt);

/// Adds an entry to the in-memory history (recalled with Up).
void tly_history_add(const char *line);

/// Closes libedit and restores the terminal.
void tly_close(void);

/// Installs a SIGINT handler that only sets a flag (no SA_RESTART, so a blocked read returns).
void tly_install_sigint(void);

/// Whether Ctrl-C was pressed since the last tly_clear_interrupt.
int tly_interrupted(void);

/// Forgets a pending Ctrl-C.
void tly_clear_interrupt(void);

/// Whether standard input already holds unread bytes: the rest of a paste (or typed-ahead lines).
int tly_input_pending(void);

#endif
