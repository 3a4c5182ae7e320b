/* SPDX-License-Identifier: MIT */
/* Shared helpers of the host-side benchmarks (make bench). */
#ifndef PADDOCK_BENCH_H
#define PADDOCK_BENCH_H

#include "support.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* The timing loop every host benchmark shares: a monotonic clock in ns,
 * and the median of a batch's samples. */
static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static inline double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* A seeded Fisher-Yates shuffle of v[0..n-1] (Knuth's MMIX LCG): the
 * same order for the same seed in every bench and every run. */
static inline void shuffle(uint32_t *v, uint32_t n, uint64_t seed)
{
	for (uint32_t i = n - 1; n > 1 && i > 0; i--) {
		uint32_t j, t;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		j = (uint32_t)((seed >> 33) % (i + 1));
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* heap_bytes.c: what the manager holds right now: bytes as the
 * hypervisor heap charges them (64-byte rounding and header), bytes
 * requested, blocks. */
long long bench_heap_bytes(void);
long long bench_heap_requested(void);
long long bench_heap_blocks(void);

#endif
