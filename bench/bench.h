/* SPDX-License-Identifier: MIT */
/* Shared helpers of the host-side benchmarks (make bench). */
#ifndef PADDOCK_BENCH_H
#define PADDOCK_BENCH_H

#include "support.h"

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

/* heap_bytes.c: what the manager holds right now: bytes as the
 * hypervisor heap charges them (64-byte rounding and header), bytes
 * requested, blocks. */
long long bench_heap_bytes(void);
long long bench_heap_requested(void);
long long bench_heap_blocks(void);

#endif
