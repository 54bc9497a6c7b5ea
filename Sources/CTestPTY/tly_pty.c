#include "tly_pty.h"

#include <pty.h>
#include <sys/ioctl.h>
#include <unistd.h>

int tly_spawn_on_pty(const char *path, char *const argv[], char *const envp[], int columns, int rows, int *master) {
    struct winsize ws = {0};
    ws.ws_col = (unsigned short)columns;
    ws.ws_row = (unsigned short)rows;
    pid_t pid = forkpty(master, NULL, NULL, &ws);
    if (pid == 0) {
        execve(path, argv, envp);
        _exit(127);
    }
    return (int)pid;
}
