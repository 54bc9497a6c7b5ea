/* Measures read bandwidth from memory: two threads sum the halves of a 1 GiB array, best of 7 passes.
 * Prints the rate in GB/s (10^9 bytes per second). bench/run.py divides each query's bytes by it (the DRAM floor). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { THREADS = 2, PASSES = 7 };
static const size_t WORDS = (size_t)1 << 27; /* 1 GiB of 64-bit words */

struct part { const uint64_t *start; size_t count; uint64_t sum; };

static void *sum_part(void *arg) {
    struct part *p = arg;
    uint64_t a = 0, b = 0, c = 0, d = 0;
    for (size_t i = 0; i + 4 <= p->count; i += 4) { a += p->start[i]; b += p->start[i + 1]; c += p->start[i + 2]; d += p->start[i + 3]; }
    p->sum = a + b + c + d;
    return NULL;
}

int main(void) {
    uint64_t *words = malloc(WORDS * sizeof *words);
    if (!words) { fprintf(stderr, "cannot allocate 1 GiB\n"); return 1; }
    for (size_t i = 0; i < WORDS; i++) words[i] = i;
    double best = 0;
    uint64_t check = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        pthread_t threads[THREADS];
        struct part parts[THREADS];
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int t = 0; t < THREADS; t++) {
            parts[t] = (struct part){ words + t * (WORDS / THREADS), WORDS / THREADS, 0 };
            pthread_create(&threads[t], NULL, sum_part, &parts[t]);
        }
        for (int t = 0; t < THREADS; t++) { pthread_join(threads[t], NULL); check += parts[t].sum; }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        double rate = (double)(WORDS * sizeof *words) / seconds / 1e9;
        if (rate > best) best = rate;
    }
    printf("%.2f\n", best);
    fprintf(stderr, "checksum %llu\n", (unsigned long long)check);
    free(words);
    return 0;
}
