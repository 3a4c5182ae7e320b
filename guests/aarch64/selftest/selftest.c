/* SPDX-License-Identifier: MIT */
/*
 * The arm64 platform self-test and red team: one image in several roles,
 * picked by domain name (config/systems/aarch64/arm64-selftest.c).
 *
 *   selftest       the tests below: the hypercall convention, what a
 *                  domain may do at EL1, and that its registers are its
 *                  own across preemption by domains that use the same
 *                  registers (fp-noise)
 *   fp-noise       fills the FP/SIMD and EL1 thread registers with its
 *                  own pattern, over and over, yielding in between
 *   spin-forever   masks its interrupts and never yields: only the EL2
 *                  timer can take the CPU from it
 *   fault-*        each does one thing a domain must die for, alone, with
 *                  the reason printed (suite-arm64-selftest checks it)
 *   bench          instructions per PASID ALLOC+FREE round trip and per
 *                  refused hypercall (make bench, under -icount shift=0)
 */
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "test.h"

#define FP_PATTERN_SELF	 0x5e1f7e5700000000ull
#define FP_PATTERN_NOISE 0x0badf00d00000000ull
#define GICD_IPA	 0x08000000ull /* the virt machine's distributor */

/*
 * Fills q0-q31 with pattern | n, yields `yields` times, and stores them
 * back into q[64]: all in one asm statement, because compiled code may
 * use any caller-saved FP/SIMD register (AAPCS64 6.1.2) and only the
 * hypervisor must not.
 */
static void fp_across_yields(uint64_t pattern, unsigned yields, uint64_t *q)
{
	register uint64_t x0 __asm__("x0");
	register uint64_t x1 __asm__("x1");
	register uint64_t x16 __asm__("x16");

	__asm__ volatile(
#define FILL(n)                                                                \
	"add x9, %[p], #" #n "\n fmov d" #n ", x9\n fmov v" #n ".d[1], x9\n"
		FILL(0) FILL(1) FILL(2) FILL(3) FILL(4) FILL(5) FILL(6) FILL(
			7) FILL(8) FILL(9) FILL(10) FILL(11) FILL(12) FILL(13)
			FILL(14) FILL(15) FILL(16) FILL(17) FILL(18) FILL(
				19) FILL(20) FILL(21) FILL(22) FILL(23) FILL(24)
				FILL(25) FILL(26) FILL(27) FILL(28) FILL(29)
					FILL(30) FILL(31)
#undef FILL
						"1: cbz %w[n], 2f\n"
						"mov x16, #29\n mov x0, #0\n "
						"mov x1, #0\n hvc #0xEA1\n"
						"sub %w[n], %w[n], #1\n b 1b\n"
						"2: stp q0, q1, [%[q], #0]\n "
						"stp q2, q3, [%[q], #32]\n"
						"stp q4, q5, [%[q], #64]\n stp "
						"q6, q7, [%[q], #96]\n"
						"stp q8, q9, [%[q], #128]\n "
						"stp q10, q11, [%[q], #160]\n"
						"stp q12, q13, [%[q], #192]\n "
						"stp q14, q15, [%[q], #224]\n"
						"stp q16, q17, [%[q], #256]\n "
						"stp q18, q19, [%[q], #288]\n"
						"stp q20, q21, [%[q], #320]\n "
						"stp q22, q23, [%[q], #352]\n"
						"stp q24, q25, [%[q], #384]\n "
						"stp q26, q27, [%[q], #416]\n"
						"stp q28, q29, [%[q], #448]\n "
						"stp q30, q31, [%[q], #480]\n"
		: [n] "+r"(yields), "=r"(x0), "=r"(x1), "=r"(x16)
		: [p] "r"(pattern), [q] "r"(q)
		: "x2", "x3", "x4", "x9", "memory", "v0", "v1", "v2", "v3",
		  "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12",
		  "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21",
		  "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30",
		  "v31");
}

/* How many of the 32 registers no longer held pattern | n. */
static unsigned fp_mismatches(uint64_t pattern, unsigned yields)
{
	uint64_t q[64];
	unsigned bad = 0;

	fp_across_yields(pattern, yields, q);
	for (unsigned i = 0; i < 32; i++)
		bad += q[2 * i] != (pattern | i) ||
		       q[2 * i + 1] != (pattern | i);
	return bad;
}

static void yield_n(unsigned n)
{
	while (n--)
		paddock_yield();
}

TEST(arm64, start_info)
{
	const struct paddock_start_info *s = paddock_start_info;

	EXPECT_EQ(s->mem_base, PADDOCK_A64_GUEST_BASE);
	EXPECT_EQ((uint64_t)(uintptr_t)s, s->mem_base + s->mem_size - 4096);
	EXPECT_EQ(s->magic, PADDOCK_START_MAGIC);
}

