/* SPDX-License-Identifier: MIT */
/*
 * smpworker: a worker of the SMP proof (config/systems/smp.c, docs/guests.md
 * "The SMP proof").  Several run at once, each on a CPU of its own, while
 * a control domain keeps changing their quotas.
 *
 * Round after round, as fast as it can, it allocates 1 to
 * TESTCONF_SMP_HOLD_MAX PASIDs, sometimes enough to take a second chunk
 * from the shared pool (refusals for quota are legitimate: it counts
 * them), gives each a cookie, binds each to its device when it has one,
 * frees one of them while bound (parked behind its binding) and unbinds
 * it (recycled), unbinds the rest, reads each cookie back and frees them. After
 * EVERY step it asks QUERY and checks that the manager's view of its set is
 * exactly what it did and saw: allocated, bound, parked, peak, refusals (all of
 * them for quota), no faults, and a quota the control domain may have set.
 *
 * At the end it prints its tallies on two machine-readable lines, which
 * scripts/smp-judge.py compares with the hypervisor's figures for this
 * domain:
 *
 *   smp-tally: name=N dom=D allocs=A frees=F binds=B unbinds=U
 *              refusals=R errors=E pasid_ops=P
 *   smp-tally: name=N queries=Q peak=K held=H bound=B parked=P
 *              quotas_seen=S two_chunks=C failures=X
 *
 * (each on one line; errors: every hypercall of its own that failed,
 * which are its refusals; two_chunks: rounds it held more than 16),
 * then its tests' verdicts, posts on the test board's slot
 * numbered by its domain id (the control domain's sign that it is done)
 * and powers off holding nothing.
 *
 * Named "crasher", it runs TESTCONF_SMP_CRASH_ROUND rounds (and more,
 * like a worker, until its run overlapped the others'), takes three PASIDs
 * (one bound, one parked behind its binding, one plain), prints its
 * tallies, posts on the board and then faults on purpose: the hypervisor
 * must kill it and reclaim its PASIDs while the others keep running on
 * their CPUs.
 * The system marks it expect_crash; like guests/tests/crash, a crasher whose
 * checks failed powers off instead, so that the run fails.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pasid_check.h"
#include "testconf.h"

static const uint32_t quotas[] = TESTCONF_SMP_QUOTAS;
static const uint32_t round_holds[] = TESTCONF_SMP_HOLDS;

/* What this domain did and saw. */
static struct tally {
	unsigned long allocs, frees, binds, unbinds, refusals;
	unsigned long pasid_ops, queries, failures;
	unsigned long
		two_chunks; /* rounds it held more than one chunk's worth */
	uint32_t peak;
	uint32_t quotas_seen; /* bit i: quotas[i] seen; bit 31: the first */
} t;

/* What it holds now: pasid[0..n), each allocated, bound or parked. */
enum held_state { HELD_PLAIN, HELD_BOUND, HELD_PARKED };
static struct {
	uint32_t pasid[TESTCONF_SMP_HOLD_MAX];
	uint64_t cookie[TESTCONF_SMP_HOLD_MAX];
	enum held_state state[TESTCONF_SMP_HOLD_MAX];
	uint32_t n, nbound, nparked;
} h;

static uint32_t device; /* devices[0], when it has one */
static bool has_device;
static const char *step; /* the step the next check follows */
static unsigned long round_no;

static bool is_crasher(void)
{
	return !strcmp(paddock_start_info->name, "crasher");
}

/* A failed check: one FAIL for the running test (its first), counted. */
#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			t.failures++;                                          \
			test_fail(__FILE__, __LINE__, __VA_ARGS__);            \
			return false;                                          \
		}                                                              \
	} while (0)

/* Every PASID call goes through here, so pasid_ops counts them all. */
static long counted(long ret)
{
	t.pasid_ops++;
	return ret;
}

static bool quota_allowed(uint32_t q)
{
	if (q == TESTCONF_SMP_WORKER_QUOTA) {
		t.quotas_seen |= 1u << 31;
		return true;
	}
	for (unsigned i = 0; i < sizeof(quotas) / sizeof(quotas[0]); i++) {
		if (quotas[i] == q) {
			t.quotas_seen |= 1u << i;
			return true;
		}
	}
	return false;
}

