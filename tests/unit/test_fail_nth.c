/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: every allocation an operation makes is failed in turn
 * (fail_nth_arm(1), (2), ... until a run completes with no failure fired),
 * and after each the manager must be whole: the operation refused with
 * -XEN_ENOMEM and R_NO_MEMORY, nothing changed, nothing leaked, the
 * invariants and the mock IOMMUs agreeing.  Likewise the mock IOMMU
 * failing to allocate table memory on bind.
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

struct op_case {
	const char *name;
	unsigned bits;
	void (*prep)(struct world *w);
	int (*run)(struct world *w, struct pasid_err *err);
	int min_allocs; /* the operation allocates at least this many times */
};

static struct world *mk(unsigned bits)
{
	struct world_cfg cfg = {
		.bits = bits, .ndoms = 3, .quota = 64, .hv_quota = 4};
	struct world *w = world_new(&cfg);

	assert_non_null(w);
	return w;
}

static uint32_t pasid_a, pasid_b;

static void prep_nothing(struct world *w)
{
	(void)w;
}

static void prep_two(struct world *w)
{
	struct pasid_err err;
	struct pasid_bind_req req = {.device = WORLD_DEV(1),
				     .kind = PASID_ENTRY_SECOND_LEVEL};

	assert_int_equal(pasid_alloc(&w->m, 1, &pasid_a, &err), 0);
	assert_int_equal(pasid_alloc(&w->m, 1, &pasid_b, &err), 0);
	assert_int_equal(pasid_bind(&w->m, 1, pasid_b, &req, &err), 0);
	req.device = WORLD_DEV2(1);
	assert_int_equal(pasid_bind(&w->m, 1, pasid_b, &req, &err), 0);
}

static int run_alloc(struct world *w, struct pasid_err *err)
{
	uint32_t p;

	return pasid_alloc(&w->m, 1, &p, err);
}

/* A PASID in a second leaf: its records are made on this allocation. */
static void prep_fill_leaf(struct world *w)
{
	struct pasid_err err;
	uint32_t p;

	assert_int_equal(pasid_set_quota(&w->m, 2, 2000, &err), 0);
	for (int i = 0; i < 1023; i++)
		assert_int_equal(pasid_alloc(&w->m, 2, &p, &err), 0);
}

static int run_alloc_new_leaf(struct world *w, struct pasid_err *err)
{
	uint32_t p;
	int rc = pasid_alloc(&w->m, 2, &p, err);

	if (rc == 0)
		assert_true(p >= 1024);
	return rc;
}

/* No 16-PASID chunk left wholly free, but half of domain 2's PASIDs
 * free: domain 1's next allocation is a fallback into domain 2's chunks. */
static void prep_fragmented(struct world *w)
{
	static uint32_t mine[256];
	struct pasid_err err;
	unsigned n = 0;
	uint32_t p;

	assert_int_equal(pasid_set_quota(&w->m, 1, 5000, &err), 0);
	assert_int_equal(pasid_set_quota(&w->m, 2, 5000, &err), 0);
	for (bool more = true; more;) {
		more = pasid_alloc(&w->m, 1, &p, &err) == 0;
		if (pasid_alloc(&w->m, 2, &p, &err) == 0) {
			mine[n++] = p;
			more = true;
		}
	}
	for (unsigned i = 0; i < n; i += 2)
		assert_int_equal(pasid_free(&w->m, 2, mine[i], &err), 0);
}

static int run_alloc_fallback(struct world *w, struct pasid_err *err)
{
	struct paddock_pasid_info info;
	uint32_t p;
	int rc = pasid_alloc(&w->m, 1, &p, err);

	assert_int_equal(pasid_query(&w->m, 1, &info), 0);
	assert_true(rc != 0 || info.fallbacks > 0);
	return rc;
}

static int run_bind(struct world *w, struct pasid_err *err)
{
	struct pasid_bind_req req = {.device = WORLD_DEV(1),
				     .kind = PASID_ENTRY_FIRST_LEVEL};

	return pasid_bind(&w->m, 1, pasid_a, &req, err);
}

/* One PASID, in a leaf without extras yet. */
static void prep_one(struct world *w)
{
	struct pasid_err err;

	assert_int_equal(pasid_alloc(&w->m, 1, &pasid_a, &err), 0);
}

static int run_set_data(struct world *w, struct pasid_err *err)
{
	return pasid_set_data(&w->m, 1, pasid_a, 42, err);
}

static int run_unbind(struct world *w, struct pasid_err *err)
{
	return pasid_unbind(&w->m, 1, pasid_b, WORLD_DEV(1), err);
}

static int run_free(struct world *w, struct pasid_err *err)
{
	return pasid_free(&w->m, 1, pasid_b, err);
}

