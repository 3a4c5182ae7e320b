/* SPDX-License-Identifier: MIT */
/*
 * control: the privileged domain.  LIST reports every set consistently,
 * SET_QUOTA changes another domain's quota (the watch domain, found by
 * its marker quota, checks from its side that it sees the change) and its
 * own, and refusals still come for what no domain may do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pasid_check.h"
#include "testconf.h"

static const struct paddock_start_info *si(void)
{
	return paddock_start_info;
}

/*
 * LIST into a fresh buffer; *n gets the number of sets.  Sets go away
 * while this runs (a domain that crashes is torn down), so the buffer has
 * room to spare and the second answer may be smaller than the first.
 */
static struct paddock_pasid_info *list_all(uint32_t *n, struct pasid_why *why)
{
	struct paddock_pasid_info *buf;
	uint32_t count = 0, again = 0, room;

	if (pasid_list(NULL, 0, &count, why))
		return NULL;
	room = count + 8;
	buf = calloc(room, sizeof(*buf));
	if (!buf)
		return NULL;
	if (pasid_list(buf, room, &again, why) || again > room) {
		free(buf);
		return NULL;
	}
	*n = again;
	return buf;
}

TEST(control, is_privileged)
{
	struct paddock_pasid_info q;

	EXPECT_EQ(si()->flags & PADDOCK_START_PRIVILEGED,
		  PADDOCK_START_PRIVILEGED);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.flags & PADDOCK_PASID_INFO_PRIVILEGED,
		  PADDOCK_PASID_INFO_PRIVILEGED);
	EXPECT_EQ(q.domain, si()->domid);
}

TEST(control, list_every_set)
{
	struct paddock_pasid_info q, *sets;
	struct pasid_why why;
	uint32_t n = 0, self = 0, bits = 0;

	QUERY_OR_RETURN(&q);
	sets = list_all(&n, &why);
	if (!sets) {
		FAIL("LIST failed: %s \"%s\"", pasid_reason_str(why.code),
		     why.text);
		return;
	}
	EXPECT_EQ(why.code, PADDOCK_PASID_R_OK);
	/* At least this domain and one other. */
	EXPECT_GE(n, 2);
	for (uint32_t i = 0; i < n; i++) {
		const struct paddock_pasid_info *s = &sets[i];

		printf("control: set domain %u flags %#x quota %u allocated %u "
		       "bound %u parked %u peak %u range [%u, %u] refusals "
		       "%u\n",
		       s->domain, s->flags, s->quota, s->allocated, s->bound,
		       s->parked, s->peak, s->range_lo, s->range_hi,
		       s->refusals);
		for (uint32_t j = 0; j < i; j++)
			EXPECT_NE(s->domain, sets[j].domain);
		EXPECT_LE(s->bound, s->allocated);
		EXPECT_LE(s->parked, s->allocated);
		EXPECT_GE(s->peak, s->allocated - s->parked);
		EXPECT_LE(s->range_lo, s->range_hi);
		if (s->range_lo || s->range_hi)
			EXPECT_GE(s->range_lo, 1);
		if (i == 0)
			bits = s->pasid_bits;
		EXPECT_EQ(s->pasid_bits, bits);
		if (s->domain == q.domain) {
			self++;
			EXPECT_EQ(s->quota, q.quota);
			EXPECT_EQ(s->flags, q.flags);
		}
	}
	EXPECT_EQ(self, 1);
	free(sets);
}

TEST(control, list_short_buffer)
{
	struct paddock_pasid_info buf[3];
	struct pasid_why why;
	uint32_t count = 0;

	memset(buf, 0xa5, sizeof(buf));
	ASSERT_OK(pasid_list(buf, 1, &count, &why), &why);
	EXPECT_GE(count, 2);
	/* Only `max` entries are written, however many sets there are. */
	EXPECT_NE(buf[0].pasid_bits, 0xa5a5a5a5u);
	for (size_t i = sizeof(buf[0]); i < sizeof(buf); i++)
		if (((unsigned char *)buf)[i] != 0xa5) {
			FAIL("LIST wrote past max at byte %lu", i);
			break;
		}
}

