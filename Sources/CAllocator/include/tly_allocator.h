#ifndef TLY_ALLOCATOR_H
#define TLY_ALLOCATOR_H

/// Keeps large blocks on the heap for reuse instead of fresh kernel pages per allocation, so the
/// column-sized temporaries of each query do not pay page faults again and again; every thread
/// allocates from that one heap.
/// (glibc's mallopt is not visible from Swift's Glibc module.)
void tly_keep_large_blocks(void);

/// The bytes of anonymous memory the process has in RAM (/proc/self/statm: resident less file-backed pages): every
/// array and column, and freed blocks malloc still holds; not the pages of memory-mapped files. What the kernel's
/// out-of-memory killer counts. 0 when it cannot be read.
unsigned long long tly_resident_anonymous_bytes(void);

/// Gives the pages of freed blocks back to the kernel (malloc_trim), so that they no longer count as resident.
void tly_release_free_memory(void);

#endif
