#include "tly_allocator.h"

#include <malloc.h>

void tly_keep_large_blocks(void) {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    /* One arena for every thread: another thread's arena grows in heaps of 64 MB at most, so each larger block a
       query's worker thread asks for (a 200 MB column at 50m rows) was a fresh mapping, faulted in page by page
       and unmapped again. In the main arena it is reused. */
    mallopt(M_ARENA_MAX, 1);
}
