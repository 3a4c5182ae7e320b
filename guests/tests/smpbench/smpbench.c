/* SPDX-License-Identifier: MIT */
/*
 * smpbench: one domain of the SMP bench (make bench; config/systems/
 * smp-bench1.c and smp-bench4.c, test images; bench/README.md,
 * "smp.hcall_alloc_free").
 *
 * Named "benchN-...", it is one of N bench domains, each on a CPU of its
 * own.  It runs two timed loops, each started together with the others'
 * (a meeting on the test board: every domain posts the loop's number on
 * the slot numbered by its domain id and waits, yielding, until slots
 * 0..N-1 all show it):
 *
 * 1. TESTCONF_SMP_BENCH_PAIRS ALLOC+FREE hypercall pairs back to back;
 * 2. as many pairs of null hypercalls (xen_version: trap, dispatch,
 *    return, no lock), the control: what the trap path alone gets from
 *    N CPUs on this machine.
 *
 * After each it prints, on one line,
 *
 *   smp-bench: kind=K domains=N dom=D pairs=P ticks=T hz=F failures=X
 *
 * K is alloc_free or null; T counter ticks for the P pairs, at F ticks a
 * second (0: the counter's rate is not known to the guest; the bench
 * script takes it from the hypervisor's log).  aarch64: the virtual
 * counter (CNTVCT_EL0, CNTFRQ_EL0; Arm ARM D11.2), which counts real time
 * under TCG and the same on every CPU; x86_64: the TSC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "testconf.h"

static uint64_t ticks(void)
{
#if defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
#endif
}

static uint64_t ticks_hz(void)
{
#if defined(__aarch64__)
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
#else
	return 0;
#endif
}

/* N from the name "benchN-...", 0 if it is not one. */
static unsigned domains_in_bench(void)
{
	const char *name = paddock_start_info->name;

	if (strncmp(name, "bench", 5) || name[5] < '1' || name[5] > '8')
		return 0;
	return (unsigned)(name[5] - '0');
}

/* Every bench domain has reached loop `loop`: the timed loops start
 * together. */
static int meet(unsigned n, unsigned loop)
{
	unsigned slot = paddock_start_info->domid;

	if (slot >= PADDOCK_TEST_SLOTS ||
	    HYPERVISOR_paddock_test_op(PADDOCK_TEST_POST, slot, loop))
		return -1;
	for (unsigned polls = 0; polls < TESTCONF_SMP_BENCH_POLLS; polls++) {
		unsigned there = 0;

		for (unsigned i = 0; i < n; i++)
			there += HYPERVISOR_paddock_test_op(PADDOCK_TEST_PEEK,
							    i, 0) >= loop;
		if (there == n)
			return 0;
		paddock_yield();
	}
	return -1;
}

static unsigned alloc_free_pairs(void)
{
	unsigned failures = 0;

	for (unsigned i = 0; i < TESTCONF_SMP_BENCH_PAIRS; i++) {
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC};

		failures += HYPERVISOR_paddock_pasid_op(&op, sizeof(op)) != 0;
		op.cmd = PADDOCK_PASID_FREE;
		failures += HYPERVISOR_paddock_pasid_op(&op, sizeof(op)) != 0;
	}
	return failures;
}

static unsigned null_pairs(void)
{
	unsigned failures = 0;

	for (unsigned i = 0; i < 2 * TESTCONF_SMP_BENCH_PAIRS; i++)
		failures += HYPERVISOR_xen_version(XENVER_version, NULL) < 0;
	return failures;
}

/* Meets the others at loop `loop`, times `pairs`, prints its line. */
static unsigned timed_loop(unsigned n, unsigned loop, const char *kind,
			   unsigned (*pairs)(void))
{
	unsigned failures;
	uint64_t t0, t1;

	if (meet(n, loop)) {
		printf("smp-bench: the other bench domains never reached loop "
		       "%u\n",
		       loop);
		return 1;
	}
	t0 = ticks();
	failures = pairs();
	t1 = ticks();
	printf("smp-bench: kind=%s domains=%u dom=%u pairs=%u ticks=%lu "
	       "hz=%lu failures=%u\n",
	       kind, n, paddock_start_info->domid, TESTCONF_SMP_BENCH_PAIRS,
	       (unsigned long)(t1 - t0), (unsigned long)ticks_hz(), failures);
	return failures;
}

int main(int argc, char **argv)
{
	unsigned n = domains_in_bench(), failures;

	(void)argc;
	(void)argv;
	if (!n) {
		printf("smp-bench: not a bench domain of a test image\n");
		return 1;
	}
	failures = timed_loop(n, 1, "alloc_free", alloc_free_pairs);
	failures += timed_loop(n, 2, "null", null_pairs);
	return failures != 0;
}
