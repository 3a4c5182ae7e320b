/* SPDX-License-Identifier: MIT */
/*
 * referee: the privileged domain of the red-team system
 * (config/systems/x86_64/x86-redteam.c).  Guests share no memory, so the attack
 * is started and ended through what the ABI gives a control domain:
 *   1. LIST until the victim's set shows every PASID in its state, then
 *      SET_QUOTA raises the attacker's quota to GO (the attacker waits
 *      for it in QUERY);
 *   2. while the attacker runs, the victim's figures in LIST must not
 *      move (what a control domain sees of it, beside the victim's own
 *      QUERY checks);
 *   3. once the attacker's set is gone (it powered off), SET_QUOTA raises
 *      the victim's quota to DONE, and the victim stops checking.
 * It also tries what even a privileged domain may not do to the
 * hypervisor's own set (redteam_fix.*: needs issue 7's fixes).
 */
#include <stdlib.h>
#include <string.h>

#include "pasid_check.h"
#include "testconf.h"

#define DOMID_XEN_SET 0x7ff2
#define MAX_SETS      40

static struct paddock_pasid_info sets[MAX_SETS];
static int victim = -1, attacker = -1; /* domain ids */

static const struct paddock_start_info *si(void)
{
	return paddock_start_info;
}

/* LIST into sets[]; the number of sets written, or -1. */
static int list(void)
{
	struct pasid_why why;
	uint32_t count = 0;

	if (pasid_list(sets, MAX_SETS, &count, &why) < 0) {
		FAIL("LIST refused: %s \"%s\"", pasid_reason_str(why.code),
		     why.text);
		return -1;
	}
	return count < MAX_SETS ? (int)count : MAX_SETS;
}

static const struct paddock_pasid_info *set_of(int n, int domain)
{
	for (int i = 0; i < n; i++)
		if (sets[i].domain == domain)
			return &sets[i];
	return NULL;
}

static int victim_ready(const struct paddock_pasid_info *v)
{
	return v->allocated == TESTCONF_REDTEAM_VICTIM_HELD &&
	       v->bound == TESTCONF_REDTEAM_VICTIM_BOUND &&
	       v->parked == TESTCONF_REDTEAM_VICTIM_PARKED;
}

TEST(referee, starts_the_attack)
{
	struct pasid_why why;
	unsigned polls;
	int n;

	ASSERT_EQ(si()->flags & PADDOCK_START_PRIVILEGED,
		  PADDOCK_START_PRIVILEGED);
	for (polls = 0; polls < TESTCONF_REDTEAM_POLLS; polls++) {
		const struct paddock_pasid_info *v = NULL;

		n = list();
		ASSERT_GE(n, 0);
		for (int i = 0; i < n; i++) {
			if (sets[i].quota == TESTCONF_REDTEAM_VICTIM_QUOTA)
				victim = sets[i].domain, v = &sets[i];
			if (sets[i].quota == TESTCONF_REDTEAM_ATTACKER_QUOTA)
				attacker = sets[i].domain;
		}
		if (v && attacker >= 0 && victim_ready(v))
			break;
		paddock_yield();
	}
	ASSERT_LT(polls, TESTCONF_REDTEAM_POLLS);
	test_note("victim is domain %d, attacker domain %d; go after %u "
		  "polls",
		  victim, attacker, polls);
	ASSERT_OK(pasid_set_quota((uint32_t)attacker,
				  TESTCONF_REDTEAM_ATTACKER_GO_QUOTA, &why),
		  &why);
}

/*
 * Until the attacker's set is gone, the victim's row never changes in
 * anything the attacker could move: what it holds, its quota, its faults.
 * (Its refusals do move: the victim provokes some itself every round.)
 */
TEST(referee, victim_steady_in_list)
{
	struct paddock_pasid_info first;
	struct pasid_why why;
	unsigned polls, bad = 0;
	int n;

	ASSERT_GE(victim, 0);
	n = list();
	ASSERT_GE(n, 0);
	ASSERT_TRUE(set_of(n, victim) != NULL);
	first = *set_of(n, victim);
	for (polls = 0; polls < TESTCONF_REDTEAM_POLLS; polls++) {
		const struct paddock_pasid_info *v, *a;

		n = list();
		ASSERT_GE(n, 0);
		v = set_of(n, victim);
		a = set_of(n, attacker);
		if (!v) {
			FAIL("the victim's set vanished from LIST");
			break;
		}
		if (v->allocated != first.allocated ||
		    v->bound != first.bound || v->parked != first.parked ||
		    v->peak != first.peak || v->quota != first.quota ||
		    v->flags != first.flags || v->faults != 0 ||
		    v->faults_suppressed != 0 || v->refusals_quota != 0 ||
		    v->range_lo != first.range_lo ||
		    v->range_hi != first.range_hi) {
			if (bad++ < 4)
				FAIL("poll %u: victim's row changed: quota "
				     "%u allocated %u bound %u parked %u "
				     "peak %u faults %u/%u flags %#x",
				     polls, v->quota, v->allocated, v->bound,
				     v->parked, v->peak, v->faults,
				     v->faults_suppressed, v->flags);
		}
		if (!a || (a->flags & PADDOCK_PASID_INFO_DYING))
			break;
		paddock_yield();
	}
	EXPECT_LT(polls, TESTCONF_REDTEAM_POLLS);
	test_note("the attacker's set was gone after %u polls", polls);
	EXPECT_OK(pasid_set_quota((uint32_t)victim,
				  TESTCONF_REDTEAM_VICTIM_DONE_QUOTA, &why),
		  &why);
}

/*
 * Issue 7, section 4: SET_QUOTA on the hypervisor's own set (DOMID_XEN)
 * is refused, with a reason, even for a control domain, and the
 * hypervisor's quota stays.  Today it succeeds; should it, the old quota
 * is put back so that nothing else in the run changes.
 */
TEST(redteam_fix, xen_quota_refused_to_privileged)
{
	const struct paddock_pasid_info *x;
	struct pasid_why why;
	uint32_t quota;
	long ret;
	int n = list();

	ASSERT_GE(n, 0);
	x = set_of(n, DOMID_XEN_SET);
	ASSERT_TRUE(x != NULL);
	quota = x->quota;
	ret = pasid_set_quota(DOMID_XEN_SET, quota + 1, &why);
	if (ret == 0) {
		FAIL("SET_QUOTA on DOMID_XEN succeeded (%u -> %u)", quota,
		     quota + 1);
		EXPECT_OK(pasid_set_quota(DOMID_XEN_SET, quota, &why), &why);
		return;
	}
	EXPECT_NE(why.code, PADDOCK_PASID_R_OK);
	EXPECT_TRUE(why.text[0] != '\0');
	if (abi_errno_of(why.code))
		EXPECT_EQ(ret, abi_errno_of(why.code));
	n = list();
	ASSERT_GE(n, 0);
	x = set_of(n, DOMID_XEN_SET);
	ASSERT_TRUE(x != NULL);
	EXPECT_EQ(x->quota, quota);
	test_note("refused: %ld %s \"%s\"", ret, pasid_reason_str(why.code),
		  why.text);
}
