/* SPDX-License-Identifier: MIT */
/*
 * Cost as the work grows (make bench; bench/README.md, "Growth"): tearing
 * down a domain that holds 1,024 and 65,536 PASIDs, each bound on one
 * device, through the PASID manager and the VT-d driver over the
 * simulated unit the VT-d tests use (tests/vtd/vtd_sim.c: it runs the
 * invalidation queue and completes wait descriptors at once, so the
 * figures are the software's); then the same through the manager alone,
 * over an IOMMU that only counts; and what one BIND + UNBIND pair
 * submits to the queue.
 */
#include "bench.h"
#include "internal.h"

#include "../tests/vtd/vtd_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xen/errno.h>

#define BITS   20
#define DOM    1
#define DEVICE 0x0210 /* 00:02.2 */
#define ROUNDS 9      /* of 3 x 1,024 PASIDs and 1 x 65,536 */

static struct pasid_err err;

static void fail(const char *what)
{
	fprintf(stderr, "bench_vtd: %s failed: reason %u: %s\n", what,
		err.reason, err.text);
	exit(1);
}

/* ---- an IOMMU that only counts: the manager's own share --------------- */

struct null_iommu {
	struct pasid_iommu iommu;
	unsigned long installs, clears, invalidations, waits, blocks;
};

static int null_install(struct pasid_iommu *i, uint32_t dev, uint32_t pasid,
			const struct pasid_entry_cfg *cfg)
{
	((struct null_iommu *)i)->installs++;
	return 0;
}

static void null_clear(struct pasid_iommu *i, uint32_t dev, uint32_t pasid)
{
	((struct null_iommu *)i)->clears++;
}

static void null_invalidate(struct pasid_iommu *i, uint32_t dev, uint32_t pasid,
			    domid_t domain)
{
	((struct null_iommu *)i)->invalidations++;
}

static void null_wait(struct pasid_iommu *i)
{
	((struct null_iommu *)i)->waits++;
}

static void null_block(struct pasid_iommu *i, uint32_t dev, uint32_t pasid,
		       domid_t domain)
{
	((struct null_iommu *)i)->blocks++;
}

static const struct pasid_iommu_ops null_ops = {
	.install = null_install,
	.clear = null_clear,
	.invalidate = null_invalidate,
	.wait = null_wait,
	.block = null_block,
};

/* ---- one teardown -------------------------------------------------------- */

struct setup {
	struct sim_mem mem;
	struct sim_unit sim;
	struct vtd_unit unit;
	struct null_iommu null;
	struct pasid_mgr mgr;
	bool vtd;
	hpaddr_t sl_root;
};

static struct pasid_iommu *iommu_of(struct setup *s)
{
	return s->vtd ? &s->unit.iommu : &s->null.iommu;
}

static void setup_up(struct setup *s, bool vtd)
{
	struct vtd_config cfg = {.name = "bench", .pasid_bits_override = BITS};
	struct pasid_set_cfg set = {.domain = DOM, .quota = 1u << BITS};
	uint64_t pa;

	memset(s, 0, sizeof(*s));
	s->vtd = vtd;
	s->null.iommu = (struct pasid_iommu){.name = "null", .ops = &null_ops};
	if (vtd) {
		sim_mem_init(&s->mem);
		sim_unit_init(&s->sim, &s->mem, SIM_QEMU_CAP, SIM_QEMU_ECAP);
		if (vtd_unit_init(&s->unit, &cfg, &sim_mem_ops, &s->mem,
				  &sim_reg_ops, &s->sim))
			fail("vtd_unit_init");
		sim_alloc(&s->mem, 1, &pa); /* the domain's DMA table root */
		s->sl_root = hpa(pa);
	}
	if (pasid_mgr_init(&s->mgr, BITS, 16, &err) < 0 ||
	    pasid_set_create(&s->mgr, &set, &err) < 0 ||
	    pasid_device_add(&s->mgr, DEVICE, DOM, iommu_of(s), &err) < 0)
		fail("manager setup");
}

static void setup_down(struct setup *s)
{
	pasid_mgr_fini(&s->mgr);
	if (s->vtd) {
		vtd_unit_fini(&s->unit);
		sim_mem_fini(&s->mem);
	}
}

static void alloc_and_bind(struct setup *s, uint32_t n)
{
	struct pasid_bind_req req = {.device = DEVICE,
				     .kind = PASID_ENTRY_SECOND_LEVEL,
				     .sl_root = s->sl_root};

	for (uint32_t i = 0; i < n; i++) {
		uint32_t p;

		if (pasid_alloc(&s->mgr, DOM, &p, &err) ||
		    pasid_bind(&s->mgr, DOM, p, &req, &err))
			fail("alloc + bind");
	}
}

