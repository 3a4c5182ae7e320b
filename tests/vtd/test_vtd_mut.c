/* SPDX-License-Identifier: MIT */
/*
 * VT-d driver tests that the mutation exercise asked for (docs/testing.md),
 * built twice by suite vtd-mut: under ThreadSanitizer and under ASan with
 * UBSan.
 *
 * (a) Unit-lock handoffs.  Two driver calls on two threads, the second
 *     strictly after the first, ordered by a relaxed flag that gives TSan
 *     no happens-before: the unit lock is then the only order between the
 *     two calls' accesses to the unit, its tables and its queue, and a
 *     call that does not take it is reported on every run.
 * (b) What the planted bugs showed the other suites miss, each test
 *     naming what it pins down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "../stress/handoff.h"
#include "../../drivers/iommu/vtd/vtd.h"
#include "../../drivers/iommu/vtd/vtd_regs.h"
#include "spec_walker.h"
#include "vtd_sim.h"

/* A unit like QEMU's but with FLTS, 4-level SAGAW, ATS and PSS = 19. */
#define CAP_FULL  ((SIM_QEMU_CAP & ~(0x1FULL << 8)) | (0x6ULL << 8))
#define ECAP_FULL ((SIM_QEMU_ECAP | (1ULL << 47) | (1ULL << 2)) | (19ULL << 35))

#define DEV1 0x0008u /* 00:01.0 */
#define DEV2 0x0010u /* 00:02.0 */

static unsigned failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "vtd-mut: %s:%d: %s\n", __func__,      \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

struct env {
	struct sim_mem mem;
	struct sim_unit sim;
	struct vtd_unit unit;
};

static struct env *env_up_regs(uint64_t cap, uint64_t ecap,
			       const struct vtd_reg_ops *regs)
{
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct env *e = calloc(1, sizeof(*e));

	if (!e)
		abort();
	sim_mem_init(&e->mem);
	sim_unit_init(&e->sim, &e->mem, cap, ecap);
	if (vtd_unit_init(&e->unit, &cfg, &sim_mem_ops, &e->mem, regs,
			  &e->sim) != 0)
		abort();
	return e;
}

static struct env *env_up(uint64_t cap, uint64_t ecap)
{
	return env_up_regs(cap, ecap, &sim_reg_ops);
}

static void env_down(struct env *e)
{
	vtd_unit_fini(&e->unit);
	CHECK(e->mem.errors == 0);
	CHECK(e->sim.queue_errors == 0);
	sim_mem_fini(&e->mem);
	free(e);
}

static int install(struct env *e, uint32_t dev, uint32_t pasid, domid_t dom)
{
	struct pasid_entry_cfg c = {.kind = PASID_ENTRY_SECOND_LEVEL,
				    .domain = dom,
				    .sl_root = hpa(0x40000000)};

	return vtd_install(&e->unit.iommu, dev, pasid, &c);
}

/* ------------------------------------------------------------------ */
/* (a) unit-lock handoffs                                              */

struct handoff {
	const char *name;
	void (*first)(struct env *e);
	void (*second)(struct env *e);
};

static void run_first(void *arg)
{
	const struct handoff *h = ((void **)arg)[0];

	h->first(((void **)arg)[1]);
}

static void run_second(void *arg)
{
	const struct handoff *h = ((void **)arg)[0];

	h->second(((void **)arg)[1]);
}

static void install_p1(struct env *e)
{
	CHECK(install(e, DEV1, 1, 1) == 0);
}

static void install_p2(struct env *e)
{
	CHECK(install(e, DEV1, 2, 1) == 0);
}

static void clear_p1(struct env *e)
{
	vtd_clear(&e->unit.iommu, DEV1, 1);
}

static void invalidate_p1(struct env *e)
{
	vtd_invalidate(&e->unit.iommu, DEV1, 1, 1);
}

static void wait_unit(struct env *e)
{
	vtd_wait(&e->unit.iommu);
}

static void irte_3(struct env *e)
{
	CHECK(vtd_irte_set(&e->unit, 3, 0x30, 0, DEV1) == 0);
}

static void irte_4(struct env *e)
{
	CHECK(vtd_irte_set(&e->unit, 4, 0x31, 0, DEV2) == 0);
}

