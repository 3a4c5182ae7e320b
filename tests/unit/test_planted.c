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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_table_ends_at_its_limit),
		cmocka_unit_test(fault_counters_reset_with_the_set),
	};

	RUN_TESTS(tests);
}