static unsigned long waits_of(struct setup *s)
{
	return s->vtd ? (unsigned long)s->unit.stats.waits : s->null.waits;
}

/* One teardown of a domain holding n bound PASIDs: ns per PASID, and
 * the waits it completed. */
static double teardown_once(bool vtd, uint32_t n, unsigned long *waits)
{
	static struct setup s;
	unsigned long w0;
	double t0, ns;

	setup_up(&s, vtd);
	alloc_and_bind(&s, n);
	w0 = waits_of(&s);
	t0 = now_ns();
	pasid_domain_teardown(&s.mgr, DOM);
	ns = (now_ns() - t0) / n;
	*waits = waits_of(&s) - w0;
	if (pasid_set_of(&s.mgr, DOM))
		fail("teardown left the set");
	setup_down(&s);
	return ns;
}

/* Rounds of three teardowns of 1,024 PASIDs and one of 65,536, back to
 * back: each round's ratio compares runs a few ms apart, under the same
 * load.  Figures are medians: ns per PASID of each size, and the
 * rounds' ratios. */
static void growth(bool vtd, const char *prefix)
{
	double k1[ROUNDS * 3], k64[ROUNDS], ratio[ROUNDS];
	unsigned long w1 = 0, w64 = 0;

	for (int r = 0; r < ROUNDS; r++) {
		double round_k1[3];

		for (int i = 0; i < 3; i++)
			k1[3 * r + i] = round_k1[i] =
				teardown_once(vtd, 1024, &w1);
		k64[r] = teardown_once(vtd, 65536, &w64);
		ratio[r] = k64[r] / median(round_k1, 3);
	}
	printf("bench: %s.teardown.ns_per_pasid.n1k %.1f ns\n", prefix,
	       median(k1, ROUNDS * 3));
	printf("bench: %s.teardown.ns_per_pasid.n64k %.1f ns\n", prefix,
	       median(k64, ROUNDS));
	printf("bench: %s.teardown.n64k_over_n1k %.2f ratio\n", prefix,
	       median(ratio, ROUNDS));
	printf("bench: %s.teardown.waits.n1k %lu waits\n", prefix, w1);
	printf("bench: %s.teardown.waits.n64k %lu waits\n", prefix, w64);
}

/* What one BIND + UNBIND pair submits to the unit's queue. */
static void bind_unbind(void)
{
	static struct setup s;
	struct pasid_bind_req req = {.device = DEVICE,
				     .kind = PASID_ENTRY_SECOND_LEVEL};
	uint64_t d0, w0;
	unsigned l0;
	uint32_t p;

	setup_up(&s, true);
	req.sl_root = s.sl_root;
	alloc_and_bind(&s, 1); /* the directory and the leaf exist */
	if (pasid_alloc(&s.mgr, DOM, &p, &err))
		fail("alloc");
	d0 = s.unit.stats.descs;
	w0 = s.unit.stats.waits;
	l0 = s.sim.nlog;
	if (pasid_bind(&s.mgr, DOM, p, &req, &err) ||
	    pasid_unbind(&s.mgr, DOM, p, DEVICE, &err))
		fail("bind + unbind");
	printf("# bind_unbind: descriptor types in order (VT-d 6.5.2: 1 "
	       "context-cache, 2 IOTLB, 3 device-TLB, 4 interrupt-entry-cache, "
	       "5 wait, 6 PASID-IOTLB, 7 PASID-cache, 8 PASID device-TLB):");
	for (unsigned i = l0; i < s.sim.nlog; i++)
		printf(" %u", s.sim.log[i].type);
	printf("\n");
	printf("bench: vtd.bind_unbind.qi_descriptors %llu descriptors\n",
	       (unsigned long long)(s.unit.stats.descs - d0));
	printf("bench: vtd.bind_unbind.waits %llu waits\n",
	       (unsigned long long)(s.unit.stats.waits - w0));
	setup_down(&s);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# growth: pasid_domain_teardown of one domain holding N "
	       "PASIDs, each bound (second level) on one device; %d rounds "
	       "of three teardowns of N = 1,024 and one of N = 65,536, back "
	       "to back; medians of ns per PASID and of the rounds' ratios "
	       "(the 65,536 one over the round's median 1,024 one); "
	       "vtd: the VT-d driver over the simulated unit of the VT-d "
	       "tests; pasid: the manager alone, over an IOMMU that only "
	       "counts (the recording mock holds 4,096 entries)\n",
	       ROUNDS);
	growth(true, "vtd");
	growth(false, "pasid");
	bind_unbind();
	return 0;
}