static void rid_pasid_p1(struct env *e)
{
	CHECK(vtd_set_rid_pasid(&e->unit, DEV1, 1) == 0);
}

static void install_invalidate_p1(struct env *e)
{
	install_p1(e);
	invalidate_p1(e);
}

static void install_wait(struct env *e)
{
	install_p1(e);
	wait_unit(e);
}

static void install_rid_pasid_p1(struct env *e)
{
	install_p1(e);
	rid_pasid_p1(e);
}

/* Every entry point that takes the unit lock, against one that writes
 * what it reads (the queue, the tables, the flush list).  What the first
 * thread does before its call is ordered before the second's by the same
 * flag. */
static const struct handoff handoffs[] = {
	{"install, install", install_p1, install_p2},
	{"install, clear", install_p1, clear_p1},
	{"invalidate, wait", install_invalidate_p1, wait_unit},
	{"wait, invalidate", install_wait, invalidate_p1},
	{"irte, irte", irte_3, irte_4},
	{"rid_pasid, install", install_rid_pasid_p1, install_p2},
	{"install, rid_pasid", install_p1, rid_pasid_p1},
};

static void run_handoff(const struct handoff *h)
{
	struct env *e = env_up(CAP_FULL, ECAP_FULL);
	void *arg[2] = {(void *)h, e};

	handoff_run(run_first, run_second, arg);
	env_down(e);
}

/* ------------------------------------------------------------------ */
/* (b) what the planted bugs showed                                    */

static unsigned desc_did(const struct sim_desc *d)
{
	return (unsigned)(d->w[0] >> 16 & 0xFFFF);
}

static unsigned desc_pasid(const struct sim_desc *d)
{
	return (unsigned)(d->w[0] >> 32 & 0xFFFFF);
}

/* PASID-cache invalidations of (did, pasid) in the log from `at`. */
static unsigned pc_flushes(const struct sim_unit *s, unsigned at, unsigned did,
			   unsigned pasid)
{
	unsigned n = 0;

	for (; at < s->nlog; at++)
		if (s->log[at].type == SW_INV_PASID_CACHE &&
		    desc_did(&s->log[at]) == did &&
		    desc_pasid(&s->log[at]) == pasid)
			n++;
	return n;
}

/*
 * One PASID's caches may be tagged by two domains' DIDs between two waits
 * (a PASID freed by one domain and installed for another): a flush queued
 * for the first DID does not stand for the second.  (Flushes were once
 * deduplicated on device and PASID alone.)
 */
static void test_dedup_keeps_dids_apart(void)
{
	struct env *e = env_up(CAP_FULL, ECAP_FULL);
	unsigned at;

	CHECK(install(e, DEV1, 1, 1) == 0);
	CHECK(install(e, DEV2, 1, 2) == 0);
	vtd_wait(&e->unit.iommu);
	at = e->sim.nlog;
	vtd_invalidate(&e->unit.iommu, DEV1, 1, 1);
	vtd_invalidate(&e->unit.iommu, DEV1, 1, 2);
	vtd_wait(&e->unit.iommu);
	CHECK(pc_flushes(&e->sim, at, 1, 1) == 1);
	CHECK(pc_flushes(&e->sim, at, 2, 1) == 1);
	env_down(e);
}

/*
 * A table page the unit does not snoop is written back before the entry
 * that publishes it is stored: from that store on, the unit may walk it.
 * So when the driver writes back a new page, no root or directory entry
 * may point at it yet.  (A page once published first, flushed after.)
 */
static unsigned published_early;

static void check_unpublished(struct sim_mem *m, uint64_t pa, size_t len,
			      void *ctx)
{
	struct env *e = ctx;
	struct sw_mem swm = sim_sw_mem(m);
	uint64_t root = e->sim.rtaddr_latched & ~0xFFFull, dir, v;
	unsigned pdts;

	if (len != VTD_PAGE_SIZE || (pa & 0xFFF))
		return;
	for (unsigned half = 0; half < 2; half++) {
		v = sim_rd(m, root + 8 * half);
		if ((v & 1) && (v & ~0xFFFull) == pa)
			published_early++;
	}
	if (!sw_pasid_dir(&swm, e->sim.rtaddr_latched, 0, DEV1 & 0xFF, &dir,
			  &pdts))
		return;
	for (unsigned i = 0; i < 1u << (pdts + 7); i++) {
		v = sim_rd(m, dir + 8 * i);
		if ((v & 1) && (v & ~0xFFFull) == pa)
			published_early++;
	}
}

