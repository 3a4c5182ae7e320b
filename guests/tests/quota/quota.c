/* SPDX-License-Identifier: MIT */
/*
 * quota: an unprivileged domain allocates exactly its quota, is refused
 * the next PASID with reason QUOTA and a "quota exhausted" text, frees one
 * and gets one again.  The system must give this domain no device, so
 * that nothing it frees stays parked behind a binding.
 */
#include <stdlib.h>

#include "pasid_check.h"

/* Every PASID this guest holds, so that the last test can free them. */
static uint32_t *held;
static uint32_t nheld;
static uint32_t quota;

TEST(quota, quota_matches_start_info)
{
	struct paddock_pasid_info q;

	QUERY_OR_RETURN(&q);
	quota = q.quota;
	EXPECT_EQ(q.quota, paddock_start_info->pasid_quota);
	EXPECT_EQ(q.allocated, 0);
	EXPECT_EQ(q.refusals_quota, 0);
	/* A quota of 0 would make the rest of this guest vacuous. */
	EXPECT_GT(q.quota, 0);
	if (q.range_lo || q.range_hi)
		EXPECT_LE(q.quota, q.range_hi - q.range_lo + 1);
}

TEST(quota, allocate_up_to_quota)
{
	struct paddock_pasid_info q;
	struct pasid_why why;

	ASSERT_GT(quota, 0);
	held = calloc(quota, sizeof(*held));
	ASSERT_TRUE(held != NULL);
	for (uint32_t i = 0; i < quota; i++) {
		uint32_t p;

		ASSERT_OK(pasid_alloc(&p, &why), &why);
		held[nheld++] = p;
	}
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, quota);
	EXPECT_EQ(q.peak, quota);
	EXPECT_EQ(q.refusals_quota, 0);
	/* All distinct: a sort would need more code than this guest. */
	for (uint32_t i = 0; i < nheld; i++)
		for (uint32_t j = i + 1; j < nheld; j++)
			EXPECT_NE(held[i], held[j]);
}

TEST(quota, one_more_is_refused)
{
	struct paddock_pasid_info q0, q;
	struct pasid_why why;
	uint32_t p = 0xdeadbeef;
	long ret;

	ASSERT_EQ(nheld, quota);
	QUERY_OR_RETURN(&q0);
	ret = pasid_alloc(&p, &why);
	/* docs/abi.md pairs QUOTA with -XEN_EMFILE. */
	EXPECT_REFUSED(ret, &why, PADDOCK_PASID_R_QUOTA);
	EXPECT_STR_CONTAINS(why.text, "quota exhausted");
	EXPECT_EQ(p, 0xdeadbeef);
	test_note("refused with %ld %s: \"%s\"", ret, xen_errno_str(ret),
		  why.text);

	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, quota);
	EXPECT_EQ(q.refusals_quota, q0.refusals_quota + 1);
	EXPECT_EQ(q.refusals, q0.refusals + 1);

	/* Refusal is stable: asking again is refused again. */
	EXPECT_REFUSED(pasid_alloc(&p, &why), &why, PADDOCK_PASID_R_QUOTA);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.refusals_quota, q0.refusals_quota + 2);
}

TEST(quota, free_one_then_alloc_again)
{
	struct paddock_pasid_info q;
	struct pasid_why why;
	uint32_t p;

	ASSERT_EQ(nheld, quota);
	ASSERT_OK(pasid_free(held[nheld - 1], &why), &why);
	nheld--;
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, quota - 1);
	/* Never bound, so nothing keeps the freed PASID parked. */
	EXPECT_EQ(q.parked, 0);

	ASSERT_OK(pasid_alloc(&p, &why), &why);
	held[nheld++] = p;
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, quota);
	EXPECT_EQ(q.peak, quota);
	EXPECT_REFUSED(pasid_alloc(&p, &why), &why, PADDOCK_PASID_R_QUOTA);
}

/*
 * Many rounds of filling the quota and emptying it: nothing leaks, the
 * figures come back to where they were, and no refusal is counted.
 */
TEST(quota, churn)
{
	enum { ROUNDS = 200 };
	struct paddock_pasid_info q0, q;
	struct pasid_why why;
	uint32_t p;

	ASSERT_EQ(nheld, quota);
	QUERY_OR_RETURN(&q0);
	/* Keep one slot free to cycle through, the rest stays held. */
	ASSERT_OK(pasid_free(held[--nheld], &why), &why);
	for (int r = 0; r < ROUNDS; r++) {
		ASSERT_OK(pasid_alloc(&p, &why), &why);
		ASSERT_OK(pasid_set_data(p, (uint64_t)r, &why), &why);
		ASSERT_OK(pasid_free(p, &why), &why);
	}
	ASSERT_OK(pasid_alloc(&held[nheld], &why), &why);
	nheld++;
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, q0.allocated);
	EXPECT_EQ(q.parked, 0);
	EXPECT_EQ(q.peak, q0.peak);
	EXPECT_EQ(q.refusals, q0.refusals);
}

TEST(quota, free_all)
{
	struct paddock_pasid_info q;
	struct pasid_why why;

	while (nheld > 0) {
		EXPECT_OK(pasid_free(held[nheld - 1], &why), &why);
		nheld--;
	}
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, 0);
	EXPECT_EQ(q.parked, 0);
	/* The peak remembers the high-water mark. */
	EXPECT_EQ(q.peak, quota);
}
