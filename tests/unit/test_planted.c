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
#include "world_ok.h"

#include <xen/errno.h>

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

/* QUERY's three fault counters of domain d. */
static void assert_faults(struct world *w, domid_t d, uint32_t routed,
			  uint32_t foreign, uint32_t suppressed)
{
	struct paddock_pasid_info info;

	assert_int_equal(pasid_query(&w->m, d, &info), 0);
	assert_int_equal(info.faults, routed);
	assert_int_equal(info.faults_foreign, foreign);
	assert_int_equal(info.faults_suppressed, suppressed);
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
	assert_faults(w, 1, 2, 1, 1);

	pasid_domain_teardown(&w->m, 1);
	assert_null(pasid_set_of(&w->m, 1));
	assert_int_equal(pasid_set_create(&w->m, &again, &err), 0);
	assert_faults(w, 1, 0, 0, 0);
	done(w);
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
		cmocka_unit_test(one_chunk_quotas_pack_into_a_block),
	};

	RUN_TESTS(tests);
}
