/* SPDX-License-Identifier: MIT */
/*
 * smpcontrol: the control domain of the SMP proof (config/systems/smp.c,
 * docs/guests.md "The SMP proof"); privileged.
 *
 * While the workers churn on their CPUs it keeps changing their quotas:
 * every round it LISTs every set, checks each row (below), and sets each
 * unprivileged domain's quota to the next of TESTCONF_SMP_QUOTAS, then
 * yields.  It stops when every worker it saw in the first LIST is done:
 * its set is gone (or dying), or it posted on the test board's slot
 * numbered by its domain id (a worker does so just before it powers off,
 * the crasher just before it faults).  Whether their PASIDs were all
 * reclaimed is the hypervisor's end-of-run check (hypervisor/test/
 * testop.c), not this domain's: it need not wait for the teardowns.
 *
 * Each LIST row must hold together: one row per domain, bound and parked
 * within allocated, peak at least allocated, no more allocated than the
 * largest quota ever given, the system's PASID width, and the quota it
 * set last for that domain (only it sets quotas).  A SET_QUOTA may race
 * with a worker's exit: then it is refused with NO_DOMAIN, which it
 * counts, and the next LIST must no longer show that set alive.
 *
 * At the end it prints its tallies on one line for scripts/smp-judge.py:
 *
 *   smp-tally: name=N dom=D lists=L set_quotas=S refusals=R errors=E
 *              pasid_ops=P rounds=K failures=X
 *
 * (errors: every hypercall that failed, its refusals and the board's
 * answers that a worker had not posted yet).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pasid_check.h"
#include "testconf.h"

#define MAX_SETS 40 /* PASID_MAX_SETS is 32, plus the hypervisor's */

static const uint32_t quotas[] = TESTCONF_SMP_QUOTAS;
#define NQUOTAS (sizeof(quotas) / sizeof(quotas[0]))

static struct {
	unsigned long lists, set_quotas, refusals, pasid_ops, rounds;
	unsigned long errors; /* failed hypercalls: refusals, PEEK misses */
	unsigned long failures;
} t;

/* By domain id: the quota it set last (known), or that the set was
 * found gone.  Domain ids of sets are below 32 (PASID_MAX_SETS). */
#define MAX_DOMID 64
static struct {
	bool known, gone;
	uint32_t quota;
} want[MAX_DOMID];

static struct paddock_pasid_info sets[MAX_SETS];
static uint32_t nsets, bits;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			t.failures++;                                          \
			test_fail(__FILE__, __LINE__, __VA_ARGS__);            \
			return false;                                          \
		}                                                              \
	} while (0)

static bool is_worker(const struct paddock_pasid_info *s)
{
	return s->domain != DOMID_XEN &&
	       !(s->flags & PADDOCK_PASID_INFO_PRIVILEGED);
}

static bool list_sets(void)
{
	struct pasid_why why;
	uint32_t count = 0;
	long ret = pasid_list(sets, MAX_SETS, &count, &why);

	t.pasid_ops++;
	t.lists++;
	CHECK(ret == 0, "round %lu: LIST: %ld %s \"%s\"", t.rounds, ret,
	      pasid_reason_str(why.code), why.text);
	CHECK(count <= MAX_SETS, "LIST counts %u sets", count);
	nsets = count;
	return true;
}

/* One LIST row, against the others and what this domain set. */
static bool row_holds(uint32_t i)
{
	const struct paddock_pasid_info *s = &sets[i];

	for (uint32_t j = 0; j < i; j++)
		CHECK(sets[j].domain != s->domain,
		      "round %lu: LIST shows domain %u twice", t.rounds,
		      s->domain);
	CHECK(s->bound + s->parked <= s->allocated && s->peak >= s->allocated,
	      "round %lu: domain %u: allocated %u bound %u parked %u peak %u",
	      t.rounds, s->domain, s->allocated, s->bound, s->parked, s->peak);
	CHECK(s->pasid_bits == bits,
	      "round %lu: domain %u: %u-bit PASIDs, "
	      "not %u",
	      t.rounds, s->domain, s->pasid_bits, bits);
	if (!is_worker(s))
		return true;
	CHECK(s->domain < MAX_DOMID, "round %lu: LIST shows domain %u",
	      t.rounds, s->domain);
	CHECK(!want[s->domain].gone || (s->flags & PADDOCK_PASID_INFO_DYING),
	      "round %lu: domain %u alive in LIST after SET_QUOTA found none",
	      t.rounds, s->domain);
	CHECK(s->allocated <= TESTCONF_SMP_QUOTA_MAX,
	      "round %lu: domain %u holds %u PASIDs; no quota was above %d",
	      t.rounds, s->domain, s->allocated, TESTCONF_SMP_QUOTA_MAX);
	CHECK(s->quota == (want[s->domain].known ? want[s->domain].quota
						 : TESTCONF_SMP_WORKER_QUOTA),
	      "round %lu: domain %u has quota %u, it was set to %u", t.rounds,
	      s->domain, s->quota,
	      want[s->domain].known ? want[s->domain].quota
				    : TESTCONF_SMP_WORKER_QUOTA);
	return true;
}

