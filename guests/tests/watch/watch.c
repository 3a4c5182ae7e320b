/* SPDX-License-Identifier: MIT */
/*
 * watch: the other half of the control test.  It boots with
 * TESTCONF_WATCH_QUOTA, waits (QUERY, then yield) until the control domain
 * has raised it to TESTCONF_WATCH_NEW_QUOTA, and checks that the new quota
 * is the one enforced: exactly that many PASIDs, then a QUOTA refusal.
 */
#include <stdlib.h>

#include "pasid_check.h"
#include "testconf.h"

TEST(watch, boots_with_marker_quota)
{
	struct paddock_pasid_info q;

	QUERY_OR_RETURN(&q);
	EXPECT_EQ(paddock_start_info->pasid_quota, TESTCONF_WATCH_QUOTA);
	/* The control domain may already have acted. */
	EXPECT_TRUE(q.quota == TESTCONF_WATCH_QUOTA ||
		    q.quota == TESTCONF_WATCH_NEW_QUOTA);
	EXPECT_EQ(q.flags & PADDOCK_PASID_INFO_PRIVILEGED, 0);
}

TEST(watch, sees_new_quota)
{
	struct paddock_pasid_info q;
	long polls = 0;

	for (;;) {
		QUERY_OR_RETURN(&q);
		if (q.quota != TESTCONF_WATCH_QUOTA ||
		    polls >= TESTCONF_WATCH_POLLS)
			break;
		paddock_yield();
		polls++;
	}
	EXPECT_EQ(q.quota, TESTCONF_WATCH_NEW_QUOTA);
	test_note("quota %u after %ld yields", q.quota, polls);
}

TEST(watch, new_quota_is_enforced)
{
	uint32_t held[TESTCONF_WATCH_NEW_QUOTA];
	struct paddock_pasid_info q;
	struct pasid_why why;
	uint32_t n = 0, extra;

	QUERY_OR_RETURN(&q);
	if (q.quota != TESTCONF_WATCH_NEW_QUOTA)
		SKIP("quota is still %u", q.quota);
	while (n < TESTCONF_WATCH_NEW_QUOTA) {
		long ret = pasid_alloc(&held[n], &why);

		EXPECT_OK(ret, &why);
		if (ret)
			break;
		n++;
	}
	EXPECT_EQ(n, TESTCONF_WATCH_NEW_QUOTA);
	EXPECT_REFUSED(pasid_alloc(&extra, &why), &why, PADDOCK_PASID_R_QUOTA);
	EXPECT_STR_CONTAINS(why.text, "quota exhausted");
	while (n > 0)
		EXPECT_OK(pasid_free(held[--n], &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, 0);
}