static void test_new_tables_written_back_first(void)
{
	/* ECAP.C = 0: the unit does not snoop, the driver flushes. */
	struct env *e = env_up(CAP_FULL, ECAP_FULL & ~1ULL);

	CHECK(!e->unit.coherent);
	published_early = 0;
	e->mem.flush_hook = check_unpublished;
	e->mem.flush_ctx = e;
	CHECK(install(e, DEV1, 1, 1) == 0);
	CHECK(install(e, DEV1, 100, 1) == 0);
	e->mem.flush_hook = NULL;
	CHECK(published_early == 0);
	env_down(e);
}

/*
 * FSTS.FRI names the record the first pending fault went to when PPF was
 * set, and keeps naming it until PPF clears (VT-d 4.x, 11.4.9.1): once
 * software has cleared that record, FRI may point at a cleared one while
 * later records are still pending.  The simulated unit recomputes FRI on
 * every read; these register ops latch it instead, and count reads past
 * the last fault recording register.
 */
static struct {
	unsigned fri;
	unsigned beyond;
} latch;

static bool past_the_records(const struct sim_unit *s, uint32_t off)
{
	unsigned nfr = (unsigned)VTD_FIELD_GET(VTD_CAP_NFR, s->cap) + 1;
	uint32_t end = sim_fault_base(s) + nfr * VTD_FRCD_SIZE;

	return off >= end && off < end + VTD_FRCD_SIZE;
}

static uint32_t latched_read32(void *ctx, uint32_t off)
{
	uint32_t v = sim_reg_ops.read32(ctx, off);

	latch.beyond += past_the_records(ctx, off);
	if (off == VTD_REG32_FSTS && (v & VTD_FSTS_PPF))
		v = (v & ~(uint32_t)VTD_FSTS_FRI) |
		    (uint32_t)VTD_FIELD_PREP(VTD_FSTS_FRI, latch.fri);
	return v;
}

static uint64_t latched_read64(void *ctx, uint32_t off)
{
	latch.beyond += past_the_records(ctx, off);
	return sim_reg_ops.read64(ctx, off);
}

/* The scan for pending records starts at FRI and wraps at the number of
 * records, not one past it (mutation V34). */
static void test_fault_scan_wraps_at_the_last_record(void)
{
	/* Four fault records. */
	uint64_t cap =
		(CAP_FULL & ~VTD_CAP_NFR) | VTD_FIELD_PREP(VTD_CAP_NFR, 3);
	struct vtd_reg_ops regs = sim_reg_ops;
	struct vtd_fault f;
	struct env *e;

	regs.read32 = latched_read32;
	regs.read64 = latched_read64;
	e = env_up_regs(cap, ECAP_FULL, &regs);
	latch.fri = 3; /* record 3 was pending, then cleared */
	latch.beyond = 0;
	sim_inject_fault(&e->sim, 2, 0x5000, 0x06ULL << 32 | 0x0100);
	CHECK(vtd_fault_next(&e->unit, &f) == 1);
	CHECK(f.sid == 0x0100);
	CHECK(e->sim.frcd[2][1] >> 63 == 0);
	CHECK(latch.beyond == 0);
	env_down(e);
}

int main(void)
{
	unsigned n = 0, failed = 0, before;
	void (*const tests[])(void) = {
		test_dedup_keeps_dids_apart,
		test_new_tables_written_back_first,
		test_fault_scan_wraps_at_the_last_record,
	};

	for (unsigned i = 0; i < sizeof(handoffs) / sizeof(handoffs[0]); i++) {
		before = failures;
		run_handoff(&handoffs[i]);
		printf("vtd-mut: handoff %-20s %s\n", handoffs[i].name,
		       failures == before ? "ok" : "FAILED");
		failed += failures != before;
		n++;
	}
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		before = failures;
		tests[i]();
		failed += failures != before;
		n++;
	}
	printf("%u passed, %u failed\n", n - failed, failed);
	return failed != 0;
}
