/* SPDX-License-Identifier: MIT */
/*
 * The host tests' hypervisor heap: calloc, with a fail-nth hook so that a
 * test can make the n-th allocation from now on fail, and a live count so
 * that a test can prove nothing leaked.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static long fail_countdown; /* 0: off; n: the n-th allocation fails */
static long live_allocations;
static long total_allocations;

void fail_nth_arm(long n)
{
	fail_countdown = n;
}
void fail_nth_disarm(void)
{
	fail_countdown = 0;
}
bool fail_nth_fired(void)
{
	return fail_countdown < 0;
}
long heap_live(void)
{
	return live_allocations;
}
long heap_total(void)
{
	return total_allocations;
}

void *pd_zalloc(size_t size)
{
	void *p;

	if (fail_countdown > 0 && --fail_countdown == 0) {
		fail_countdown = -1; /* fired */
		return NULL;
	}
	if (posix_memalign(&p, size >= 4096 ? 4096 : 64, size ? size : 1))
		return NULL;
	memset(p, 0, size);
	__atomic_fetch_add(&live_allocations, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&total_allocations, 1, __ATOMIC_RELAXED);
	return p;
}

void pd_free(void *p)
{
	if (!p)
		return;
	__atomic_fetch_sub(&live_allocations, 1, __ATOMIC_RELAXED);
	free(p);
}
