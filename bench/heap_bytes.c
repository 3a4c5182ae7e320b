/* SPDX-License-Identifier: MIT */
/*
 * The benchmarks' hypervisor heap: like tests/support/heap.c (zeroed,
 * 64-byte aligned), but it counts the bytes the manager asks for, so that
 * pasid.meta_bytes can be measured.  Counted bytes are the requested
 * sizes, not the host allocator's own overhead.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

#define HDR 64 /* keeps the 64-byte alignment pd_zalloc promises */

static long long live_bytes;
static long long live_blocks;

long long bench_heap_bytes(void)
{
	return live_bytes;
}
long long bench_heap_blocks(void)
{
	return live_blocks;
}

void *pd_zalloc(size_t size)
{
	unsigned char *p;

	if (posix_memalign((void **)&p, HDR, HDR + (size ? size : 1)))
		return NULL;
	memset(p + HDR, 0, size);
	*(size_t *)p = size;
	live_bytes += (long long)size;
	live_blocks++;
	return p + HDR;
}

void pd_free(void *v)
{
	unsigned char *p = v;

	if (!p)
		return;
	p -= HDR;
	live_bytes -= (long long)*(size_t *)p;
	live_blocks--;
	free(p);
}
