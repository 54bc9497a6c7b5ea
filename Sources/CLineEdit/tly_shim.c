// A thin C layer over libedit: el_set, el_get and history are C-variadic, which Swift cannot call,
// so every such call lives here behind a fixed signature.
#include "tly_shim.h"

#include <histedit.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <unistd.h>
#include <wchar.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static EditLine *el;
static History *hist;
static HistEvent ev;
static char prompt_buffer[256];
static tly_completer completer;
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig) {
    (void)sig;
    interrupted = 1;
}

void tly_install_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
    sigaction(SIGINT, &sa, NULL);
}

int tly_interrupted(void) { return interrupted; }

void tly_clear_interrupt(void) { interrupted = 0; }

// Bytes read but not yet turned into characters: the rest of an invalid sequence, handed out one by one so that
// nothing typed after a bad byte (Enter included) is lost.
static char pending[MB_LEN_MAX];
static size_t pending_count = 0;

// One byte, from `pending` first, else from the terminal (polling, so a pending Ctrl-C is seen within 100 ms).
// Returns 1, 0 at end of input, or -1 (errno EINTR when interrupted).
static int next_byte(char *c) {
    if (pending_count > 0) {
        *c = pending[0];
        memmove(pending, pending + 1, --pending_count);
        return 1;
    }
    for (;;) {
        if (interrupted) {
            errno = EINTR;
            return -1;
        }
        struct pollfd p = {STDIN_FILENO, POLLIN, 0};
        int r = poll(&p, 1, 100);
        if (r < 0 && errno != EINTR) return -1;
        if (r <= 0) continue;
        ssize_t k = read(STDIN_FILENO, c, 1);
        if (k == 0) return 0;
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        return 1;
    }
}

// EL_GETCFN: reads one character. A NUL is dropped; a byte that does not start a valid UTF-8 sequence becomes
// U+FFFD and the bytes after it are read again on their own.
static int read_char(EditLine *e, wchar_t *wc) {
    (void)e;
    char buf[MB_LEN_MAX];
    size_t n = 0;
    for (;;) {
        char c;
        int got = next_byte(&c);
        if (got <= 0) return got;
        if (n == 0 && c == 0) continue;
        buf[n++] = c;
        mbstate_t state;
        memset(&state, 0, sizeof state);
        size_t used = mbrtowc(wc, buf, n, &state);
        if (used == (size_t)-2 && n < sizeof buf) continue;
        if (used == (size_t)-1 || used == (size_t)-2) {
            *wc = 0xFFFD;
            memcpy(pending + pending_count, buf + 1, n - 1);
            pending_count += n - 1;
        }
        return 1;
    }
}

// EL_PROMPT wants a function returning the prompt.
static char *prompt_fn(EditLine *e) {
    (void)e;
    return prompt_buffer;
}

// Bound to Tab: asks Swift for the completion and applies it.
static unsigned char complete_fn(EditLine *e, int ch) {
    (void)ch;
    if (!completer) return CC_ERROR;
    const LineInfo *li = el_line(e);
    size_t len = (size_t)(li->cursor - li->buffer);
    char *before = malloc(len + 1);
    if (!before) return CC_ERROR;
    memcpy(before, li->buffer, len);
    before[len] = 0;
    char *answer = completer(before);
    free(before);
    if (!answer) return CC_ERROR;
    char *newline = strchr(answer, '\n');
    if (newline) *newline = 0;
    unsigned char result = CC_REFRESH;
    if (answer[0]) {
        if (el_insertstr(e, answer) == -1) result = CC_ERROR;
    }
    if (newline && newline[1]) {
        fprintf(stdout, "\n%s\n", newline + 1);
        fflush(stdout);
        result = CC_REDISPLAY;
    } else if (!answer[0]) {
        result = CC_REFRESH_BEEP;
    }
    free(answer);
    return result;
}

int tly_open(const char *program, tly_completer fn) {
    completer = fn;
    // libedit rejects non-ASCII input unless the character type locale is UTF-8.
    const char *locale = setlocale(LC_CTYPE, "");
    if (!locale || strcmp(locale, "C") == 0 || strcmp(locale, "POSIX") == 0) setlocale(LC_CTYPE, "C.UTF-8");
    el = el_init(program, stdin, stdout, stderr);
    if (!el) return -1;
    hist = history_init();
    if (hist) {
        history(hist, &ev, H_SETSIZE, 1000);
        history(hist, &ev, H_SETUNIQUE, 1);
        el_set(el, EL_HIST, history, hist);
    }
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_GETCFN, read_char);
    el_set(el, EL_PROMPT_ESC, prompt_fn, '\1');
    el_set(el, EL_ADDFN, "tly-complete", "Complete names", complete_fn);
    el_set(el, EL_BIND, "^I", "tly-complete", NULL);
    el_source(el, NULL);
    return 0;
}

const char *tly_gets(const char *prompt) {
    if (!el) return NULL;
    strncpy(prompt_buffer, prompt, sizeof prompt_buffer - 1);
    prompt_buffer[sizeof prompt_buffer - 1] = 0;
    int count = 0;
    const char *line = el_gets(el, &count);
    if (!line || count <= 0) {
        if (interrupted) el_reset(el);
        return NULL;
    }
    return line;
}

void tly_history_add(const char *line) {
    if (hist) history(hist, &ev, H_ENTER, line);
}

void tly_close(void) {
    if (el) el_end(el);
    if (hist) history_end(hist);
    el = NULL;
    hist = NULL;
}

int tly_input_pending(void) {
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    return poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}
