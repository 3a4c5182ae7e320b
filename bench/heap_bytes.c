/* SPDX-License-Identifier: MIT */
/*
 * The benchmarks' hypervisor heap: like tests/support/heap.c (zeroed,
 * 64-byte aligned), but it counts bytes, so that pasid.meta_bytes can be
 * measured.  bench_heap_bytes() charges each block as hypervisor/mm/heap.c
 * does: the size rounded up to 64 bytes plus a 64-byte header;
 * bench_heap_requested() is the bare sizes asked for.  The host
 * allocator's own overhead is not counted.
 */
#include "bench.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#define HDR 64 /* keeps the 64-byte alignment pd_zalloc promises */

static long long live_bytes;
static long long live_requested;
static long long live_blocks;

long long bench_heap_bytes(void)
{
	return live_bytes;
}

long long bench_heap_requested(void)
{
	return live_requested;
}

long long bench_heap_blocks(void)
{
	return live_blocks;
}

/*
 * The hypervisor's heap (hypervisor/mm/heap.c) never gives memory back;
 * glibc's would, by trimming the heap and unmapping large blocks inside
 * the very frees a bench times, and its mmap threshold moves as blocks
 * come and go.  Before any bench allocates: no mmap, no trimming.  (Half
 * of a timed teardown was the kernel taking pages back; the peers in
 * bench_peers share this heap, so the comparison stays even.)
 */
__attribute__((constructor)) static void heap_keeps_its_memory(void)
{
	mallopt(M_MMAP_MAX, 0);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

static long long charged(size_t size)
{
	return (long long)((size + HDR - 1) / HDR * HDR + HDR);
}

void *pd_zalloc(size_t size)
{
	unsigned char *p;

	if (posix_memalign((void **)&p, HDR, HDR + (size ? size : 1)))
		return NULL;
	memset(p + HDR, 0, size);
	*(size_t *)p = size;
	live_bytes += charged(size);
	live_requested += (long long)size;
	live_blocks++;
	return p + HDR;
}

void pd_free(void *v)
{
	unsigned char *p = v;

	if (!p)
		return;
	p -= HDR;
	live_bytes -= charged(*(size_t *)p);
	live_requested -= (long long)*(size_t *)p;
	live_blocks--;
	free(p);
}