/* A worker's new quota; a set gone meanwhile refuses it (NO_DOMAIN). */
static bool set_quota(uint16_t domain, uint32_t quota)
{
	struct pasid_why why;
	long ret = pasid_set_quota(domain, quota, &why);

	t.pasid_ops++;
	if (ret == 0) {
		t.set_quotas++;
		want[domain].known = true;
		want[domain].quota = quota;
		return true;
	}
	CHECK(ret == -XEN_ESRCH && why.code == PADDOCK_PASID_R_NO_DOMAIN,
	      "round %lu: SET_QUOTA(%u, %u): %ld %s \"%s\"", t.rounds, domain,
	      quota, ret, pasid_reason_str(why.code), why.text);
	t.refusals++;
	t.errors++;
	want[domain].gone = true;
	return true;
}

/* By domain id: a worker of the first LIST, alive (and not dying) in the
 * last one. */
static bool seen[MAX_DOMID], alive[MAX_DOMID];

/* One round: LIST, check every row, new quotas.  *left: workers alive. */
static bool one_round(unsigned *left)
{
	uint32_t quota = quotas[t.rounds % NQUOTAS];

	*left = 0;
	if (!list_sets())
		return false;
	for (uint32_t i = 0; i < nsets; i++) {
		if (!row_holds(i))
			return false;
	}
	for (unsigned d = 0; d < MAX_DOMID; d++)
		alive[d] = false;
	for (uint32_t i = 0; i < nsets; i++) {
		if (!is_worker(&sets[i]) ||
		    (sets[i].flags & PADDOCK_PASID_INFO_DYING))
			continue;
		(*left)++;
		alive[sets[i].domain] = true;
		if (t.rounds == 0)
			seen[sets[i].domain] = true;
		if (!set_quota(sets[i].domain, quota))
			return false;
		quota = quotas[(t.rounds + i + 1) % NQUOTAS];
	}
	return true;
}

/* Every worker of the first LIST is gone or said it is done. */
static bool workers_done(void)
{
	for (unsigned d = 0; d < MAX_DOMID; d++) {
		if (!seen[d] || !alive[d])
			continue;
		if (d >= PADDOCK_TEST_SLOTS ||
		    HYPERVISOR_paddock_test_op(PADDOCK_TEST_PEEK, d, 0) < 0) {
			t.errors += d < PADDOCK_TEST_SLOTS;
			return false;
		}
	}
	return true;
}

/* Its own figures: every refusal it met was counted against it. */
static bool own_view_matches(void)
{
	struct paddock_pasid_info q;
	struct pasid_why why;
	long ret = pasid_query(&q, &why);

	t.pasid_ops++;
	CHECK(ret == 0, "QUERY: %ld %s", ret, pasid_reason_str(why.code));
	CHECK(q.refusals == t.refusals && q.allocated == 0,
	      "QUERY: %u refusals, %u allocated; it was refused %lu times",
	      q.refusals, q.allocated, t.refusals);
	return true;
}

TEST(smpcontrol, quotas_change_until_workers_done)
{
	unsigned left = 0, most = 0;
	struct paddock_pasid_info q;
	struct pasid_why why;

	ASSERT_OK(pasid_query(&q, &why), &why);
	t.pasid_ops++;
	bits = q.pasid_bits;
	for (t.rounds = 0; t.rounds < TESTCONF_SMP_CONTROL_ROUNDS; t.rounds++) {
		if (!one_round(&left))
			return;
		if (left > most)
			most = left;
		if (workers_done())
			break;
		paddock_yield();
	}
	ASSERT_LT(t.rounds, TESTCONF_SMP_CONTROL_ROUNDS);
	/* Every worker and the crasher were there to start with. */
	EXPECT_EQ(most, TESTCONF_SMP_UNPRIVILEGED);
	EXPECT_GE(t.set_quotas, TESTCONF_SMP_UNPRIVILEGED * NQUOTAS);
	test_note("%lu rounds, %lu quota changes, up to %u workers, %u left "
		  "at the end",
		  t.rounds, t.set_quotas, most, left);
}

TEST(smpcontrol, own_view)
{
	own_view_matches();
}

int main(int argc, char **argv)
{
	int rc;

	(void)argc;
	(void)argv;
	rc = test_run_all();
	printf("smp-tally: name=%s dom=%u lists=%lu set_quotas=%lu "
	       "refusals=%lu errors=%lu pasid_ops=%lu rounds=%lu "
	       "failures=%lu\n",
	       paddock_start_info->name, paddock_start_info->domid, t.lists,
	       t.set_quotas, t.refusals, t.errors, t.pasid_ops, t.rounds,
	       t.failures);
	fflush(stdout);
	return rc;
}
