/* SPDX-License-Identifier: MIT */
/*
 * The real hypervisor heap (hypervisor/mm) on the host, over a buffer of
 * the test's own: the alignment contract of paddock/mem.h, zeroing,
 * blocks that never overlap, neighbours merged back whatever the freeing
 * order, corruption reported instead of followed, exhaustion refused
 * cleanly.  The unit tests link a calloc stand-in instead (tests/support).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paddock/heap.h>
#include <paddock/mem.h>

#define ARENA_BYTES (1u << 20)
#define PAGE	    4096

static unsigned char *arena;
static void *corrupt_seen[8];
static unsigned ncorrupt;

static void on_corrupt(void *p)
{
	if (ncorrupt < 8)
		corrupt_seen[ncorrupt] = p;
	ncorrupt++;
}

/* A fresh heap over the arena, offset so that its start is unaligned. */
static int fresh_heap(void **state)
{
	(void)state;
	if (!arena && posix_memalign((void **)&arena, PAGE, ARENA_BYTES + 64))
		return -1;
	memset(arena, 0xa5, ARENA_BYTES + 64);
	heap_init(arena + 8, ARENA_BYTES, on_corrupt);
	ncorrupt = 0;
	return 0;
}

static bool inside(const void *p, size_t n)
{
	const unsigned char *b = p;

	return b >= arena && b + n <= arena + ARENA_BYTES + 64;
}

static void alignment_contract(void **state)
{
	static const size_t sizes[] = {1,    63,   64,	 65,   100,
				       4095, 4096, 4097, 8192, 20000};

	(void)state;
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = pd_zalloc(sizes[i]);

		assert_non_null(p);
		assert_true(inside(p, sizes[i]));
		assert_int_equal((uintptr_t)p % 64, 0);
		if (sizes[i] >= PAGE)
			assert_int_equal((uintptr_t)p % PAGE, 0);
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xff, sizes[i]); /* dirty it for the next round */
	}
}

static void freed_memory_comes_back_zeroed(void **state)
{
	unsigned char *p = pd_zalloc(300), *q;

	(void)state;
	memset(p, 0x5a, 300);
	pd_free(p);
	q = pd_zalloc(300);
	assert_ptr_equal(p, q);
	for (size_t k = 0; k < 300; k++)
		assert_int_equal(q[k], 0);
}

#define NBLOCKS 40

/* Every block filled with its own byte; false when one was overwritten. */
static bool blocks_intact(unsigned char **b, const size_t *len, bool fill)
{
	for (unsigned i = 0; i < NBLOCKS; i++) {
		for (size_t k = 0; k < len[i]; k++) {
			if (!fill && b[i][k] != (unsigned char)(i + 1))
				return false;
			b[i][k] = (unsigned char)(i + 1);
		}
	}
	return true;
}

static void coalescing_in_every_order(void **state)
{
	static const unsigned strides[] = {1, NBLOCKS - 1, 3, 7, 13};
	size_t before = heap_free_space();

	(void)state;
	for (unsigned s = 0; s < sizeof(strides) / sizeof(strides[0]); s++) {
		unsigned char *b[NBLOCKS];
		size_t len[NBLOCKS];

		for (unsigned i = 0; i < NBLOCKS; i++) {
			len[i] = (i % 5 == 0) ? PAGE + i : 17 * i + 1;
			b[i] = pd_zalloc(len[i]);
			assert_non_null(b[i]);
		}
		blocks_intact(b, len, true);
		assert_true(blocks_intact(b, len, false));
		for (unsigned n = 0, i = 0; n < NBLOCKS;
		     n++, i = (i + strides[s]) % NBLOCKS)
			pd_free(b[i]);
		assert_int_equal(heap_free_space(), before);
		/* Only one fully merged block holds nearly all of it. */
		void *whole = pd_zalloc(before - 2 * PAGE);

		assert_non_null(whole);
		pd_free(whole);
	}
	assert_int_equal(ncorrupt, 0);
}

static void exhaustion_is_refused_and_recovers(void **state)
{
	static void *held[ARENA_BYTES / 1024];
	size_t before = heap_free_space(), n = 0;

	(void)state;
	assert_null(pd_zalloc(0));
	assert_null(pd_zalloc(before + 64));
	assert_null(pd_zalloc(SIZE_MAX));
	assert_null(pd_zalloc(SIZE_MAX - 64));
	while ((held[n] = pd_zalloc(1000)) != NULL)
		n++;
	assert_true(n > 100);
	assert_true(heap_free_space() < 1100);
	assert_null(pd_zalloc(PAGE));
	while (n--)
		pd_free(held[n]);
	assert_int_equal(heap_free_space(), before);
	assert_int_equal(ncorrupt, 0);
}

static void corruption_is_reported_not_followed(void **state)
{
	unsigned char *a = pd_zalloc(200), *b = pd_zalloc(200);
	unsigned char outside[64];
	size_t free_before;

	(void)state;
	pd_free(a);
	free_before = heap_free_space();
	pd_free(a);	  /* double free */
	pd_free(b + 64);  /* not the start of a block */
	pd_free(outside); /* not heap memory at all */
	pd_free(arena);	  /* below the heap's first block */
	assert_int_equal(ncorrupt, 4);
	assert_ptr_equal(corrupt_seen[0], a);
	assert_ptr_equal(corrupt_seen[1], b + 64);
	assert_ptr_equal(corrupt_seen[2], outside);
	assert_int_equal(heap_free_space(), free_before);
	pd_free(NULL); /* allowed, and no report */
	assert_int_equal(ncorrupt, 4);
	pd_free(b);
	assert_int_equal(ncorrupt, 4);
}

static void too_small_a_region_gives_nothing(void **state)
{
	static unsigned char tiny[100];

	(void)state;
	heap_init(tiny, sizeof(tiny), on_corrupt);
	assert_int_equal(heap_free_space(), 0);
	assert_null(pd_zalloc(1));
}

static unsigned self_check_failures;

static void count_verdict(const char *what, bool ok)
{
	if (!ok) {
		printf("self-check failed: %s\n", what);
		self_check_failures++;
	}
}

/* The boot-time check (paddock.test=heap) passes on a fresh heap. */
static void boot_self_check_passes(void **state)
{
	(void)state;
	self_check_failures = 0;
	heap_self_check(count_verdict);
	assert_int_equal(self_check_failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(alignment_contract, fresh_heap),
		cmocka_unit_test_setup(freed_memory_comes_back_zeroed,
				       fresh_heap),
		cmocka_unit_test_setup(coalescing_in_every_order, fresh_heap),
		cmocka_unit_test_setup(exhaustion_is_refused_and_recovers,
				       fresh_heap),
		cmocka_unit_test_setup(corruption_is_reported_not_followed,
				       fresh_heap),
		cmocka_unit_test_setup(too_small_a_region_gives_nothing,
				       fresh_heap),
		cmocka_unit_test_setup(boot_self_check_passes, fresh_heap),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n",
	       (int)(sizeof(tests) / sizeof(tests[0])) - failed, failed);
	free(arena);
	return failed != 0;
}