TEST(arm64, hypercall_convention)
{
	struct paddock_pasid_info q;
	struct pasid_why why;
	uint32_t pasid;

	ASSERT_EQ(pasid_query(&q, &why), 0);
	ASSERT_NE(q.range_hi, 0u); /* the systems give it a range */
	ASSERT_EQ(pasid_alloc(&pasid, &why), 0);
	EXPECT_GE(pasid, q.range_lo);
	EXPECT_LE(pasid, q.range_hi);
	EXPECT_EQ(pasid_free(pasid, &why), 0);
}

/* Another immediate (a PSCI call, KVM's ABI) is refused, not fatal. */
TEST(arm64, other_hvc_refused)
{
	register uint64_t x0 __asm__("x0") = 0x84000008; /* SYSTEM_OFF */

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	EXPECT_EQ((long)x0, -38 /* -XEN_ENOSYS */);
}

TEST(arm64, wfi_returns)
{
	__asm__ volatile("wfi");
	__asm__ volatile("wfe");
}

TEST(arm64, counter_readable)
{
	uint64_t a, b;

	__asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(a));
	yield_n(2);
	__asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(b));
	EXPECT_GT(b, a);
}

/* fp-noise runs between the fill and the check, with its own values. */
TEST(arm64, fp_registers_are_ours)
{
	EXPECT_EQ(fp_mismatches(FP_PATTERN_SELF, 20), 0u);
}

TEST(arm64, el1_registers_are_ours)
{
	uint64_t tp0 = 0x7e57000000000001ull, tp1 = 0x7e57000000000002ull;
	uint64_t got0, got1, ctx;

	__asm__ volatile("msr tpidr_el0, %0\n msr tpidr_el1, %1\n"
			 "msr contextidr_el1, %2"
			 :
			 : "r"(tp0), "r"(tp1), "r"(0x5e1full));
	yield_n(20);
	__asm__ volatile("mrs %0, tpidr_el0\n mrs %1, tpidr_el1\n"
			 "mrs %2, contextidr_el1"
			 : "=r"(got0), "=r"(got1), "=r"(ctx));
	EXPECT_EQ(got0, tp0);
	EXPECT_EQ(got1, tp1);
	EXPECT_EQ(ctx, 0x5e1fu);
}

static void fp_noise(void)
{
	for (unsigned round = 0; round < 200; round++) {
		uint64_t tp = FP_PATTERN_NOISE | round;

		__asm__ volatile("msr tpidr_el0, %0\n msr tpidr_el1, %0\n"
				 "msr contextidr_el1, %0"
				 :
				 : "r"(tp));
		if (fp_mismatches(FP_PATTERN_NOISE, 1)) {
			printf("fp-noise: another domain's FP/SIMD values "
			       "leaked in\n");
			exit(1);
		}
	}
}

static void spin_forever(void)
{
	volatile uint64_t laps = 0;

	__asm__ volatile("msr daifset, #0xf");
	printf("spin-forever: interrupts masked, never yielding\n");
	fflush(stdout);
	for (;;)
		laps++;
}

/* Each does one thing that must end this domain alone. */
static void fault(const char *what)
{
	const struct paddock_start_info *s = paddock_start_info;

	printf("%s: trying it\n", what);
	fflush(stdout);
	if (!strcmp(what, "fault-smc"))
		__asm__ volatile("smc #0");
	else if (!strcmp(what, "fault-sysreg"))
		__asm__ volatile("mrs x0, pmcr_el0" ::: "x0");
	else if (!strcmp(what, "fault-timer"))
		__asm__ volatile("msr cntp_ctl_el0, %0" : : "r"(1ull));
	else if (!strcmp(what, "fault-gic-sysreg"))
		__asm__ volatile("msr s3_0_c4_c6_0, %0"
				 :
				 : "r"(0ull)); /* ICC_PMR_EL1 */
	else if (!strcmp(what, "fault-gic-mmio"))
		*(volatile uint32_t *)(uintptr_t)GICD_IPA = 0;
	else if (!strcmp(what, "fault-hv"))
		*(volatile uint64_t *)(uintptr_t)s->probe_hv_addr = 0;
	else if (!strcmp(what, "fault-other"))
		*(volatile uint64_t *)(uintptr_t)s->probe_other_addr = 0;
	else if (!strcmp(what, "fault-text"))
		*(volatile uint32_t *)(uintptr_t)&fault = 0xd503201f;
	else if (!strcmp(what, "fault-udf"))
		__asm__ volatile("udf #0");
	else if (!strcmp(what, "fault-pc-align"))
		__asm__ volatile(
			"adr x0, 1f\n add x0, x0, #2\n br x0\n1: nop" ::
				: "x0");
	else if (!strcmp(what, "fault-eret"))
		/* SPSR_EL1 naming EL2: an illegal exception return. */
		__asm__ volatile(
			"mov x0, #0x3c9\n msr spsr_el1, x0\n"
			"adr x0, 1f\n msr elr_el1, x0\n eret\n1: nop" ::
				: "x0");
	else if (!strcmp(what, "fault-pauth"))
		__asm__ volatile(".arch_extension pauth\n pacga x0, x1, x2" ::
					 : "x0");
	else if (!strcmp(what, "fault-sve"))
		__asm__ volatile(".arch_extension sve\n rdvl x0, #1" ::: "x0");
	printf("%s: still running: not refused\n", what);
	exit(1);
}

