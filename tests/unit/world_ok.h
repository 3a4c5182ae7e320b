/* SPDX-License-Identifier: MIT */
/* A test's world, made or the test fails, and its end: the invariants
 * hold and nothing leaked.  Include after cmocka.h and check.h. */
#ifndef PADDOCK_TESTS_WORLD_OK_H
#define PADDOCK_TESTS_WORLD_OK_H

static struct world *mk(unsigned bits, unsigned ndoms, uint32_t quota)
{
	struct world_cfg cfg = {
		.bits = bits, .ndoms = ndoms, .quota = quota, .hv_quota = 4};
	struct world *w = world_new(&cfg);

	assert_non_null(w);
	return w;
}

static void done(struct world *w)
{
	long base = w->heap_base;

	assert_world_ok(w);
	world_free(w);
	assert_int_equal(heap_live(), base);
}

#endif
