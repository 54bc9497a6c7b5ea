#ifndef TLY_ALLOCATOR_H
#define TLY_ALLOCATOR_H

/// Keeps large blocks on the heap for reuse instead of fresh kernel pages per allocation, so the
/// column-sized temporaries of each query do not pay page faults again and again; every thread
/// allocates from that one heap.
/// (glibc's mallopt is not visible from Swift's Glibc module.)
void tly_keep_large_blocks(void);

#endif