/* QUERY after a step: the manager's figures must be what this domain did. */
static bool view_matches(void)
{
	struct paddock_pasid_info q;
	struct pasid_why why;
	long ret = counted(pasid_query(&q, &why));

	t.queries++;
	CHECK(ret == 0, "round %lu, after %s: QUERY failed: %ld %s \"%s\"",
	      round_no, step, ret, pasid_reason_str(why.code), why.text);
	CHECK(q.domain == paddock_start_info->domid && q.allocated == h.n &&
		      q.bound == h.nbound && q.parked == h.nparked &&
		      q.peak == t.peak,
	      "round %lu, after %s: QUERY says domain %u allocated %u bound "
	      "%u parked %u peak %u; it did: domain %u allocated %u bound %u "
	      "parked %u peak %u",
	      round_no, step, q.domain, q.allocated, q.bound, q.parked, q.peak,
	      paddock_start_info->domid, h.n, h.nbound, h.nparked, t.peak);
	CHECK(q.refusals == t.refusals && q.refusals_quota == t.refusals,
	      "round %lu, after %s: QUERY counts %u refusals (%u for quota); "
	      "it was refused %lu times, all for quota",
	      round_no, step, q.refusals, q.refusals_quota, t.refusals);
	CHECK(q.faults == 0 && q.faults_suppressed == 0,
	      "round %lu, after %s: %u faults (%u suppressed) without DMA",
	      round_no, step, q.faults, q.faults_suppressed);
	CHECK(quota_allowed(q.quota),
	      "round %lu, after %s: quota %u is none the control domain sets",
	      round_no, step, q.quota);
	return true;
}

/* A refused ALLOC: for quota, and the text names what it holds. */
static bool quota_refusal(long ret, const struct pasid_why *why)
{
	unsigned dom = 0, holds = 0, quota = 0, parked = 0;

	CHECK(ret == -XEN_EMFILE && why->code == PADDOCK_PASID_R_QUOTA,
	      "round %lu: ALLOC refused with %ld %s \"%s\", not for quota",
	      round_no, ret, pasid_reason_str(why->code), why->text);
	CHECK(sscanf(why->text,
		     "quota exhausted: domain %u holds %u/%u PASIDs (%u "
		     "parked)",
		     &dom, &holds, &quota, &parked) == 4,
	      "round %lu: quota refusal text \"%s\"", round_no, why->text);
	CHECK(dom == paddock_start_info->domid && holds == h.n &&
		      parked == h.nparked && quota <= holds &&
		      quota_allowed(quota),
	      "round %lu: refused as \"%s\" while holding %u (%u parked)",
	      round_no, why->text, h.n, h.nparked);
	t.refusals++;
	return true;
}

/* Allocates until it holds `want`, or the quota says no. */
static bool alloc_upto(uint32_t want)
{
	while (h.n < want) {
		struct pasid_why why;
		uint32_t p;
		long ret = counted(pasid_alloc(&p, &why));

		step = "ALLOC";
		if (ret) {
			if (!quota_refusal(ret, &why))
				return false;
			return view_matches();
		}
		h.pasid[h.n] = p;
		h.cookie[h.n] = (uint64_t)paddock_start_info->domid << 48 |
				(uint64_t)round_no << 8 | h.n;
		h.state[h.n] = HELD_PLAIN;
		h.n++;
		t.allocs++;
		if (h.n > t.peak)
			t.peak = h.n;
		if (!view_matches())
			return false;
		ret = counted(pasid_set_data(p, h.cookie[h.n - 1], &why));
		step = "SET_DATA";
		CHECK(ret == 0,
		      "round %lu: SET_DATA of PASID %u: %ld %s \"%s\"",
		      round_no, p, ret, pasid_reason_str(why.code), why.text);
		if (!view_matches())
			return false;
	}
	return true;
}

static bool bind_one(uint32_t i)
{
	struct pasid_why why;
	long ret = counted(pasid_bind(h.pasid[i], device,
				      PADDOCK_BIND_SECOND_LEVEL, 0, &why));

	step = "BIND";
	CHECK(ret == 0, "round %lu: BIND of PASID %u to %#x: %ld %s \"%s\"",
	      round_no, h.pasid[i], device, ret, pasid_reason_str(why.code),
	      why.text);
	h.state[i] = HELD_BOUND;
	h.nbound++;
	t.binds++;
	return view_matches();
}

