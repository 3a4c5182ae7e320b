/* SPDX-License-Identifier: MIT */
/*
 * The test-only hypercall's generic part (hypervisor/test/testop.c) over
 * the IOMMU layer's test system (fixture.h): STEER and STEER_ANY refuse a
 * device or PASID that is not the caller's, POST and PEEK, WATCH.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paddock/selftest.h>
#include <paddock/test_op.h>
#include <xen/errno.h>

#include "check.h"
#include "fixture.h"

static long op(struct fixture *f, domid_t dom, uint64_t sub, uint64_t a1,
	       uint64_t a2)
{
	const uint64_t args[5] = {sub, a1, a2, 0, 0};

	return test_op(f->w.doms[dom], &f->cfg[dom], args);
}

static uint32_t default_pasid_of(uint32_t rid)
{
	const struct mock_unit *mu = fixture_unit();
	uint32_t pasid = 0;

	for (unsigned i = 0; i < mu->ndefaults; i++) {
		if (mu->default_rid[i] == rid)
			pasid = mu->default_pasid[i];
	}
	return pasid;
}

static void steer_refused_for_a_device_not_its_own(void **state)
{
	struct fixture *f = *state;
	uint32_t p2 = fixture_bound_pasid(f, 2, DEV_C);

	/* Domain 2 at domain 1's device, with a PASID of its own. */
	assert_int_equal(op(f, 2, PADDOCK_TEST_STEER, DEV_A, p2), -XEN_EPERM);
	assert_int_equal(op(f, 2, PADDOCK_TEST_STEER_ANY, DEV_A, p2),
			 -XEN_EPERM);
	/* A device nobody has. */
	assert_int_equal(op(f, 2, PADDOCK_TEST_STEER, PCI_BDF(9, 0, 0), p2),
			 -XEN_EPERM);
	assert_int_equal(fixture_unit()->ndefaults, 0);
}

static void steer_refused_for_a_pasid_not_its_own_or_unbound(void **state)
{
	struct fixture *f = *state;
	uint32_t p2 = fixture_bound_pasid(f, 2, DEV_C), p1;

	assert_int_equal(op(f, 1, PADDOCK_TEST_STEER, DEV_A, p2), -XEN_EPERM);
	assert_int_equal(op(f, 1, PADDOCK_TEST_STEER, DEV_A, 0), -XEN_EINVAL);
	assert_int_equal(op(f, 1, PADDOCK_TEST_STEER, DEV_A, 1u << 20),
			 -XEN_EINVAL);
	assert_int_equal(pasid_alloc(&f->w.m, 1, &p1, &f->err), 0);
	assert_int_equal(op(f, 1, PADDOCK_TEST_STEER, DEV_A, p1), -XEN_ENOENT);
	assert_int_equal(fixture_unit()->ndefaults, 0);
}

/* Steering names the requester ID: the alias both functions share. */
static void steer_points_the_requester_ids_default_pasid(void **state)
{
	struct fixture *f = *state;
	uint32_t p1 = fixture_bound_pasid(f, 1, DEV_B);
	uint32_t p2 = fixture_bound_pasid(f, 2, DEV_C);

	assert_int_equal(op(f, 1, PADDOCK_TEST_STEER, DEV_B, p1), 0);
	assert_int_equal(default_pasid_of(ALIAS), p1);
	/* STEER_ANY: its own device, whoever holds the PASID. */
	assert_int_equal(op(f, 1, PADDOCK_TEST_STEER_ANY, DEV_A, p2), 0);
	assert_int_equal(default_pasid_of(ALIAS), p2);
}

static void post_and_peek(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(op(f, 1, PADDOCK_TEST_PEEK, 0, 0), -XEN_ENOENT);
	assert_int_equal(op(f, 1, PADDOCK_TEST_POST, 0, 0xfeedface), 0);
	assert_int_equal(op(f, 2, PADDOCK_TEST_PEEK, 0, 0), 0xfeedface);
	assert_int_equal(op(f, 1, PADDOCK_TEST_POST, PADDOCK_TEST_SLOTS, 1),
			 -XEN_EINVAL);
	assert_int_equal(op(f, 1, PADDOCK_TEST_POST, 1, 1ull << 32),
			 -XEN_EINVAL);
	assert_int_equal(op(f, 1, PADDOCK_TEST_PEEK, PADDOCK_TEST_SLOTS, 0),
			 -XEN_EINVAL);
	assert_int_equal(op(f, 1, 99, 0, 0), -XEN_ENOSYS);
}

/* WATCH: after STEER only; the faults of (device, PASID) are counted. */
static void watch_after_steer_then_checked_at_the_end(void **state)
{
	struct fixture *f = *state;
	uint32_t p1 = fixture_bound_pasid(f, 1, DEV_A);
	uint64_t addr = world_gva(1, 0x100);
	struct iommu_fault fault = {.source = ALIAS,
				    .pasid_valid = true,
				    .pasid = p1,
				    .addr = 0x5000};

	assert_int_equal(op(f, 1, PADDOCK_TEST_WATCH, addr, 64), -XEN_ENOENT);
	assert_int_equal(op(f, 1, PADDOCK_TEST_STEER, DEV_A, p1), 0);
	assert_int_equal(op(f, 1, PADDOCK_TEST_WATCH, addr, 0), -XEN_EINVAL);
	assert_int_equal(op(f, 1, PADDOCK_TEST_WATCH, addr, 4097), -XEN_EINVAL);
	assert_int_equal(op(f, 1, PADDOCK_TEST_WATCH, 0x10, 64), -XEN_EFAULT);
	assert_false(test_watching(f->w.doms[1]));
	assert_int_equal(op(f, 1, PADDOCK_TEST_WATCH, addr, 64), 0);
	assert_int_equal(op(f, 1, PADDOCK_TEST_WATCH, addr, 64), -XEN_EINVAL);
	assert_true(test_watching(f->w.doms[1]));
	assert_false(test_watching(f->w.doms[2]));
	fixture_fault(&fault);
	assert_int_equal(f->w.doms[1]->fault_count, 1);
	iommu_quiesce_device(DEV_A);
	test_check_watch(f->w.doms[1], true); /* under ASan: no leak */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
		T(steer_refused_for_a_device_not_its_own),
		T(steer_refused_for_a_pasid_not_its_own_or_unbound),
		T(steer_points_the_requester_ids_default_pasid),
		T(post_and_peek),
		T(watch_after_steer_then_checked_at_the_end),
#undef T
	};

	RUN_TESTS(tests);
}