TEST(control, list_bad_buffer)
{
	struct pasid_why why;
	uint32_t count = 0;
	uint64_t hv = si()->probe_hv_addr;

	if (!hv)
		SKIP("start info gives no probe_hv_addr");
	EXPECT_REFUSED(pasid_list((struct paddock_pasid_info *)(uintptr_t)hv, 4,
				  &count, &why),
		       &why, PADDOCK_PASID_R_BAD_POINTER);
}

TEST(control, set_own_quota)
{
	struct paddock_pasid_info q0, q;
	struct pasid_why why;

	QUERY_OR_RETURN(&q0);
	ASSERT_OK(pasid_set_quota(q0.domain, q0.quota + 1, &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.quota, q0.quota + 1);
	EXPECT_OK(pasid_set_quota(q0.domain, q0.quota, &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.quota, q0.quota);
}

TEST(control, set_quota_unknown_domain)
{
	struct pasid_why why;

	EXPECT_REFUSED(pasid_set_quota(4000, 5, &why), &why,
		       PADDOCK_PASID_R_NO_DOMAIN);
	EXPECT_REFUSED(pasid_set_quota(0x10000, 5, &why), &why,
		       PADDOCK_PASID_R_NO_DOMAIN);
}

/* The hypervisor's own set (DOMID_XEN) is sized by the platform: even a
 * control domain cannot change its quota, and LIST shows it unchanged. */
TEST(control, set_quota_hypervisor_set_refused)
{
	struct paddock_pasid_info *sets;
	struct pasid_why why;
	uint32_t n = 0, quota = 0, found = 0;

	sets = list_all(&n, &why);
	ASSERT_TRUE(sets != NULL);
	for (uint32_t i = 0; i < n; i++)
		if (sets[i].domain == DOMID_XEN) {
			quota = sets[i].quota;
			found++;
		}
	free(sets);
	ASSERT_EQ(found, 1);
	EXPECT_REFUSED(pasid_set_quota(DOMID_XEN, quota + 1, &why), &why,
		       PADDOCK_PASID_R_HYPERVISOR_SET);
	EXPECT_REFUSED(pasid_set_quota(DOMID_XEN, 0, &why), &why,
		       PADDOCK_PASID_R_HYPERVISOR_SET);
	sets = list_all(&n, &why);
	ASSERT_TRUE(sets != NULL);
	for (uint32_t i = 0; i < n; i++)
		if (sets[i].domain == DOMID_XEN)
			EXPECT_EQ(sets[i].quota, quota);
	free(sets);
}

TEST(control, set_other_quota)
{
	struct paddock_pasid_info *sets;
	struct pasid_why why;
	uint32_t n = 0, target = 0xffffffffu;

	sets = list_all(&n, &why);
	if (!sets) {
		FAIL("LIST failed: %s \"%s\"", pasid_reason_str(why.code),
		     why.text);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		if (sets[i].domain != si()->domid &&
		    sets[i].quota == TESTCONF_WATCH_QUOTA)
			target = sets[i].domain;
	free(sets);
	if (target == 0xffffffffu)
		SKIP("no domain with the watch quota %d in this system",
		     TESTCONF_WATCH_QUOTA);

	ASSERT_OK(pasid_set_quota(target, TESTCONF_WATCH_NEW_QUOTA, &why),
		  &why);
	sets = list_all(&n, &why);
	if (!sets) {
		FAIL("LIST failed: %s \"%s\"", pasid_reason_str(why.code),
		     why.text);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		if (sets[i].domain == target)
			EXPECT_EQ(sets[i].quota, TESTCONF_WATCH_NEW_QUOTA);
	free(sets);
	test_note("raised domain %u's quota to %d", target,
		  TESTCONF_WATCH_NEW_QUOTA);
}

TEST(control, still_bound_by_the_abi)
{
	struct paddock_pasid_op op = {.cmd = 0xffff};
	struct pasid_why why;

	/* Privilege opens LIST and SET_QUOTA, not unknown commands. */
	EXPECT_REFUSED(pasid_call(&op, &why), &why,
		       PADDOCK_PASID_R_UNKNOWN_CMD);
	EXPECT_REFUSED(pasid_free(0, &why), &why, PADDOCK_PASID_R_OUT_OF_RANGE);
}