static int run_set_quota(struct world *w, struct pasid_err *err)
{
	return pasid_set_quota(&w->m, 1, 1, err);
}

static int run_teardown(struct world *w, struct pasid_err *err)
{
	pasid_domain_teardown(&w->m, 1);
	return 0;
}

static int run_set_create(struct world *w, struct pasid_err *err)
{
	/* Domain 20: the first of its slab of sets (internal.h). */
	struct pasid_set_cfg c = {.domain = 20, .quota = 4};

	return pasid_set_create(&w->m, &c, err);
}

static int run_set_create_range(struct world *w, struct pasid_err *err)
{
	struct pasid_set_cfg c = {
		.domain = 20, .quota = 4, .range_lo = 3000, .range_hi = 3999};

	return pasid_set_create(&w->m, &c, err);
}

static int run_list(struct world *w, struct pasid_err *err)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_LIST};
	long rc;

	op.u.list.buf = world_gva(0, 0x1000);
	op.u.list.max = 8;
	rc = world_pasid_op(w, 0, &op);
	err->reason = op.reason;
	if (rc == 0)
		assert_int_equal(op.u.list.count, 4);
	return (int)rc;
}

static int run_dispatch_alloc(struct world *w, struct pasid_err *err)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC};
	long rc = world_pasid_op(w, 1, &op);

	err->reason = op.reason;
	return (int)rc;
}

static const struct op_case cases[] = {
	{"alloc", 12, prep_nothing, run_alloc, 1},
	{"alloc, new leaf", 12, prep_fill_leaf, run_alloc_new_leaf, 1},
	{"alloc, fallback", 8, prep_fragmented, run_alloc_fallback, 0},
	{"bind", 12, prep_two, run_bind, 1},
	{"bind, the leaf's extras made", 12, prep_one, run_bind, 2},
	{"set data, the leaf's extras made", 12, prep_one, run_set_data, 1},
	{"unbind", 12, prep_two, run_unbind, 0},
	{"free", 12, prep_two, run_free, 0},
	{"set quota", 12, prep_two, run_set_quota, 0},
	{"domain teardown", 12, prep_two, run_teardown, 0},
	{"set create", 12, prep_two, run_set_create, 1},
	{"set create, range", 12, prep_two, run_set_create_range, 3},
	{"dispatcher LIST", 12, prep_two, run_list, 1},
	{"dispatcher ALLOC", 12, prep_nothing, run_dispatch_alloc, 1},
};

static void each_allocation_fails_in_turn(void **state)
{
	for (unsigned c = 0; c < ARRAY_SIZE(cases); c++) {
		const struct op_case *oc = &cases[c];
		int n;

		for (n = 1; n < 100; n++) {
			struct world *w = mk(oc->bits);
			long base = w->heap_base;
			struct world_snap a, b;
			struct pasid_err err;
			bool fired;
			int rc;

			oc->prep(w);
			assert_world_ok(w);
			world_snap(w, &a);
			memset(&err, 0, sizeof(err));
			fail_nth_arm(n);
			rc = oc->run(w, &err);
			fired = fail_nth_fired();
			fail_nth_disarm();
			if (fired) {
				if (rc != -XEN_ENOMEM ||
				    err.reason != PADDOCK_PASID_R_NO_MEMORY)
					fail_msg("%s, allocation %d failed: rc "
						 "%d reason %u",
						 oc->name, n, rc, err.reason);
				world_snap(w, &b);
				assert_snap_same(&a, &b);
			} else if (rc != 0) {
				fail_msg("%s without failure: rc %d (%s)",
					 oc->name, rc, err.text);
			}
			assert_world_ok(w);
			/* Still works afterwards. */
			if (fired)
				assert_int_equal(oc->run(w, &err), 0);
			assert_world_ok(w);
			world_free(w);
			assert_int_equal(heap_live(), base);
			if (!fired)
				break;
		}
		if (n - 1 < oc->min_allocs)
			fail_msg("%s: only %d allocations to fail", oc->name,
				 n - 1);
	}
}