/* Drops held[i] from the list (the last one takes its place). */
static void forget(uint32_t i)
{
	h.n--;
	h.pasid[i] = h.pasid[h.n];
	h.cookie[i] = h.cookie[h.n];
	h.state[i] = h.state[h.n];
}

/* UNBIND: a bound PASID stays allocated; a parked one is gone (its
 * binding held its last reference). */
static bool unbind_one(uint32_t i)
{
	struct pasid_why why;
	long ret = counted(pasid_unbind(h.pasid[i], device, &why));

	step = h.state[i] == HELD_PARKED ? "UNBIND of a parked PASID"
					 : "UNBIND";
	CHECK(ret == 0, "round %lu: %s of PASID %u: %ld %s \"%s\"", round_no,
	      step, h.pasid[i], ret, pasid_reason_str(why.code), why.text);
	t.unbinds++;
	if (h.state[i] == HELD_PARKED) {
		h.nparked--;
		forget(i);
	} else {
		h.nbound--;
		h.state[i] = HELD_PLAIN;
	}
	return view_matches();
}

/* Its cookie back, then FREE: an unbound PASID is gone, a bound one
 * parked behind its binding (still charged). */
static bool free_one(uint32_t i)
{
	struct pasid_why why;
	uint64_t cookie = 0;
	long ret = counted(pasid_get_data(h.pasid[i], &cookie, &why));

	step = "GET_DATA";
	CHECK(ret == 0 && cookie == h.cookie[i],
	      "round %lu: GET_DATA of PASID %u: %ld, cookie %#lx, set %#lx",
	      round_no, h.pasid[i], ret, (unsigned long)cookie,
	      (unsigned long)h.cookie[i]);
	ret = counted(pasid_free(h.pasid[i], &why));
	step = h.state[i] == HELD_BOUND ? "FREE of a bound PASID" : "FREE";
	CHECK(ret == 0, "round %lu: %s of PASID %u: %ld %s \"%s\"", round_no,
	      step, h.pasid[i], ret, pasid_reason_str(why.code), why.text);
	t.frees++;
	if (h.state[i] == HELD_BOUND) {
		h.nbound--;
		h.nparked++;
		h.state[i] = HELD_PARKED;
	} else {
		forget(i);
	}
	return view_matches();
}

/* Lets go of everything it holds, whatever the state of each. */
static bool release_all(void)
{
	while (h.n) {
		uint32_t i = h.n - 1;

		if (h.state[i] != HELD_PLAIN) {
			if (!unbind_one(i))
				return false;
		} else if (!free_one(i)) {
			return false;
		}
	}
	return true;
}

/*
 * One round: hold TESTCONF_SMP_HOLDS[round] PASIDs (or what the quota
 * allows), bind them all; on odd rounds free the last one while bound
 * (parked) and then unbind it (gone); let go of the rest.
 */
static bool one_round(void)
{
	uint32_t want = round_holds[round_no % (sizeof(round_holds) /
						sizeof(round_holds[0]))];

	if (!alloc_upto(want))
		return false;
	t.two_chunks += h.n > 16;
	for (uint32_t i = 0; has_device && i < h.n; i++) {
		if (!bind_one(i))
			return false;
	}
	if (has_device && h.n && round_no % 2 && !free_one(h.n - 1))
		return false;
	return release_all();
}

static bool run_rounds(unsigned long rounds)
{
	for (; round_no < rounds; round_no++) {
		if (!one_round())
			return false;
	}
	return true;
}

/* Two lines, each within the hypervisor's console line (200 bytes). */
static void print_tally(void)
{
	const struct paddock_start_info *si = paddock_start_info;

	printf("smp-tally: name=%s dom=%u allocs=%lu frees=%lu binds=%lu "
	       "unbinds=%lu refusals=%lu errors=%lu pasid_ops=%lu\n",
	       si->name, si->domid, t.allocs, t.frees, t.binds, t.unbinds,
	       t.refusals, t.refusals, t.pasid_ops);
	printf("smp-tally: name=%s queries=%lu peak=%u held=%u bound=%u "
	       "parked=%u quotas_seen=%u two_chunks=%lu failures=%lu\n",
	       si->name, t.queries, t.peak, h.n, h.nbound, h.nparked,
	       (unsigned)__builtin_popcount(t.quotas_seen), t.two_chunks,
	       t.failures);
	fflush(stdout);
}

