/* SPDX-License-Identifier: MIT */
/*
 * What the mutation exercise (docs/testing.md, tests/mutation) showed the
 * other tests missed: each test here catches at least one planted bug
 * that every other host suite let through, and says which.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

#include <xen/errno.h>

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

/* P09: the first id past the set table is no domain's, for every call
 * that looks a set up by id (ASan's bounds check sees the read). */
static void set_table_ends_at_its_limit(void **state)
{
	struct world *w = mk(10, 2, 8);
	struct paddock_pasid_info info;
	uint32_t counts[PADDOCK_PASID_R_MAX + 1];
	struct pasid_err err;
	uint32_t p;

	assert_null(pasid_set_of(&w->m, PASID_MAX_SETS));
	assert_int_equal(pasid_query(&w->m, PASID_MAX_SETS, &info), -XEN_ESRCH);
	assert_int_equal(pasid_refusals(&w->m, PASID_MAX_SETS, counts),
			 -XEN_ESRCH);
	assert_int_equal(pasid_alloc(&w->m, PASID_MAX_SETS, &p, &err),
			 -XEN_ESRCH);
	assert_int_equal(pasid_set_quota(&w->m, PASID_MAX_SETS, 4, &err),
			 -XEN_ESRCH);
	pasid_note_refusal(&w->m, PASID_MAX_SETS, PADDOCK_PASID_R_QUOTA);
	pasid_domain_teardown(&w->m, PASID_MAX_SETS);
	done(w);
}

/* P21, P22: a domain id used again starts with no faults counted, of
 * any kind: the counters live by id in the manager, not in the set. */
static void fault_counters_reset_with_the_set(void **state)
{
	struct world *w = mk(10, 3, 8);
	struct pasid_set_cfg again = {.domain = 1, .quota = 8};
	struct pasid_bind_req req = {.device = WORLD_DEV(1),
				     .kind = PASID_ENTRY_SECOND_LEVEL,
				     .sl_root = {0x5000}};
	struct paddock_pasid_info info;
	struct pasid_err err;
	uint32_t mine, parked, theirs;

	assert_int_equal(pasid_alloc(&w->m, 1, &mine, &err), 0);
	assert_int_equal(pasid_alloc(&w->m, 1, &parked, &err), 0);
	assert_int_equal(pasid_alloc(&w->m, 2, &theirs, &err), 0);
	assert_int_equal(pasid_bind(&w->m, 1, parked, &req, &err), 0);
	assert_int_equal(pasid_free(&w->m, 1, parked, &err), 0);
	assert_int_equal(pasid_route_fault(&w->m, 1, mine), 1);
	assert_int_equal(pasid_route_fault(&w->m, 1, theirs), 1);
	assert_int_equal(pasid_route_fault(&w->m, 1, parked), PASID_DOMID_NONE);
	assert_int_equal(pasid_query(&w->m, 1, &info), 0);
	assert_int_equal(info.faults, 2);
	assert_int_equal(info.faults_foreign, 1);
	assert_int_equal(info.faults_suppressed, 1);

	pasid_domain_teardown(&w->m, 1);
	assert_null(pasid_set_of(&w->m, 1));
	assert_int_equal(pasid_set_create(&w->m, &again, &err), 0);
	assert_int_equal(pasid_query(&w->m, 1, &info), 0);
	assert_int_equal(info.faults, 0);
	assert_int_equal(info.faults_foreign, 0);
	assert_int_equal(info.faults_suppressed, 0);
	done(w);
}

/* P39: in a space narrower than one chunk, the PASID == 2^width never
 * enters the pool: the space runs out as "space", not as a record that
 * cannot be made ("out of memory"). */
static void tiny_space_runs_out_as_space(void **state)
{
	for (unsigned bits = 1; bits <= 3; bits++) {
		struct world *w = mk(bits, 2, 100);
		struct pasid_err err;
		unsigned n = 0;
		uint32_t p;
		int rc;

		while ((rc = pasid_alloc(&w->m, 1, &p, &err)) == 0)
			n++;
		assert_int_equal(n, (1u << bits) - 1);
		assert_int_equal(rc, -XEN_ENOSPC);
		assert_int_equal(err.reason, PADDOCK_PASID_R_SPACE);
		done(w);
	}
}

/* P46: domains whose quota fits in one chunk (16 included) pack into
 * the lowest free chunks, four to a block (docs/design.md, "Allocation
 * policy"), instead of taking a block each. */
static void one_chunk_quotas_pack_into_a_block(void **state)
{
	struct world *w = mk(10, 4, 16);
	struct pasid_err err;
	uint32_t p[4];

	for (domid_t d = 1; d <= 3; d++)
		assert_int_equal(pasid_alloc(&w->m, d, &p[d], &err), 0);
	assert_int_equal(p[1], 1);
	assert_int_equal(p[2], 16);
	assert_int_equal(p[3], 32);
	done(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_table_ends_at_its_limit),
		cmocka_unit_test(fault_counters_reset_with_the_set),
		cmocka_unit_test(tiny_space_runs_out_as_space),
		cmocka_unit_test(one_chunk_quotas_pack_into_a_block),
	};

	RUN_TESTS(tests);
}