static void mgr_init_fails_cleanly(void **state)
{
	static const unsigned widths[] = {1, 6, 12, 20};

	for (unsigned i = 0; i < ARRAY_SIZE(widths); i++) {
		int n;

		for (n = 1; n < 100; n++) {
			struct pasid_mgr *m = calloc(1, sizeof(*m));
			long base = heap_live();
			struct pasid_err err;
			bool fired;
			int rc;

			fail_nth_arm(n);
			rc = pasid_mgr_init(m, widths[i], 4, &err);
			fired = fail_nth_fired();
			fail_nth_disarm();
			if (fired) {
				assert_int_equal(rc, -XEN_ENOMEM);
				assert_int_equal(err.reason,
						 PADDOCK_PASID_R_NO_MEMORY);
				assert_int_equal(heap_live(), base);
			} else {
				uint32_t p;

				assert_int_equal(rc, 0);
				assert_int_equal(
					pasid_check_invariants(m, &err), 0);
				assert_int_equal(pasid_alloc(m,
							     DOMID_HYPERVISOR,
							     &p, &err),
						 0);
				pasid_mgr_fini(m);
				assert_int_equal(heap_live(), base);
			}
			free(m);
			if (!fired)
				break;
		}
		assert_true(n > 4); /* leaves, chunks, bitmaps, set */
	}
}

static void iommu_install_fails_in_turn(void **state)
{
	for (int n = 1; n <= 6; n++) {
		struct world *w = mk(10);
		long base = w->heap_base;
		struct pasid_err err;
		struct pasid_bind_req req = {.kind = PASID_ENTRY_SECOND_LEVEL};
		uint32_t p[3];
		int failures = 0;

		for (int i = 0; i < 3; i++)
			assert_int_equal(pasid_alloc(&w->m, 1, &p[i], &err), 0);
		w->iommu[0].fail_installs = n;
		w->iommu[1].fail_installs = n;
		for (int i = 0; i < 3; i++) {
			for (int k = 0; k < 2; k++) {
				struct world_snap a, b;
				int rc;

				req.device = k ? WORLD_DEV2(1) : WORLD_DEV(1);
				world_snap(w, &a);
				rc = pasid_bind(&w->m, 1, p[i], &req, &err);
				if (rc < 0) {
					assert_int_equal(rc, -XEN_ENOMEM);
					assert_int_equal(err.reason,
							 PADDOCK_PASID_R_IOMMU);
					world_snap(w, &b);
					assert_snap_same(&a, &b);
					failures++;
					assert_int_equal(pasid_bind(&w->m, 1,
								    p[i], &req,
								    &err),
							 0);
				}
				assert_world_ok(w);
			}
		}
		assert_int_equal(failures, n <= 3 ? 2 : 0);
		/* Blocking present entries never needs memory. */
		w->iommu[0].fail_installs = 1;
		w->iommu[1].fail_installs = 1;
		assert_int_equal(pasid_free(&w->m, 1, p[0], &err), 0);
		pasid_domain_teardown(&w->m, 1);
		assert_world_ok(w);
		assert_int_equal(w->iommu[0].nentries, 0);
		world_free(w);
		assert_int_equal(heap_live(), base);
	}
}

/* A random workload with a failure armed at a random point of each
 * step; the world must stay whole throughout. */
static void random_workload_with_failures(void **state)
{
	struct world *w = mk(10);
	long base = w->heap_base;
	struct pasid_err err;
	unsigned fired = 0;

	srand(1234);
	for (int step = 0; step < 3000; step++) {
		domid_t d = (domid_t)(rand() % 3);
		uint32_t p = (uint32_t)(rand() % 200);
		struct pasid_bind_req req = {
			.device = rand() % 2 ? WORLD_DEV(d) : WORLD_DEV2(d),
			.kind = (enum pasid_entry_kind)(1 + rand() % 2)};
		struct pasid_set_cfg c = {.domain = d, .quota = 64};

		if (rand() % 3 == 0)
			fail_nth_arm(1 + rand() % 3);
		switch (rand() % 8) {
		case 0:
		case 1:
			pasid_alloc(&w->m, d, &p, &err);
			break;
		case 2:
			pasid_free(&w->m, d, p, &err);
			break;
		case 3:
		case 4:
			pasid_bind(&w->m, d, p, &req, &err);
			break;
		case 5:
			pasid_unbind(&w->m, d, p, req.device, &err);
			break;
		case 6:
			if (rand() % 20 == 0)
				pasid_domain_teardown(&w->m, d);
			else
				pasid_set_create(&w->m, &c, &err);
			break;
		default: {
			struct paddock_pasid_op op = {
				.cmd = PADDOCK_PASID_LIST};

			op.u.list.buf = world_gva(0, 0x1000);
			op.u.list.max = 4;
			world_pasid_op(w, 0, &op);
		}
		}
		fired += fail_nth_fired();
		fail_nth_disarm();
		assert_world_ok(w);
	}
	assert_true(fired > 10);
	world_free(w);
	assert_int_equal(heap_live(), base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_allocation_fails_in_turn),
		cmocka_unit_test(mgr_init_fails_cleanly),
		cmocka_unit_test(iommu_install_fails_in_turn),
		cmocka_unit_test(random_workload_with_failures),
	};

	RUN_TESTS(tests);
}
