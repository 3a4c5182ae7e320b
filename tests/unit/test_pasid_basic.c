/* SPDX-License-Identifier: MIT */
/*
 * The PASID manager's basic lifecycle, against the recording mock IOMMU.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

#include <xen/errno.h>

struct fixture {
	struct pasid_mgr m;
	struct mock_iommu iommu;
	struct pasid_err err;
};

static int setup(void **state)
{
	static struct fixture f;
	struct pasid_set_cfg dom1 = {.domain = 1, .quota = 4};

	memset(&f, 0, sizeof(f));
	mock_iommu_init(&f.iommu, "mock0");
	assert_int_equal(pasid_mgr_init(&f.m, 20, 8, &f.err), 0);
	assert_int_equal(pasid_set_create(&f.m, &dom1, &f.err), 0);
	assert_int_equal(
		pasid_device_add(&f.m, 0x10, 1, &f.iommu.iommu, &f.err), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char why[200];

	assert_int_equal(pasid_check_invariants(&f->m, &f->err), 0);
	assert_int_equal(mock_iommu_matches(&f->iommu, &f->m, why, sizeof(why)),
			 0);
	pasid_mgr_fini(&f->m);
	assert_int_equal(heap_live(), 0);
	return 0;
}

static void alloc_bind_free_recycles(void **state)
{
	struct fixture *f = *state;
	struct pasid_bind_req req = {.device = 0x10,
				     .kind = PASID_ENTRY_SECOND_LEVEL};
	struct paddock_pasid_info info;
	uint32_t p;

	assert_int_equal(pasid_alloc(&f->m, 1, &p, &f->err), 0);
	assert_true(p >= 1);
	assert_int_equal(pasid_bind(&f->m, 1, p, &req, &f->err), 0);
	assert_int_equal(mock_entry(&f->iommu, 0x10, p)->cfg.kind,
			 PASID_ENTRY_SECOND_LEVEL);
	assert_int_equal(pasid_free(&f->m, 1, p, &f->err), 0);
	/* Parked: DMA blocked, still charged, until the binding goes. */
	assert_int_equal(mock_entry(&f->iommu, 0x10, p)->cfg.kind,
			 PASID_ENTRY_BLOCKED);
	pasid_query(&f->m, 1, &info);
	assert_int_equal(info.allocated, 1);
	assert_int_equal(info.parked, 1);
	assert_int_equal(pasid_check_invariants(&f->m, &f->err), 0);
	assert_int_equal(pasid_unbind(&f->m, 1, p, 0x10, &f->err), 0);
	assert_null(mock_entry(&f->iommu, 0x10, p));
	pasid_query(&f->m, 1, &info);
	assert_int_equal(info.allocated, 0);
	assert_int_equal(info.parked, 0);
}

static void quota_is_exact_and_says_why(void **state)
{
	struct fixture *f = *state;
	uint32_t p[5];

	for (int i = 0; i < 4; i++)
		assert_int_equal(pasid_alloc(&f->m, 1, &p[i], &f->err), 0);
	assert_int_equal(pasid_alloc(&f->m, 1, &p[4], &f->err), -XEN_EMFILE);
	assert_int_equal(f->err.reason, PADDOCK_PASID_R_QUOTA);
	assert_string_equal(f->err.text, "quota exhausted: domain 1 holds 4/4 "
					 "PASIDs (0 parked)");
	for (int i = 0; i < 4; i++)
		assert_int_equal(pasid_free(&f->m, 1, p[i], &f->err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(alloc_bind_free_recycles, setup,
						teardown),
		cmocka_unit_test_setup_teardown(quota_is_exact_and_says_why,
						setup, teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", (int)ARRAY_SIZE(tests) - failed,
	       failed);
	return failed != 0;
}