/*
 * Under -icount shift=0 one instruction is 1 ns of virtual time, and the
 * generic counter counts virtual time at CNTFRQ_EL0: counter deltas give
 * instruction counts.  A loop of known length checks that before any
 * figure is believed; the minimum of several batches drops those a timer
 * tick fell into.
 */
static uint64_t counter_ns(void)
{
	uint64_t t, f;

	__asm__ volatile("isb\n mrs %0, cntvct_el0\n mrs %1, cntfrq_el0"
			 : "=r"(t), "=r"(f));
	return t * (1000000000ull / f);
}

static uint64_t timed_loop(uint64_t iterations)
{
	uint64_t t0 = counter_ns();

	/* Two instructions an iteration. */
	__asm__ volatile("1: subs %0, %0, #1\n b.ne 1b"
			 : "+r"(iterations)
			 :
			 : "cc");
	return counter_ns() - t0;
}

static uint64_t best_of(unsigned rounds, unsigned batch, bool roundtrip)
{
	uint64_t best = ~0ull;

	for (unsigned r = 0; r < rounds; r++) {
		uint64_t t0 = counter_ns(), d;

		for (unsigned i = 0; i < batch; i++) {
			if (roundtrip) {
				struct paddock_pasid_op op = {
					.cmd = PADDOCK_PASID_ALLOC};

				HYPERVISOR_paddock_pasid_op(&op, sizeof(op));
				op.cmd = PADDOCK_PASID_FREE;
				HYPERVISOR_paddock_pasid_op(&op, sizeof(op));
			} else {
				_hypercall0(4000); /* refused at once */
			}
		}
		d = (counter_ns() - t0) / batch;
		if (d < best)
			best = d;
	}
	return best;
}

/*
 * BIND + UNBIND of one PASID on the domain's first device, second level:
 * two hypercalls, the manager, the SMMUv3 driver writing the CD, and the
 * CFGI_CD / TLBI_NH_ASID commands with their CMD_SYNCs, which QEMU's SMMU
 * completes before the call returns (docs/smmuv3.md).
 */
static void bench_bind_unbind(unsigned rounds, unsigned batch)
{
	const struct paddock_start_info *s = paddock_start_info;
	struct pasid_why why;
	uint64_t best = ~0ull;
	uint32_t p;

	if (!s->ndevices || pasid_alloc(&p, &why))
		return;
	for (unsigned r = 0; r < rounds; r++) {
		uint64_t t0 = counter_ns(), d;

		for (unsigned i = 0; i < batch; i++) {
			pasid_bind(p, s->devices[0], PADDOCK_BIND_SECOND_LEVEL,
				   0, NULL);
			pasid_unbind(p, s->devices[0], NULL);
		}
		d = (counter_ns() - t0) / batch;
		if (d < best)
			best = d;
	}
	pasid_free(p, &why);
	printf("bench: smmuv3.bind_unbind.instr %lu instr\n",
	       (unsigned long)best);
}

static int bench(void)
{
	uint64_t loop = ~0ull;

	for (unsigned r = 0; r < 16; r++) {
		uint64_t d = timed_loop(1000000);

		if (d < loop)
			loop = d;
	}
	printf("bench-check: 2000000-instruction loop measured %lu ns\n",
	       (unsigned long)loop);
	if (loop < 1990000 || loop > 2010000) {
		printf("bench: the counter does not count instructions (run "
		       "under -icount shift=0)\n");
		return 1;
	}
	printf("bench: arm64.null_hcall.instr %lu instr\n",
	       (unsigned long)best_of(16, 64, false));
	printf("bench: arm64.hcall_roundtrip.instr %lu instr\n",
	       (unsigned long)best_of(16, 64, true));
	bench_bind_unbind(16, 64);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = paddock_start_info->name;

	(void)argc;
	(void)argv;
	if (!strcmp(name, "fp-noise"))
		fp_noise();
	else if (!strcmp(name, "spin-forever"))
		spin_forever();
	else if (!strncmp(name, "fault-", 6))
		fault(name);
	else if (!strcmp(name, "bench"))
		return bench();
	else
		return test_run_all();
	return 0;
}