static bool start(void)
{
	const struct paddock_start_info *si = paddock_start_info;

	has_device = si->ndevices > 0;
	device = has_device ? si->devices[0] : 0;
	step = "start";
	return view_matches();
}

/*
 * The run overlapped the others': it saw the control domain change its
 * quota (three quotas), and held a second chunk of the pool at least once.
 */
static bool overlapped(void)
{
	return __builtin_popcount(t.quotas_seen) >= 3 && t.two_chunks > 0;
}

/*
 * `rounds` rounds, then more until the run overlapped the others' (a
 * worker whose quota stays at 0 races through its rounds while the
 * control domain waits for its CPU), at most TESTCONF_SMP_ROUNDS_MAX in
 * all.
 */
static bool churn(unsigned long rounds)
{
	if (!start() || !run_rounds(rounds))
		return false;
	while (!overlapped() && round_no < TESTCONF_SMP_ROUNDS_MAX) {
		if (!one_round())
			return false;
		round_no++;
	}
	return true;
}

TEST(smpworker, churn)
{
	if (!churn(TESTCONF_SMP_ROUNDS))
		return;
	test_note("%lu rounds: %lu ALLOCs (%lu refused for quota), "
		  "%lu BINDs, %lu FREEs, %lu PASID calls",
		  round_no, t.allocs, t.refusals, t.binds, t.frees,
		  t.pasid_ops);
}

/* The control domain changed its quota while it ran: the runs overlapped. */
TEST(smpworker, saw_quota_changes)
{
	EXPECT_TRUE(overlapped());
	test_note("%d quotas seen, %lu rounds with a second chunk",
		  __builtin_popcount(t.quotas_seen), t.two_chunks);
}

/* However the churn ended, it lets go of everything and says so. */
TEST(smpworker, holds_nothing)
{
	if (!release_all())
		return;
	step = "the end";
	view_matches();
}

/*
 * The crasher's holdings: three PASIDs, one plain, one bound, one parked
 * behind its binding (one of each without a device: three plain).
 */
static bool take_crash_holdings(void)
{
	unsigned polls = 0;

	while (h.n < 3) {
		if (!alloc_upto(3))
			return false;
		if (h.n < 3) {
			step = "waiting for a quota of 3";
			CHECK(++polls < TESTCONF_SMP_CRASH_POLLS,
			      "no quota of 3 after %u yields", polls);
			paddock_yield();
		}
	}
	if (!has_device)
		return true;
	return bind_one(1) && bind_one(2) && free_one(2);
}

/* A write to hypervisor memory (a stage-2 or page fault), else an
 * undefined instruction: either kills the domain. */
static __attribute__((noreturn)) void fault_now(void)
{
	const struct paddock_start_info *si = paddock_start_info;

	printf("smp-crash: holding %u PASIDs (%u bound, %u parked); writing "
	       "to %#lx now\n",
	       h.n, h.nbound, h.nparked, (unsigned long)si->probe_hv_addr);
	fflush(stdout);
	if (si->probe_hv_addr)
		*(volatile uint64_t *)(uintptr_t)si->probe_hv_addr = 0xbad;
	printf("smp-crash: the write did not fault; trapping\n");
	fflush(stdout);
	__builtin_trap();
}

/* Tells the control domain it is done: the test board's slot numbered
 * by its domain id (smpcontrol; nothing outside a test image). */
static void say_done(void)
{
	HYPERVISOR_paddock_test_op(PADDOCK_TEST_POST, paddock_start_info->domid,
				   1);
}

static int crash_midway(void)
{
	if (churn(TESTCONF_SMP_CRASH_ROUND) && take_crash_holdings()) {
		print_tally();
		say_done();
		fault_now();
	}
	/* Any crash passes for this domain: a failed check must not end in
	 * one, so it powers off and the run fails. */
	print_tally();
	printf("smp-crash: a check failed; powering off instead of "
	       "crashing\n");
	fflush(stdout);
	paddock_shutdown(SHUTDOWN_poweroff);
}

int main(int argc, char **argv)
{
	int rc;

	(void)argc;
	(void)argv;
	if (is_crasher())
		return crash_midway();
	rc = test_run_all();
	print_tally();
	say_done();
	return rc;
}
