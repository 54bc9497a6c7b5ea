#include "tly_allocator.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

void tly_keep_large_blocks(void) {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    /* One arena for every thread: another thread's arena grows in heaps of 64 MB at most, so each larger block a
       query's worker thread asks for (a 200 MB column at 50m rows) was a fresh mapping, faulted in page by page
       and unmapped again. In the main arena it is reused. */
    mallopt(M_ARENA_MAX, 1);
}

unsigned long long tly_resident_anonymous_bytes(void) {
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char text[160];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    text[n] = 0;
    /* size resident shared text lib data dt, in pages */
    char *cursor = text;
    strtoull(cursor, &cursor, 10);
    unsigned long long resident = strtoull(cursor, &cursor, 10);
    unsigned long long shared = strtoull(cursor, &cursor, 10);
    if (shared > resident) return 0;
    return (resident - shared) * (unsigned long long)sysconf(_SC_PAGESIZE);
}

void tly_release_free_memory(void) {
    malloc_trim(0);
}
