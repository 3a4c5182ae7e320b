/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the VT-d driver: (a) the pure builders bit by bit, (b) the
 * independent check -- tables built by the driver through its
 * pasid_iommu_ops over several units, devices, domains and entry kinds,
 * then walked by spec_walker.c (which shares nothing with the driver) --
 * and (c) the invalidation sequences the simulated queue saw; (d) the
 * unit lock's witness catches a caller that does not hold the lock.
 */
#define _POSIX_C_SOURCE 200809L /* fork() for the lock death tests */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "../../drivers/iommu/vtd/vtd.h"
#include "../../drivers/iommu/vtd/vtd_internal.h"
#include "../../drivers/iommu/vtd/vtd_regs.h"
#include "../support/lock_check.h"
#include "spec_walker.h"
#include "vtd_sim.h"

/* A unit like QEMU's but with FLTS, 4-level SAGAW, ATS and PSS = 19. */
#define CAP_FULL  ((SIM_QEMU_CAP & ~(0x1FULL << 8)) | (0x6ULL << 8))
#define ECAP_FULL ((SIM_QEMU_ECAP | (1ULL << 47) | (1ULL << 2)) | (19ULL << 35))

#define NUNITS 3

struct env {
	struct sim_mem mem;
	struct sim_unit sim[NUNITS];
	struct vtd_unit unit[NUNITS];
	bool up[NUNITS];
};

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	sim_mem_init(&e->mem);
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;

	for (int i = 0; i < NUNITS; i++)
		if (e->up[i])
			vtd_unit_fini(&e->unit[i]);
	sim_mem_fini(&e->mem);
	free(e);
	return 0;
}

static struct vtd_unit *unit_up(struct env *e, int i, uint64_t cap,
				uint64_t ecap, const struct vtd_config *cfg)
{
	sim_unit_init(&e->sim[i], &e->mem, cap, ecap);
	assert_int_equal(vtd_unit_init(&e->unit[i], cfg, &sim_mem_ops, &e->mem,
				       &sim_reg_ops, &e->sim[i]),
			 0);
	e->up[i] = true;
	return &e->unit[i];
}

static void unit_down(struct env *e, int i)
{
	vtd_unit_fini(&e->unit[i]);
	e->up[i] = false;
}

static void assert_sim_clean(struct env *e, int i)
{
	assert_int_equal(e->sim[i].width_errors, 0);
	assert_int_equal(e->sim[i].gcmd_errors, 0);
	assert_int_equal(e->sim[i].queue_errors, 0);
	assert_int_equal(e->mem.errors, 0);
}

static uint32_t dev(unsigned seg, unsigned bus, unsigned devfn)
{
	return seg << 16 | bus << 8 | devfn;
}

/* Invalidation-log checks, defined with the order tests (c). */
static unsigned expect_flush(struct sim_unit *s, unsigned at, unsigned did,
			     unsigned pasid, bool ats);
static unsigned expect_wait(struct sim_unit *s, unsigned at);
static unsigned dev_pdts(struct env *e, int unit, uint32_t device,
			 uint64_t *dir);

/* ------------------------------------------------------------------ */
/* (a) builders                                                        */

static void test_build_pasid_entry(void **state)
{
	struct vtd_pe_params p = {.sl_aw = 2, .blocking = hpa(0x7000)};
	struct pasid_entry_cfg c = {.kind = PASID_ENTRY_SECOND_LEVEL,
				    .domain = 0x7FF2,
				    .sl_root = hpa(0x12345000)};
	uint64_t pe[8];

	(void)state;
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), 0);
	/* P | AW=2 << 2 | PGTT=2 << 6 | SLPTPTR */
	assert_true(pe[0] == 0x12345089ULL);
	assert_true(pe[1] == 0x7FF2ULL);
	for (int i = 2; i < 8; i++)
		assert_true(pe[i] == 0);

	p.pwsnp = true;
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), 0);
	assert_true(pe[1] == (0x7FF2ULL | 1ULL << 23));
	p.pwsnp = false;

	c.kind = PASID_ENTRY_FIRST_LEVEL;
	c.fl_root = hpa(0xABCDE000);
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), 0);
	/* P | PGTT=1; sl_root (still set) is not used on hardware. */
	assert_true(pe[0] == 0x41ULL);
	assert_true(pe[2] == 0xABCDE000ULL);
	/* QEMU 7.2 mode: SLPTPTR and AW name the domain's second-level
	 * tables (the first-level ones are a copy), or the empty table. */
	p.fl_qemu_slptptr = true;
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), 0);
	assert_true(pe[0] == (0x12345000ULL | 0x8 | 0x41));
	assert_true(pe[2] == 0xABCDE000ULL);
	c.sl_root = hpa(0);
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), 0);
	assert_true(pe[0] == (0x7000ULL | 0x8 | 0x41));
	c.sl_root = hpa(0x12345800);
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), -XEN_EINVAL);
	p.fl_qemu_slptptr = false;

	c.kind = PASID_ENTRY_PASSTHROUGH;
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), 0);
	assert_true(pe[0] == 0x101ULL); /* P | PGTT=4 */
	assert_true(pe[2] == 0);

	c.kind = PASID_ENTRY_BLOCKED;
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), 0);
	/* P | FPD | AW | PGTT=2 | the empty table */
	assert_true(pe[0] == (0x7000ULL | 0x80 | 0x8 | 0x2 | 0x1));

	c.kind = PASID_ENTRY_SECOND_LEVEL;
	c.sl_root = hpa(0x12345008);
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), -XEN_EINVAL);
	c.kind = PASID_ENTRY_FIRST_LEVEL;
	c.fl_root = hpa(0);
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), -XEN_EINVAL);
	c.kind = (enum pasid_entry_kind)42;
	assert_int_equal(vtd_build_pasid_entry(pe, &c, &p), -XEN_EINVAL);
}

static void test_build_ctx_root_dir(void **state)
{
	uint64_t ce[4];

	(void)state;
	vtd_build_context_entry(ce, hpa(0xABC000), 7, 0x12345, true);
	/* P | DTE | PASIDE | PDTS=7 << 9 | pointer */
	assert_true(ce[0] == (0xABC000ULL | 7 << 9 | 0x8 | 0x4 | 0x1));
	assert_true(ce[1] == 0x12345ULL);
	assert_true(ce[2] == 0 && ce[3] == 0);
	vtd_build_context_entry(ce, hpa(0x5000), 0, 0, false);
	assert_true(ce[0] == 0x5009ULL);
	assert_true(vtd_build_root_half(hpa(0x9000)) == 0x9001ULL);
	assert_true(vtd_build_pasid_dir_entry(hpa(0x44000)) == 0x44001ULL);
}

static void test_build_descriptors(void **state)
{
	struct vtd_ats_dev a = {.sid = 0x0310, .pfsid = 0x1234, .qdep = 5};
	uint64_t d[4];

	(void)state;
	vtd_build_inv_cc(d, VTD_CC_G_DEVICE, 3, 0x0108);
	assert_true(d[0] == (0x1ULL | 3 << 4 | 3 << 16 | 0x0108ULL << 32));
	assert_true(d[1] == 0 && d[2] == 0 && d[3] == 0);

	vtd_build_inv_pc(d, VTD_PC_G_PASID, 5, 0x12345);
	assert_true(d[0] == 0x0001234500050017ULL);
	vtd_build_inv_pc(d, VTD_PC_G_GLOBAL, 0, 0);
	assert_true(d[0] == 0x37ULL);

	vtd_build_inv_iotlb(d, VTD_IOTLB_G_DOMAIN, 5);
	assert_true(d[0] == (0x2ULL | 2 << 4 | 0xC0 | 5 << 16));
	assert_true(d[1] == 0);

	vtd_build_inv_piotlb(d, 9, 0xFFFFF);
	assert_true(d[0] == (0x6ULL | 2 << 4 | 9 << 16 | 0xFFFFFULL << 32));
	assert_true(d[1] == 0);

	vtd_build_inv_devtlb(d, &a);
	assert_true(d[0] == (0x3ULL | 4ULL << 12 | 5ULL << 16 |
			     0x0310ULL << 32 | 0x123ULL << 52));
	assert_true(d[1] == (0x7FFFFFFFFFFFF000ULL | 1));

	vtd_build_inv_pdevtlb(d, &a, 0x42);
	assert_true(d[0] == (0x8ULL | 5ULL << 4 | 4ULL << 12 | 0x0310ULL << 16 |
			     0x42ULL << 32 | 0x123ULL << 52));
	assert_true(d[1] == (0x7FFFFFFFFFFFF000ULL | 1ULL << 11));

	vtd_build_inv_wait(d, hpa(0x123458), 0xCAFE);
	assert_true(d[0] == (0x5ULL | 0x20 | 0x40 | 0xCAFEULL << 32));
	assert_true(d[1] == 0x123458ULL);
	assert_true((d[0] & 0x10) == 0); /* never IF with SW */
}

static void test_fault_decode(void **state)
{
	struct vtd_fault f;
	/* F | PV=0xABCDE | FR=0x58 | PP | SID 00:03.1, T1=0 (write) */
	uint64_t hi = 1ULL << 63 | 0xABCDEULL << 40 | 0x58ULL << 32 |
		      1ULL << 31 | 0x0019;

	(void)state;
	vtd_decode_fault(0xDEAD1234ULL, hi, &f);
	assert_int_equal(f.sid, 0x19);
	assert_true(f.pasid_valid);
	assert_int_equal(f.pasid, 0xABCDE);
	assert_true(f.addr == 0xDEAD1000ULL);
	assert_int_equal(f.reason, 0x58);
	assert_true(f.write);
	vtd_decode_fault(0, hi | 1ULL << 62, &f); /* T1 = 1: read */
	assert_false(f.write);
	vtd_decode_fault(0, 0x06ULL << 32 | 0x0100, &f);
	assert_false(f.pasid_valid);
	assert_int_equal(f.reason, 6);
	assert_int_equal(f.sid, 0x100);
}

/* ------------------------------------------------------------------ */
/* Set-up against the simulated register file                          */

static void test_init_qemu(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.name = "qemu", .pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg);
	struct sim_unit *s = &e->sim[0];

	assert_int_equal(u->pasid_bits, 20);
	assert_int_equal(u->iommu.pasid_bits, 20);
	/* At most 2^14 directory entries (PDTS 7, 32 pages) per device. */
	assert_int_equal(u->pdts_max, 7);
	assert_int_equal(u->dir_pages_max, 32);
	assert_int_equal(u->sl_aw, 1); /* QEMU: 39-bit SAGAW only */
	assert_int_equal(vtd_sl_levels(u), 3);
	assert_int_equal(u->did_bits, 16);
	assert_ptr_equal(u->iommu.ops, &vtd_pasid_ops);
	/* TTM = 01b latched by SRTP; QI on with 256-bit descriptors. */
	assert_true((s->rtaddr_latched >> 10 & 3) == 1);
	assert_true((s->rtaddr_latched & ~0xFFFULL) == u->root_pa.v);
	assert_true(s->gsts & (1u << 26));
	assert_true(s->iqa & (1u << 11));
	assert_false(s->gsts & (1u << 31)); /* translation still off */
	/* Global context, PASID-cache and IOTLB flushes, then a wait; then
	 * interrupt remapping's global IEC invalidation and its wait. */
	assert_int_equal(s->nlog, 6);
	assert_int_equal(s->log[4].type, SW_INV_IEC);
	assert_int_equal(s->log[5].type, SW_INV_WAIT);
	assert_int_equal(s->log[0].type, SW_INV_CONTEXT);
	assert_true((s->log[0].w[0] >> 4 & 3) == 1);
	assert_int_equal(s->log[1].type, SW_INV_PASID_CACHE);
	assert_true((s->log[1].w[0] >> 4 & 3) == 3);
	assert_int_equal(s->log[2].type, SW_INV_IOTLB);
	assert_true((s->log[2].w[0] >> 4 & 3) == 1);
	assert_int_equal(s->log[3].type, SW_INV_WAIT);
	assert_int_equal(vtd_enable_translation(u), 0);
	assert_true(s->gsts & (1u << 31));
	assert_sim_clean(e, 0);
	unit_down(e, 0);
	assert_int_equal(e->mem.pages_in_use, 0);
	assert_false(s->gsts & (1u << 31));
}

static void test_init_qemu_quirks(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.name = "qemu-raw"};
	struct vtd_unit *u = unit_up(e, 0, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg);
	struct pasid_entry_cfg sl = {.kind = PASID_ENTRY_SECOND_LEVEL,
				     .domain = 1,
				     .sl_root = hpa(SIM_PHYS_BASE)};
	struct pasid_entry_cfg fl = {.kind = PASID_ENTRY_FIRST_LEVEL,
				     .domain = 1,
				     .fl_root = hpa(SIM_PHYS_BASE)};

	/* Trusting PSS = 0 gives 1-bit PASIDs. */
	assert_int_equal(u->pasid_bits, 1);
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 5, &sl),
			 -XEN_EINVAL);
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 1, &sl), 0);
	/* FLTS = 0: first level refused unless the quirk is set. */
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 0, &fl),
			 -XEN_EOPNOTSUPP);
	unit_down(e, 0);

	cfg.first_level_without_flts = true;
	cfg.pasid_bits_override = 20;
	u = unit_up(e, 0, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg);
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 0xFFFFF, &fl), 0);
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 0x100000, &fl),
			 -XEN_EINVAL);
	/* A device of another segment is not this unit's. */
	assert_int_equal(vtd_install(&u->iommu, dev(1, 0, 8), 3, &fl),
			 -XEN_EINVAL);
	assert_sim_clean(e, 0);
	unit_down(e, 0);
	assert_int_equal(e->mem.pages_in_use, 0);
}

static void test_init_refuses(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {0};
	struct vtd_unit u;

	/* No scalable mode. */
	sim_unit_init(&e->sim[0], &e->mem, SIM_QEMU_CAP,
		      SIM_QEMU_ECAP & ~(1ULL << 43));
	assert_int_equal(vtd_unit_init(&u, &cfg, &sim_mem_ops, &e->mem,
				       &sim_reg_ops, &e->sim[0]),
			 -XEN_ENODEV);
	/* No memory. */
	sim_unit_init(&e->sim[0], &e->mem, SIM_QEMU_CAP, SIM_QEMU_ECAP);
	e->mem.fail_after = 2;
	assert_int_equal(vtd_unit_init(&u, &cfg, &sim_mem_ops, &e->mem,
				       &sim_reg_ops, &e->sim[0]),
			 -XEN_ENOMEM);
	e->mem.fail_after = -1;
	assert_int_equal(e->mem.pages_in_use, 0);
	assert_int_equal(e->mem.errors, 0);

	/* A queue that never completes: bounded, and nothing left on. */
	sim_unit_init(&e->sim[0], &e->mem, SIM_QEMU_CAP, SIM_QEMU_ECAP);
	e->sim[0].dead = true;
	cfg.poll_limit = 1000;
	assert_int_equal(vtd_unit_init(&u, &cfg, &sim_mem_ops, &e->mem,
				       &sim_reg_ops, &e->sim[0]),
			 -XEN_ETIMEDOUT);
	assert_false(e->sim[0].gsts & (1u << 26)); /* QIE off again */
	assert_int_equal(e->mem.pages_in_use, 0);
	assert_int_equal(e->sim[0].width_errors, 0);
}

/* The DID the walker finds in (device, pasid)'s entry. */
static unsigned entry_did(struct env *e, int unit, uint32_t device,
			  uint32_t pasid)
{
	struct sw_mem m = sim_sw_mem(&e->mem);
	uint64_t pe[8];

	assert_true(sw_pasid_entry(&m, e->sim[unit].rtaddr_latched,
				   (uint8_t)(device >> 8), (uint8_t)device,
				   pasid, pe));
	assert_true(pe[0] & 1);
	return (unsigned)(pe[1] & 0xFFFF);
}

static void test_did_remap(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 8};
	/* ND = 2: 8-bit domain ids; the top 32 are lent to the others. */
	struct vtd_unit *u =
		unit_up(e, 0, (SIM_QEMU_CAP & ~7ULL) | 2, SIM_QEMU_ECAP, &cfg);
	struct sim_unit *s = &e->sim[0];
	struct pasid_entry_cfg c = {.kind = PASID_ENTRY_PASSTHROUGH};
	uint32_t d8 = dev(0, 0, 8);
	uint64_t waits;
	unsigned at;

	assert_int_equal(u->did_bits, 8);
	/* A directory is never less than one page: PDTS 2. */
	assert_int_equal(u->pdts_max, 2);
	assert_int_equal(u->dir_pages_max, 1);
	c.domain = 5;
	assert_int_equal(vtd_install(&u->iommu, d8, 1, &c), 0);
	assert_int_equal(entry_did(e, 0, d8, 1), 5);
	c.domain = 223;
	assert_int_equal(vtd_install(&u->iommu, d8, 2, &c), 0);
	assert_int_equal(entry_did(e, 0, d8, 2), 223);
	c.domain = 300;
	assert_int_equal(vtd_install(&u->iommu, d8, 3, &c), 0);
	assert_int_equal(entry_did(e, 0, d8, 3), 255);
	assert_int_equal(vtd_install(&u->iommu, d8, 4, &c), 0);
	assert_int_equal(entry_did(e, 0, d8, 4), 255);
	c.domain = 0x7FF2;
	assert_int_equal(vtd_install(&u->iommu, d8, 5, &c), 0);
	assert_int_equal(entry_did(e, 0, d8, 5), 254);
	c.domain = 224;
	assert_int_equal(vtd_install(&u->iommu, d8, 6, &c), 0);
	assert_int_equal(entry_did(e, 0, d8, 6), 253);

	/* The manager names domains; the flush carries the DID. */
	at = s->nlog;
	vtd_invalidate(&u->iommu, d8, 3, 300);
	vtd_wait(&u->iommu);
	at = expect_wait(s, expect_flush(s, at, 255, 3, false));
	/* A domain with no DID here has nothing cached: no flush. */
	vtd_invalidate(&u->iommu, d8, 3, 4000);
	assert_int_equal(s->nlog, at);

	/* Exhaust the lent DIDs (3 taken, 29 left), then one too many. */
	for (unsigned i = 0; i < 29; i++) {
		c.domain = (domid_t)(1000 + i);
		assert_int_equal(vtd_install(&u->iommu, d8, 10 + i, &c), 0);
	}
	c.domain = 2000;
	assert_int_equal(vtd_install(&u->iommu, d8, 100, &c), -XEN_ENOSPC);
	/* A live entry of a lent DID can still be switched. */
	c.domain = 300;
	c.kind = PASID_ENTRY_BLOCKED;
	assert_int_equal(vtd_install(&u->iommu, d8, 3, &c), 0);
	assert_int_equal(entry_did(e, 0, d8, 3), 255);

	/* Free DID 255 (no wait), then lend it again: a wait comes first. */
	vtd_clear(&u->iommu, d8, 3);
	vtd_clear(&u->iommu, d8, 4);
	waits = u->stats.waits;
	c.domain = 2000;
	c.kind = PASID_ENTRY_PASSTHROUGH;
	assert_int_equal(vtd_install(&u->iommu, d8, 100, &c), 0);
	assert_true(u->stats.waits == waits + 1);
	assert_int_equal(entry_did(e, 0, d8, 100), 255);
	assert_sim_clean(e, 0);
}

static void test_did_cm(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	/* Caching mode reserves DID 0. */
	struct vtd_unit *u =
		unit_up(e, 0, CAP_FULL | 1ULL << 7, ECAP_FULL, &cfg);
	struct pasid_entry_cfg c = {.kind = PASID_ENTRY_PASSTHROUGH,
				    .domain = 0};
	unsigned at;

	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 1, &c), 0);
	assert_int_equal(entry_did(e, 0, dev(0, 0, 8), 1), 0xFFFF);
	c.domain = 1;
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 2, &c), 0);
	assert_int_equal(entry_did(e, 0, dev(0, 0, 8), 2), 1);

	/* Clear and re-install before any wait: the flush that follows
	 * the new write is not dropped as a duplicate of the clear's. */
	vtd_wait(&u->iommu);
	at = e->sim[0].nlog;
	vtd_clear(&u->iommu, dev(0, 0, 8), 2);
	vtd_invalidate(&u->iommu, dev(0, 0, 8), 2, 1);
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 2, &c), 0);
	vtd_invalidate(&u->iommu, dev(0, 0, 8), 2, 1);
	vtd_wait(&u->iommu);
	assert_int_equal(e->sim[0].log[at].type, SW_INV_CONTEXT);
	at = expect_flush(&e->sim[0], at + 1, 1, 2, false);
	at = expect_flush(&e->sim[0], at, 1, 2, false);
	at = expect_wait(&e->sim[0], at);
	assert_int_equal(at, e->sim[0].nlog);
}

/* ------------------------------------------------------------------ */
/* (b) the independent check                                           */

#define IOVA_BASE  0x40000000ULL
#define IOVA_SUPER 0x80000000ULL
#define FL_VA_BASE 0x7F0000000000ULL

/* Test-built page tables, with spec_walker.h's bits. */
static uint64_t pt_page(struct sim_mem *m)
{
	uint64_t pa;

	assert_non_null(sim_alloc(m, 1, &pa));
	return pa;
}

static void pt_map(struct sim_mem *m, uint64_t root, unsigned levels,
		   uint64_t va, uint64_t out, uint64_t leaf_flags,
		   unsigned leaf_level, uint64_t table_flags)
{
	uint64_t table = root;

	for (unsigned l = levels; l > leaf_level; l--) {
		uint64_t slot = table + ((va >> (12 + 9 * (l - 1))) & 511) * 8;
		uint64_t ent = sim_rd(m, slot);

		if (!ent) {
			ent = pt_page(m) | table_flags;
			sim_wr(m, slot, ent);
		}
		table = ent & SW_ADDR_MASK;
	}
	sim_wr(m, table + ((va >> (12 + 9 * (leaf_level - 1))) & 511) * 8,
	       out | leaf_flags);
}

struct dom {
	domid_t id;
	uint64_t sl[6]; /* by level count: [3] and [4] */
};

struct guest {
	uint64_t root;
};

static uint64_t dom_hpa(const struct dom *d, unsigned k)
{
	return 0x100000000ULL + (uint64_t)d->id * 0x100000 + k * 0x1000;
}

static uint64_t dom_super_hpa(const struct dom *d)
{
	return 0x4000000000ULL + (uint64_t)d->id * 0x200000;
}

static uint64_t guest_hpa(unsigned g, unsigned k)
{
	return 0x180000000ULL + (uint64_t)g * 0x100000 + k * 0x1000;
}

static void dom_build(struct sim_mem *m, struct dom *d, domid_t id)
{
	d->id = id;
	for (unsigned levels = 3; levels <= 4; levels++) {
		uint64_t rw = SW_SL_READ | SW_SL_WRITE;

		d->sl[levels] = pt_page(m);
		pt_map(m, d->sl[levels], levels, IOVA_BASE, dom_hpa(d, 0), rw,
		       1, rw);
		pt_map(m, d->sl[levels], levels, IOVA_BASE + 0x1000,
		       dom_hpa(d, 1), SW_SL_READ, 1, rw);
		pt_map(m, d->sl[levels], levels, IOVA_BASE + 0x2000,
		       dom_hpa(d, 2), rw, 1, rw);
		pt_map(m, d->sl[levels], levels, IOVA_SUPER, dom_super_hpa(d),
		       rw | SW_SL_SUPER, 2, rw);
	}
}

static void guest_build(struct sim_mem *m, struct guest *g, unsigned n)
{
	uint64_t nl = SW_FL_PRESENT | SW_FL_RW | SW_FL_USER;

	g->root = pt_page(m);
	pt_map(m, g->root, 4, FL_VA_BASE, guest_hpa(n, 0), nl, 1, nl);
	pt_map(m, g->root, 4, FL_VA_BASE + 0x1000, guest_hpa(n, 1),
	       SW_FL_PRESENT | SW_FL_USER, 1, nl);
	pt_map(m, g->root, 4, FL_VA_BASE + 0x2000, guest_hpa(n, 2),
	       SW_FL_PRESENT | SW_FL_RW, 1, nl); /* supervisor only */
}

enum { ST_FREE = 0, ST_BLOCKED, ST_SL, ST_FL, ST_PT };

struct ent {
	int unit;
	uint32_t device;
	uint32_t pasid;
	int state;
	int dom;   /* index into doms[] */
	int guest; /* index into guests[] */
};

#define NDOMS	4
#define NGUESTS 2
#define MAXENTS 4096

struct world {
	struct env *e;
	struct dom doms[NDOMS];
	struct guest guests[NGUESTS];
	struct ent ents[MAXENTS];
	int nents;
	unsigned levels[NUNITS];
	uint32_t devices[NUNITS][4];
	uint64_t rng;
	unsigned checks;
	unsigned did_seen[NUNITS][NDOMS]; /* DID + 1, 0: not seen */
};

static uint32_t rnd(struct world *w)
{
	w->rng = w->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(w->rng >> 33);
}

static struct pasid_entry_cfg ent_cfg(struct world *w, const struct ent *x)
{
	const struct dom *d = &w->doms[x->dom];
	struct pasid_entry_cfg c = {.domain = d->id};

	switch (x->state) {
	case ST_BLOCKED:
		c.kind = PASID_ENTRY_BLOCKED;
		break;
	case ST_SL:
		c.kind = PASID_ENTRY_SECOND_LEVEL;
		c.sl_root = hpa(d->sl[w->levels[x->unit]]);
		break;
	case ST_FL: /* as the manager binds: both roots of the domain */
		c.kind = PASID_ENTRY_FIRST_LEVEL;
		c.fl_root = hpa(w->guests[x->guest].root);
		c.sl_root = hpa(d->sl[w->levels[x->unit]]);
		break;
	case ST_PT:
		c.kind = PASID_ENTRY_PASSTHROUGH;
		break;
	}
	return c;
}

/* What the manager does: write, invalidate with the new tag, wait. */
static void apply(struct world *w, struct ent *x, int state, int dom, int guest,
		  bool wait)
{
	struct vtd_unit *u = &w->e->unit[x->unit];

	x->state = state;
	x->dom = dom;
	x->guest = guest;
	if (state == ST_FREE) {
		u->iommu.ops->clear(&u->iommu, x->device, x->pasid);
	} else {
		struct pasid_entry_cfg c = ent_cfg(w, x);

		assert_int_equal(u->iommu.ops->install(&u->iommu, x->device,
						       x->pasid, &c),
				 0);
	}
	u->iommu.ops->invalidate(&u->iommu, x->device, x->pasid,
				 w->doms[dom].id);
	if (wait)
		u->iommu.ops->wait(&u->iommu);
}

/* What the manager does to park: block(), its switch completing at the
 * next wait (vtd_block() leaves the entry not present until then); an
 * absent entry stays absent. */
static void block(struct world *w, struct ent *x, bool wait)
{
	struct vtd_unit *u = &w->e->unit[x->unit];

	u->iommu.ops->block(&u->iommu, x->device, x->pasid, w->doms[x->dom].id);
	if (x->state != ST_FREE)
		x->state = ST_BLOCKED;
	if (wait)
		u->iommu.ops->wait(&u->iommu);
}

static bool leaf_live(struct world *w, int unit, uint32_t device,
		      uint32_t pasid)
{
	for (int i = 0; i < w->nents; i++) {
		struct ent *x = &w->ents[i];

		if (x->unit == unit && x->device == device &&
		    x->pasid >> 6 == pasid >> 6 && x->state != ST_FREE)
			return true;
	}
	return false;
}

static void walk(struct world *w, int unit, uint32_t device, uint32_t pasid,
		 uint64_t addr, bool write, struct sw_result *r)
{
	struct sw_mem m = sim_sw_mem(&w->e->mem);
	struct sw_request rq = {.bus = (uint8_t)(device >> 8),
				.devfn = (uint8_t)device,
				.has_pasid = true,
				.pasid = pasid,
				.addr = addr,
				.write = write};

	sw_translate(&m, w->e->sim[unit].rtaddr_latched, &rq, r);
	w->checks++;
}

/* A walk the way QEMU 7.2 does it (first level read as second). */
static void walk_qemu(struct world *w, const struct ent *x, uint64_t addr,
		      struct sw_result *r)
{
	struct sw_mem m = sim_sw_mem(&w->e->mem);
	struct sw_request rq = {.bus = (uint8_t)(x->device >> 8),
				.devfn = (uint8_t)x->device,
				.has_pasid = true,
				.pasid = x->pasid,
				.addr = addr,
				.qemu72 = true};

	sw_translate(&m, w->e->sim[x->unit].rtaddr_latched, &rq, r);
	w->checks++;
}

#define EXPECT_OK(r, want)                                                     \
	do {                                                                   \
		if ((r).reason != SW_OK || (r).out != (want))                  \
			fail_msg(                                              \
				"%s:%d: walk %s (%s), out 0x%llx want 0x%llx", \
				__FILE__, __LINE__,                            \
				sw_reason_name((r).reason), (r).why,           \
				(unsigned long long)(r).out,                   \
				(unsigned long long)(want));                   \
	} while (0)

#define EXPECT_FAULT(r, rsn, supp)                                             \
	do {                                                                   \
		if ((r).reason != (rsn) || (r).suppressed != (supp))           \
			fail_msg("%s:%d: walk %s (%s) supp %d, want %s/%d",    \
				 __FILE__, __LINE__,                           \
				 sw_reason_name((r).reason), (r).why,          \
				 (r).suppressed, sw_reason_name(rsn), (supp)); \
	} while (0)

/*
 * A domain's entries carry its own id as DID when it fits the unit's
 * width, else one DID below 2^width that no other domain uses.
 */
static void check_did(struct world *w, int unit, int dom, unsigned did)
{
	const struct vtd_unit *u = &w->e->unit[unit];
	domid_t id = w->doms[dom].id;

	assert_true(did < u->did_limit);
	if (id < u->did_limit - VTD_DID_REMAP) {
		assert_int_equal(did, id);
		return;
	}
	if (!w->did_seen[unit][dom])
		w->did_seen[unit][dom] = did + 1;
	assert_int_equal(w->did_seen[unit][dom], did + 1);
	for (int i = 0; i < NDOMS; i++)
		if (i != dom)
			assert_true(w->did_seen[unit][i] != did + 1 &&
				    w->doms[i].id != did);
}

static void check_ent(struct world *w, const struct ent *x)
{
	const struct dom *d = &w->doms[x->dom];
	struct sw_result r;

	switch (x->state) {
	case ST_FREE:
		walk(w, x->unit, x->device, x->pasid, IOVA_BASE, false, &r);
		if (leaf_live(w, x->unit, x->device, x->pasid)) {
			EXPECT_FAULT(r, SW_PE_NOT_PRESENT, false);
		} else {
			/* The PASID table was freed with its last entry. */
			EXPECT_FAULT(r, SW_DIR_NOT_PRESENT, false);
		}
		break;
	case ST_BLOCKED:
		walk(w, x->unit, x->device, x->pasid, IOVA_BASE, false, &r);
		EXPECT_FAULT(r, SW_SL_NOT_PRESENT, true);
		check_did(w, x->unit, x->dom, r.did);
		walk(w, x->unit, x->device, x->pasid, IOVA_SUPER + 8, true, &r);
		EXPECT_FAULT(r, SW_SL_NOT_PRESENT, true);
		walk(w, x->unit, x->device, x->pasid, 0, true, &r);
		EXPECT_FAULT(r, SW_SL_NOT_PRESENT, true);
		break;
	case ST_SL:
		walk(w, x->unit, x->device, x->pasid, IOVA_BASE + 0x10, true,
		     &r);
		EXPECT_OK(r, dom_hpa(d, 0) + 0x10);
		check_did(w, x->unit, x->dom, r.did);
		assert_int_equal(r.pgtt, SW_PGTT_SECOND);
		walk(w, x->unit, x->device, x->pasid, IOVA_BASE + 0x1FF8, false,
		     &r);
		EXPECT_OK(r, dom_hpa(d, 1) + 0xFF8);
		walk(w, x->unit, x->device, x->pasid, IOVA_BASE + 0x1000, true,
		     &r);
		EXPECT_FAULT(r, SW_SL_DENIED, false);
		walk(w, x->unit, x->device, x->pasid, IOVA_BASE + 0x2abc, true,
		     &r);
		EXPECT_OK(r, dom_hpa(d, 2) + 0xabc);
		walk(w, x->unit, x->device, x->pasid, IOVA_SUPER + 0x123456,
		     false, &r);
		EXPECT_OK(r, dom_super_hpa(d) + 0x123456);
		walk(w, x->unit, x->device, x->pasid, IOVA_BASE + 0x5000, false,
		     &r);
		EXPECT_FAULT(r, SW_SL_NOT_PRESENT, false);
		break;
	case ST_FL:
		walk(w, x->unit, x->device, x->pasid, FL_VA_BASE + 0x44, true,
		     &r);
		EXPECT_OK(r, guest_hpa(x->guest, 0) + 0x44);
		assert_int_equal(r.pgtt, SW_PGTT_FIRST);
		check_did(w, x->unit, x->dom, r.did);
		walk(w, x->unit, x->device, x->pasid, FL_VA_BASE + 0x1008,
		     false, &r);
		EXPECT_OK(r, guest_hpa(x->guest, 1) + 8);
		walk(w, x->unit, x->device, x->pasid, FL_VA_BASE + 0x1008, true,
		     &r);
		EXPECT_FAULT(r, SW_FL_DENIED, false);
		walk(w, x->unit, x->device, x->pasid, FL_VA_BASE + 0x2000,
		     false, &r);
		EXPECT_FAULT(r, SW_FL_DENIED, false);
		walk(w, x->unit, x->device, x->pasid, FL_VA_BASE + 0x9000,
		     false, &r);
		EXPECT_FAULT(r, SW_FL_NOT_PRESENT, false);
		if (w->e->unit[x->unit].cfg.first_level_without_flts) {
			/* As QEMU 7.2 walks it: through the domain's
			 * second-level tables, never page 0. */
			walk_qemu(w, x, IOVA_BASE + 0x10, &r);
			EXPECT_OK(r, dom_hpa(d, 0) + 0x10);
			walk_qemu(w, x, 0, &r);
			EXPECT_FAULT(r, SW_SL_NOT_PRESENT, false);
		}
		break;
	case ST_PT:
		walk(w, x->unit, x->device, x->pasid, 0x123456789ULL, true, &r);
		EXPECT_OK(r, 0x123456789ULL);
		assert_int_equal(r.pgtt, SW_PGTT_PASSTHROUGH);
		check_did(w, x->unit, x->dom, r.did);
		break;
	}
}

static void check_world(struct world *w)
{
	struct sw_result r;

	for (int i = 0; i < w->nents; i++)
		check_ent(w, &w->ents[i]);
	/* PASIDs never touched on every device: blocked, nothing cached. */
	for (int u = 0; u < NUNITS; u++)
		for (int k = 0; k < 4; k++)
			for (int j = 0; j < 20; j++) {
				uint32_t p = rnd(w) & 0xFFFFF;
				bool known = false;

				for (int i = 0; i < w->nents; i++)
					known |= w->ents[i].unit == u &&
						 w->ents[i].device ==
							 w->devices[u][k] &&
						 w->ents[i].pasid == p;
				if (known)
					continue;
				walk(w, u, w->devices[u][k], p, IOVA_BASE,
				     false, &r);
				/* Beyond a directory sized to the
				 * device's highest PASID: too big. */
				if (r.reason != SW_DIR_NOT_PRESENT &&
				    r.reason != SW_PE_NOT_PRESENT &&
				    r.reason != SW_PASID_TOO_BIG)
					fail_msg("untouched pasid %x: %s", p,
						 sw_reason_name(r.reason));
				assert_false(r.suppressed);
			}
}

static struct ent *add_ent(struct world *w, int unit, uint32_t device,
			   uint32_t pasid)
{
	struct ent *x;

	for (int i = 0; i < w->nents; i++)
		if (w->ents[i].unit == unit && w->ents[i].device == device &&
		    w->ents[i].pasid == pasid)
			return &w->ents[i];
	assert_true(w->nents < MAXENTS);
	x = &w->ents[w->nents++];
	*x = (struct ent){.unit = unit, .device = device, .pasid = pasid};
	return x;
}

static void test_independent_walk(void **state)
{
	struct env *e = *state;
	struct world *w = calloc(1, sizeof(*w));
	static const domid_t ids[NDOMS] = {1, 0xBEEF, 7, 0x7FF2};
	static const uint32_t fixed[] = {
		1,    2,      63,      64,	65,	 1000,	 4095,
		4096, 0x8000, 0x12345, 0xFFFC0, 0xFFFFE, 0xFFFFF};
	struct vtd_config cfg[NUNITS] = {
		{.name = "full-a", .segment = 0},
		{.name = "full-b", .segment = 0},
		{.name = "qemu",
		 .segment = 0,
		 .pasid_bits_override = 20,
		 .first_level_without_flts = true},
	};
	unsigned base_pages;

	assert_non_null(w);
	w->e = e;
	w->rng = 0x5eed;
	for (int u = 0; u < NUNITS; u++) {
		/* Both root-entry halves, several buses. */
		w->devices[u][0] = dev(0, u, 0x08);
		w->devices[u][1] = dev(0, u, 0x09);
		w->devices[u][2] = dev(0, 0x80 + u, 0x90);
		w->devices[u][3] = dev(0, 0xFF, 0xFF);
	}
	for (int i = 0; i < NDOMS; i++)
		dom_build(&e->mem, &w->doms[i], ids[i]);
	for (int g = 0; g < NGUESTS; g++)
		guest_build(&e->mem, &w->guests[g], g);
	/* Everything beyond this is the drivers'. */
	base_pages = e->mem.pages_in_use;
	unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg[0]);
	/* 8-bit DIDs: domains 0xBEEF and 0x7FF2 borrow DIDs. */
	unit_up(e, 1, (CAP_FULL & ~7ULL) | 2, ECAP_FULL, &cfg[1]);
	unit_up(e, 2, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg[2]);
	for (int u = 0; u < NUNITS; u++)
		w->levels[u] = vtd_sl_levels(&e->unit[u]);
	assert_int_equal(w->levels[0], 4);
	assert_int_equal(w->levels[2], 3);

	/* Phase 1: every fixed PASID, every device, rotating kinds. */
	int n = 0;
	for (int u = 0; u < NUNITS; u++)
		for (int k = 0; k < 4; k++)
			for (size_t i = 0; i < ARRAY_SIZE(fixed); i++, n++) {
				struct ent *x = add_ent(w, u, w->devices[u][k],
							fixed[i]);

				apply(w, x, ST_BLOCKED + n % 4, n % NDOMS,
				      n % NGUESTS, n % 3 != 0);
			}
	for (int u = 0; u < NUNITS; u++)
		e->unit[u].iommu.ops->wait(&e->unit[u].iommu);
	check_world(w);

	/* Phase 2: random PASIDs and random transitions. */
	for (int step = 0; step < 3000; step++) {
		int u = rnd(w) % NUNITS;
		uint32_t device = w->devices[u][rnd(w) % 4];
		uint32_t pasid = rnd(w) % 3 == 0
					 ? fixed[rnd(w) % ARRAY_SIZE(fixed)]
					 : (rnd(w) & 0xFFFFF) | 1;
		struct ent *x;

		if (w->nents >= MAXENTS - 1)
			pasid = w->ents[rnd(w) % w->nents].pasid;
		int kind = rnd(w) % 5, dom = rnd(w) % NDOMS;
		int guest = rnd(w) % NGUESTS;
		bool wait = rnd(w) % 4 != 0;

		x = add_ent(w, u, device, pasid);
		if (rnd(w) % 6 == 0)
			block(w, x, wait); /* as the manager parks */
		else
			apply(w, x, kind, dom, guest, wait);
		if (step % 500 == 499) {
			for (int v = 0; v < NUNITS; v++)
				e->unit[v].iommu.ops->wait(&e->unit[v].iommu);
			check_world(w);
		}
	}
	for (int u = 0; u < NUNITS; u++)
		e->unit[u].iommu.ops->wait(&e->unit[u].iommu);
	check_world(w);

	/*
	 * Each device's directory has grown to exactly the size its highest
	 * PASID needs (never shrunk): PDTS 2 for one page, +1 per doubling.
	 */
	for (int u = 0; u < NUNITS; u++) {
		uint64_t pages_sum = 0;

		for (int k = 0; k < 4; k++) {
			uint32_t top = 0;
			unsigned pages = 1, pdts = 2;

			for (int i = 0; i < w->nents; i++)
				if (w->ents[i].unit == u &&
				    w->ents[i].device == w->devices[u][k] &&
				    w->ents[i].pasid > top)
					top = w->ents[i].pasid;
			while ((top >> 6) >= pages * 512) {
				pages *= 2;
				pdts++;
			}
			assert_int_equal(dev_pdts(e, u, w->devices[u][k], NULL),
					 pdts);
			pages_sum += pages;
		}
		assert_true(e->unit[u].stats.dir_pages == pages_sum);
		assert_true(e->unit[u].stats.dirs_grown > 0);
	}

	/* Unit 1 lent DIDs to the two wide domain ids. */
	assert_true(w->did_seen[1][1] >= 256 - VTD_DID_REMAP + 1);
	assert_true(w->did_seen[1][3] >= 256 - VTD_DID_REMAP + 1);

	/* Phase 3: clear everything; every PASID table must be gone. */
	for (int i = 0; i < w->nents; i++)
		if (w->ents[i].state != ST_FREE)
			apply(w, &w->ents[i], ST_FREE, w->ents[i].dom, 0, true);
	check_world(w);
	for (int u = 0; u < NUNITS; u++) {
		assert_true(e->unit[u].stats.leaves_alloc ==
			    e->unit[u].stats.leaves_freed);
		assert_sim_clean(e, u);
	}
	for (int u = 0; u < NUNITS; u++)
		unit_down(e, u);
	assert_int_equal(e->mem.pages_in_use, base_pages);
	print_message("independent walk: %d PASID entries, %u walks\n",
		      w->nents, w->checks);
	free(w);
}

/* ------------------------------------------------------------------ */
/* (c) invalidation order                                              */

static unsigned g_of(const struct sim_desc *d)
{
	return (unsigned)(d->w[0] >> 4 & 3);
}

static unsigned did_of(const struct sim_desc *d)
{
	return (unsigned)(d->w[0] >> 16 & 0xFFFF);
}

static unsigned pasid_of(const struct sim_desc *d)
{
	return (unsigned)(d->w[0] >> 32 & 0xFFFFF);
}

/* The PASID flush of 6.5 guidance: PC, PIOTLB, IOTLB-DSI (, PDEVTLB). */
static unsigned expect_flush(struct sim_unit *s, unsigned at, unsigned did,
			     unsigned pasid, bool ats)
{
	assert_true(at + 3 <= s->nlog);
	assert_int_equal(s->log[at].type, SW_INV_PASID_CACHE);
	assert_int_equal(g_of(&s->log[at]), 1);
	assert_int_equal(did_of(&s->log[at]), did);
	assert_int_equal(pasid_of(&s->log[at]), pasid);
	assert_int_equal(s->log[at + 1].type, SW_INV_PASID_IOTLB);
	assert_int_equal(g_of(&s->log[at + 1]), 2);
	assert_int_equal(did_of(&s->log[at + 1]), did);
	assert_int_equal(pasid_of(&s->log[at + 1]), pasid);
	assert_int_equal(s->log[at + 2].type, SW_INV_IOTLB);
	assert_int_equal(g_of(&s->log[at + 2]), 2);
	assert_int_equal(did_of(&s->log[at + 2]), did);
	at += 3;
	if (ats) {
		assert_true(at < s->nlog);
		assert_int_equal(s->log[at].type, SW_INV_PASID_DEV_TLB);
		assert_int_equal(pasid_of(&s->log[at]), pasid);
		assert_int_equal(s->log[at].w[0] >> 16 & 0xFFFF, 0x8310);
		at++;
	}
	return at;
}

static unsigned expect_wait(struct sim_unit *s, unsigned at)
{
	assert_true(at < s->nlog);
	assert_int_equal(s->log[at].type, SW_INV_WAIT);
	assert_true(s->log[at].w[0] & 0x20);  /* SW */
	assert_false(s->log[at].w[0] & 0x10); /* no IF */
	return at + 1;
}

struct order_probe {
	struct env *e;
	uint32_t device, pasid;
	unsigned old_did;
	int seen_old, old_present;
};

/* At each PASID-cache flush of the old tag: is the entry present? */
static void probe_hook(struct sim_unit *s, const struct sim_desc *d, void *ctx)
{
	struct order_probe *p = ctx;
	struct sw_mem m = sim_sw_mem(s->mem);
	uint64_t pe[8];

	if (d->type != SW_INV_PASID_CACHE || did_of(d) != p->old_did ||
	    g_of(d) != 1)
		return;
	/* Only the first: the flush the driver issues before rewriting. */
	if (p->seen_old++)
		return;
	if (sw_pasid_entry(&m, s->rtaddr_latched, (uint8_t)(p->device >> 8),
			   (uint8_t)p->device, p->pasid, pe) &&
	    (pe[0] & 1))
		p->old_present++;
}

/* PASIDs and tags with their top bits set. */
#define PA1  0x80077
#define PA2  0x80078
#define TAG1 0x800B

static void order_run(struct env *e, bool ats)
{
	struct vtd_config cfg = {.name = "order"};
	struct vtd_unit *u = unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg);
	struct sim_unit *s = &e->sim[0];
	const struct pasid_iommu_ops *ops = u->iommu.ops;
	struct order_probe probe = {.e = e};
	struct dom d1, d2;
	struct pasid_entry_cfg c;
	uint32_t device = dev(0, 0x83, 0x10);
	unsigned at;

	dom_build(&e->mem, &d1, TAG1);
	dom_build(&e->mem, &d2, 22);
	if (ats) {
		struct vtd_ats_dev a = {.sid = 0x8310, .qdep = 0};

		assert_int_equal(vtd_add_ats_device(u, &a), 0);
	}

	/* Install on a new device: context-cache (device) then the flush. */
	at = s->nlog;
	c = (struct pasid_entry_cfg){.kind = PASID_ENTRY_SECOND_LEVEL,
				     .domain = TAG1,
				     .sl_root = hpa(d1.sl[4])};
	assert_int_equal(ops->install(&u->iommu, device, PA1, &c), 0);
	ops->invalidate(&u->iommu, device, PA1, TAG1);
	ops->wait(&u->iommu);
	assert_int_equal(s->log[at].type, SW_INV_CONTEXT);
	assert_int_equal(g_of(&s->log[at]), 3);
	assert_int_equal(s->log[at].w[0] >> 32 & 0xFFFF, 0x8310);
	at = expect_flush(s, at + 1, TAG1, PA1, ats);
	at = expect_wait(s, at);
	assert_int_equal(at, s->nlog);

	/* Re-binding to another domain: the old tag is flushed and waited
	 * for while the entry is not present, before the new entry. */
	probe.device = device;
	probe.pasid = PA1;
	probe.old_did = TAG1;
	s->hook = probe_hook;
	s->hook_ctx = &probe;
	at = s->nlog;
	c.domain = 22;
	c.sl_root = hpa(d2.sl[4]);
	assert_int_equal(ops->install(&u->iommu, device, PA1, &c), 0);
	at = expect_flush(s, at, TAG1, PA1, ats);
	at = expect_wait(s, at);
	assert_int_equal(at, s->nlog); /* nothing yet for the new tag */
	ops->invalidate(&u->iommu, device, PA1, 22);
	ops->wait(&u->iommu);
	at = expect_flush(s, at, 22, PA1, ats);
	at = expect_wait(s, at);
	assert_int_equal(probe.seen_old, 1);
	assert_int_equal(probe.old_present, 0);

	/* Parking (same domain): old tag flushed before the blocked entry. */
	probe.old_did = 22;
	probe.seen_old = probe.old_present = 0;
	c.kind = PASID_ENTRY_BLOCKED;
	assert_int_equal(ops->install(&u->iommu, device, PA1, &c), 0);
	ops->invalidate(&u->iommu, device, PA1, 22);
	ops->wait(&u->iommu);
	at = expect_flush(s, at, 22, PA1, ats);
	at = expect_wait(s, at);
	/* The same (pasid, tag) after the wait is flushed again. */
	at = expect_flush(s, at, 22, PA1, ats);
	at = expect_wait(s, at);
	assert_int_equal(at, s->nlog);
	assert_int_equal(probe.seen_old, 2);
	assert_int_equal(probe.old_present, 0);
	s->hook = NULL;

	/* A second PASID in the same table, then clear both. */
	c.kind = PASID_ENTRY_PASSTHROUGH;
	c.domain = TAG1;
	assert_int_equal(ops->install(&u->iommu, device, PA2, &c), 0);
	ops->invalidate(&u->iommu, device, PA2, TAG1);
	ops->wait(&u->iommu);
	at = expect_wait(s, expect_flush(s, at, TAG1, PA2, ats));

	/* Clear, not the last entry: flush of the old tag, deduplicated
	 * against the manager's own invalidate of the same tag. */
	ops->clear(&u->iommu, device, PA1);
	ops->invalidate(&u->iommu, device, PA1, 22);
	ops->wait(&u->iommu);
	at = expect_wait(s, expect_flush(s, at, 22, PA1, ats));
	assert_int_equal(at, s->nlog);

	/* Clear the last entry, pass-through: context-cache (device, for
	 * QEMU's fast path), flush, PASID-cache global; the table is freed
	 * only after the caller's wait (one wait covers many tables), and
	 * the manager's own invalidate is a duplicate. */
	uint64_t freed = u->stats.leaves_freed;
	ops->clear(&u->iommu, device, PA2);
	assert_int_equal(s->log[at].type, SW_INV_CONTEXT);
	assert_int_equal(g_of(&s->log[at]), 3);
	assert_int_equal(s->log[at].w[0] >> 32 & 0xFFFF, 0x8310);
	at = expect_flush(s, at + 1, TAG1, PA2, ats);
	assert_int_equal(s->log[at].type, SW_INV_PASID_CACHE);
	assert_int_equal(g_of(&s->log[at]), 3);
	at++;
	assert_int_equal(at, s->nlog);
	assert_true(u->stats.leaves_freed == freed);
	ops->invalidate(&u->iommu, device, PA2, TAG1);
	ops->wait(&u->iommu);
	at = expect_wait(s, at);
	assert_true(u->stats.leaves_freed == freed + 1);
	assert_sim_clean(e, 0);
	unit_down(e, 0);
}

/*
 * block() over a batch, as a domain's teardown parks its PASIDs: each
 * entry goes not present with its flushes queued, and one wait (two in
 * caching mode, 6.1: the blocked entries' PASID-cache entries too) writes
 * them all back blocked, FPD set, with their DIDs; a batch larger than
 * the list costs one more.  The clears that follow free the emptied
 * PASID tables only at the next wait, and a clear or an install of an
 * entry still waiting to be blocked is handled in place.
 */
static void test_block_batch(void **state)
{
	struct env *e = *state;
	const uint32_t device = dev(0, 0, 0x10);
	const unsigned n = VTD_MAX_PENDING_BLOCKS + 44;
	struct dom d;

	dom_build(&e->mem, &d, 5);
	for (int cm = 0; cm < 2; cm++) {
		struct vtd_config cfg = {.name = "batch",
					 .pasid_bits_override = 20};
		struct vtd_unit *u =
			unit_up(e, 0, SIM_QEMU_CAP | (cm ? VTD_CAP_CM : 0),
				SIM_QEMU_ECAP, &cfg);
		const struct pasid_iommu_ops *ops = u->iommu.ops;
		struct pasid_entry_cfg c = {.kind = PASID_ENTRY_SECOND_LEVEL,
					    .domain = d.id,
					    .sl_root = hpa(d.sl[3])};
		uint64_t waits, freed;
		struct sw_result r;
		struct world w = {.e = e};
		unsigned at;

		for (uint32_t p = 1; p <= n; p++)
			assert_int_equal(ops->install(&u->iommu, device, p, &c),
					 0);
		ops->wait(&u->iommu);
		waits = u->stats.waits;
		/* Each block queues the flushes of the entry's DID at once:
		 * what the wait then completes before the blocked entry goes
		 * in (as for any present entry switched, 6.5). */
		at = e->sim[0].nlog;
		for (uint32_t p = 1; p <= 3; p++) {
			ops->block(&u->iommu, device, p, d.id);
			at = expect_flush(&e->sim[0], at, d.id, p, false);
		}
		assert_int_equal(at, e->sim[0].nlog);
		for (uint32_t p = 4; p <= n; p++)
			ops->block(&u->iommu, device, p, d.id);
		/* The list filled once: its entries were written back. */
		assert_int_equal(u->stats.waits - waits, cm ? 2 : 1);
		assert_int_equal(u->npending_blocks,
				 n - VTD_MAX_PENDING_BLOCKS);
		walk(&w, 0, device, n, IOVA_BASE, false, &r);
		EXPECT_FAULT(r, SW_PE_NOT_PRESENT, false); /* not yet */
		ops->wait(&u->iommu);
		assert_int_equal(u->stats.waits - waits, cm ? 4 : 2);
		assert_int_equal(u->stats.entries, n);
		for (uint32_t p = 1; p <= n; p++) {
			walk(&w, 0, device, p, IOVA_BASE, true, &r);
			EXPECT_FAULT(r, SW_SL_NOT_PRESENT, true);
			assert_int_equal(r.did, d.id);
		}
		/* Blocking again changes nothing and costs nothing. */
		ops->block(&u->iommu, device, 1, d.id);
		assert_int_equal(u->npending_blocks, 0);
		/* A clear of an entry still to be blocked, and an install
		 * over one: the first goes, the second translates. */
		ops->block(&u->iommu, device, 2, d.id); /* blocked: no-op */
		c.kind = PASID_ENTRY_SECOND_LEVEL;
		assert_int_equal(ops->install(&u->iommu, device, 2, &c), 0);
		ops->invalidate(&u->iommu, device, 2, d.id);
		ops->wait(&u->iommu);
		ops->block(&u->iommu, device, 2, d.id);
		ops->block(&u->iommu, device, 3, d.id); /* blocked: no-op */
		assert_int_equal(u->npending_blocks, 1);
		ops->clear(&u->iommu, device, 2);
		assert_int_equal(u->npending_blocks, 0);
		assert_int_equal(ops->install(&u->iommu, device, 2, &c), 0);
		ops->block(&u->iommu, device, 2, d.id);
		assert_int_equal(ops->install(&u->iommu, device, 2, &c), 0);
		assert_int_equal(u->npending_blocks, 0);
		ops->invalidate(&u->iommu, device, 2, d.id);
		ops->wait(&u->iommu);
		walk(&w, 0, device, 2, IOVA_BASE + 0x10, true, &r);
		EXPECT_OK(r, dom_hpa(&d, 0) + 0x10);
		assert_int_equal(u->stats.entries, n);
		/* The teardown's clears: tables freed at the wait, not
		 * before, even with a block left pending in the last. */
		ops->block(&u->iommu, device, 2, d.id);
		freed = u->stats.leaves_freed;
		waits = u->stats.waits;
		for (uint32_t p = 1; p <= n; p++) {
			if (p == 2)
				continue;
			ops->clear(&u->iommu, device, p);
			ops->invalidate(&u->iommu, device, p, d.id);
		}
		assert_int_equal(u->stats.waits, waits);
		assert_int_equal(u->stats.leaves_freed, freed + 0);
		walk(&w, 0, device, 3, IOVA_BASE, false, &r);
		EXPECT_FAULT(r, SW_PE_NOT_PRESENT, false); /* 2's table */
		ops->clear(&u->iommu, device, 2);
		ops->invalidate(&u->iommu, device, 2, d.id);
		ops->wait(&u->iommu);
		assert_int_equal(u->stats.leaves_freed, freed + (n + 63) / 64);
		assert_int_equal(u->stats.entries, 0);
		assert_int_equal(u->npending_blocks, 0);
		assert_sim_clean(e, 0);
		unit_down(e, 0);
	}
}

static void test_order(void **state)
{
	order_run(*state, false);
}

static void test_order_ats(void **state)
{
	order_run(*state, true);
}

/* Store order, seen through the cache flushes the driver asks for. */
struct wtrace {
	struct sim_unit *s;
	uint64_t entry;
	struct {
		uint64_t pa;
		size_t len;
		unsigned nlog;
		uint64_t snap[8];
	} ev[16];
	unsigned n;
};

static void trace_flush(struct sim_mem *m, uint64_t pa, size_t len, void *ctx)
{
	struct wtrace *t = ctx;

	if (pa + len <= t->entry || pa >= t->entry + 64 || t->n == 16)
		return;
	t->ev[t->n].pa = pa;
	t->ev[t->n].len = len;
	t->ev[t->n].nlog = t->s->nlog;
	for (int i = 0; i < 8; i++)
		t->ev[t->n].snap[i] = sim_rd(m, t->entry + i * 8);
	t->n++;
}

/* Words 1-7 are written back while P is clear, then word 0. */
static unsigned expect_commit(struct wtrace *t, unsigned i, uint64_t did)
{
	assert_true(i + 2 <= t->n);
	assert_true(t->ev[i].pa == t->entry + 8 && t->ev[i].len == 56);
	assert_int_equal(t->ev[i].snap[0] & 1, 0);
	assert_true(t->ev[i].snap[1] == did);
	assert_true(t->ev[i + 1].pa == t->entry && t->ev[i + 1].len == 8);
	assert_int_equal(t->ev[i + 1].snap[0] & 1, 1);
	return i + 2;
}

/* P is cleared (and written back) while the rest is intact. */
static unsigned expect_retire(struct wtrace *t, unsigned i, uint64_t did)
{
	assert_true(i + 2 <= t->n);
	assert_true(t->ev[i].pa == t->entry && t->ev[i].len == 8);
	assert_int_equal(t->ev[i].snap[0] & 1, 0);
	assert_true(t->ev[i].snap[1] == did);
	assert_true(t->ev[i + 1].pa == t->entry + 8 && t->ev[i + 1].len == 56);
	for (int w = 0; w < 8; w++)
		assert_true(t->ev[i + 1].snap[w] == 0);
	return i + 2;
}

static void test_write_order(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.name = "order"};
	struct vtd_unit *u = unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg);
	struct sw_mem m = sim_sw_mem(&e->mem);
	struct wtrace t = {.s = &e->sim[0]};
	uint32_t device = dev(0, 5, 0xA8);
	struct pasid_entry_cfg c = {.kind = PASID_ENTRY_PASSTHROUGH,
				    .domain = 9};
	unsigned i;

	assert_false(u->coherent); /* ECAP.C = 0: flushes are asked for */
	assert_int_equal(vtd_install(&u->iommu, device, 0x400, &c), 0);
	assert_true(sw_pasid_entry_pa(&m, e->sim[0].rtaddr_latched, 5, 0xA8,
				      0x401, &t.entry));
	e->mem.flush_hook = trace_flush;
	e->mem.flush_ctx = &t;

	/* New entry: present bit last. */
	assert_int_equal(vtd_install(&u->iommu, device, 0x401, &c), 0);
	i = expect_commit(&t, 0, 9);
	assert_int_equal(i, t.n);

	/* Live entry to another tag: retire, flush + wait, commit. */
	c.domain = 10;
	assert_int_equal(vtd_install(&u->iommu, device, 0x401, &c), 0);
	i = expect_retire(&t, i, 9);
	i = expect_commit(&t, i, 10);
	assert_int_equal(i, t.n);
	assert_true(t.ev[i - 2].nlog > t.ev[i - 3].nlog);
	assert_int_equal(e->sim[0].log[t.ev[i - 2].nlog - 1].type, SW_INV_WAIT);

	/* Clear: present bit first. */
	vtd_clear(&u->iommu, device, 0x401);
	i = expect_retire(&t, i, 10);
	assert_int_equal(i, t.n);
	e->mem.flush_hook = NULL;
	assert_sim_clean(e, 0);
}

/* ------------------------------------------------------------------ */
/* Contract and failure paths                                          */

static void test_present_never_fails(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg);
	struct dom d;
	struct pasid_entry_cfg c;
	unsigned pages;

	dom_build(&e->mem, &d, 5);
	c = (struct pasid_entry_cfg){.kind = PASID_ENTRY_SECOND_LEVEL,
				     .domain = 5,
				     .sl_root = hpa(d.sl[4])};
	assert_int_equal(vtd_install(&u->iommu, dev(0, 1, 0), 300, &c), 0);
	pages = e->mem.pages_in_use;

	/* No memory left: a new PASID in a new table fails cleanly... */
	e->mem.fail_after = 0;
	assert_int_equal(vtd_install(&u->iommu, dev(0, 1, 0), 9000, &c),
			 -XEN_ENOMEM);
	assert_int_equal(vtd_install(&u->iommu, dev(0, 2, 0), 1, &c),
			 -XEN_ENOMEM);
	/* ...but switching the live entry never fails. */
	c.kind = PASID_ENTRY_BLOCKED;
	assert_int_equal(vtd_install(&u->iommu, dev(0, 1, 0), 300, &c), 0);
	c.kind = PASID_ENTRY_PASSTHROUGH;
	assert_int_equal(vtd_install(&u->iommu, dev(0, 1, 0), 300, &c), 0);
	/* Same PASID table, another entry: no allocation either. */
	assert_int_equal(vtd_install(&u->iommu, dev(0, 1, 0), 301, &c), 0);
	e->mem.fail_after = -1;
	/* dev 0:2.0 may keep its context table; nothing else grew. */
	assert_true(e->mem.pages_in_use <= pages + 1);
	assert_sim_clean(e, 0);
}

/* ------------------------------------------------------------------ */
/* PASID directory sizing and growth                                   */

/* A pass-through PASID-table entry (9.6): P, PGTT = 100b, DID. */
static void put_pt_entry(struct sim_mem *m, uint64_t table, unsigned i,
			 unsigned did)
{
	sim_wr(m, table + i * 64, 1 | 4ULL << 6);
	sim_wr(m, table + i * 64 + 8, did);
}

/*
 * The walker itself, on hand-made tables: PDTS (context entry bits 11:9)
 * gives 2^(PDTS + 7) directory entries, so PASIDs from 2^(PDTS + 7) * 64
 * up fault, with or without PASID (RID_PASID), even when the memory after
 * the directory holds a valid-looking entry.
 */
static void test_walker_pdts(void **state)
{
	struct env *e = *state;
	struct sim_mem *m = &e->mem;
	struct sw_mem sm = sim_sw_mem(m);
	uint64_t root, ctx, dir, table, rt, ce, got;
	struct sw_request rq = {.bus = 3, .devfn = 0x88, .addr = 0xABC000};
	struct sw_result r;
	unsigned pdts;

	(void)state;
	assert_non_null(sim_alloc(m, 1, &root));
	assert_non_null(sim_alloc(m, 1, &ctx));
	assert_non_null(sim_alloc(m, 32, &dir));
	assert_non_null(sim_alloc(m, 1, &table));
	for (unsigned i = 0; i < 64; i++)
		put_pt_entry(m, table, i, 7);
	rt = root | 1ULL << 10;		       /* TTM = 01b */
	sim_wr(m, root + 3 * 16 + 8, ctx | 1); /* bus 3, upper half (UP) */
	ce = ctx + (0x88 & 0x7F) * 32;
	for (unsigned p = 0; p <= 7; p++) {
		uint64_t lim = 1ULL << (p + 7); /* directory entries */
		uint32_t top = (uint32_t)(lim * 64 - 1);

		/* P, PASIDE, PDTS = p, directory pointer. */
		sim_wr(m, ce, dir | (uint64_t)p << 9 | 1 << 3 | 1);
		sim_wr(m, dir + (lim - 1) * 8, table | 1);
		if (lim < 16384)
			sim_wr(m, dir + lim * 8, table | 1);
		assert_true(sw_pasid_dir(&sm, rt, 3, 0x88, &got, &pdts));
		assert_true(got == dir);
		assert_int_equal(pdts, p);

		rq.has_pasid = true;
		rq.pasid = top;
		sw_translate(&sm, rt, &rq, &r);
		EXPECT_OK(r, rq.addr);
		rq.pasid = top - 64; /* the entry below: not present */
		sw_translate(&sm, rt, &rq, &r);
		EXPECT_FAULT(r, SW_DIR_NOT_PRESENT, false);
		if (top < 0xFFFFF) {
			rq.pasid = top + 1;
			sw_translate(&sm, rt, &rq, &r);
			EXPECT_FAULT(r, SW_PASID_TOO_BIG, false);
			rq.pasid = 0xFFFFF;
			sw_translate(&sm, rt, &rq, &r);
			EXPECT_FAULT(r, SW_PASID_TOO_BIG, false);
			/* Without PASID: RID_PASID beyond PDTS too. */
			rq.has_pasid = false;
			sim_wr(m, ce + 8, top + 1);
			sw_translate(&sm, rt, &rq, &r);
			EXPECT_FAULT(r, SW_PASID_TOO_BIG, false);
		}
		rq.has_pasid = false;
		sim_wr(m, ce + 8, top);
		sw_translate(&sm, rt, &rq, &r);
		EXPECT_OK(r, rq.addr);
		sim_wr(m, ce + 8, 0);
		sim_wr(m, dir + (lim - 1) * 8, 0);
		if (lim < 16384)
			sim_wr(m, dir + lim * 8, 0);
	}
	assert_int_equal(m->errors, 0);
}

/* The directory address and PDTS of a device, as the walker reads them. */
static unsigned dev_pdts(struct env *e, int unit, uint32_t device,
			 uint64_t *dir)
{
	struct sw_mem sm = sim_sw_mem(&e->mem);
	unsigned pdts = 99;
	uint64_t d;

	assert_true(sw_pasid_dir(&sm, e->sim[unit].rtaddr_latched,
				 (uint8_t)(device >> 8), (uint8_t)device, &d,
				 &pdts));
	if (dir)
		*dir = d;
	return pdts;
}

static bool sim_page_used(struct sim_mem *m, uint64_t pa)
{
	return m->used[(pa - SIM_PHYS_BASE) / 4096];
}

/* What the unit could see when the growth's invalidations run. */
struct grow_probe {
	struct env *e;
	struct dom *d;
	uint32_t device;
	const uint32_t *pasids;
	unsigned n;
	uint64_t old_dir;
	unsigned cc, pc, waits, bad;
};

static void grow_hook(struct sim_unit *s, const struct sim_desc *d, void *ctx)
{
	struct grow_probe *p = ctx;
	struct sw_mem sm = sim_sw_mem(s->mem);
	struct sw_request rq = {.bus = (uint8_t)(p->device >> 8),
				.devfn = (uint8_t)p->device,
				.has_pasid = true,
				.addr = IOVA_BASE + 0x10};
	struct sw_result r;

	if (d->type == SW_INV_CONTEXT)
		p->cc++;
	else if (d->type == SW_INV_PASID_CACHE)
		p->pc++;
	else if (d->type == SW_INV_WAIT)
		p->waits++;
	else
		return;
	/* The old directory is still there until the wait completed... */
	if (!sim_page_used(s->mem, p->old_dir))
		p->bad++;
	/* ...and the context entry already names a complete new one. */
	for (unsigned i = 0; i < p->n; i++) {
		rq.pasid = p->pasids[i];
		sw_translate(&sm, s->rtaddr_latched, &rq, &r);
		if (r.reason != SW_OK || r.out != dom_hpa(p->d, 0) + 0x10)
			p->bad++;
	}
}

/* Every PASID in `pasids` translates through the domain's tables. */
static void walk_all(struct env *e, uint32_t device, struct dom *d,
		     const uint32_t *pasids, unsigned n)
{
	struct sw_mem sm = sim_sw_mem(&e->mem);
	struct sw_request rq = {.bus = (uint8_t)(device >> 8),
				.devfn = (uint8_t)device,
				.has_pasid = true,
				.addr = IOVA_BASE + 0x2abc,
				.write = true};
	struct sw_result r;

	for (unsigned i = 0; i < n; i++) {
		rq.pasid = pasids[i];
		sw_translate(&sm, e->sim[0].rtaddr_latched, &rq, &r);
		EXPECT_OK(r, dom_hpa(d, 2) + 0xabc);
	}
}

static enum sw_reason walk_reason(struct env *e, uint32_t device,
				  uint32_t pasid)
{
	struct sw_mem sm = sim_sw_mem(&e->mem);
	struct sw_request rq = {.bus = (uint8_t)(device >> 8),
				.devfn = (uint8_t)device,
				.has_pasid = true,
				.pasid = pasid,
				.addr = IOVA_BASE};
	struct sw_result r;

	return sw_translate(&sm, e->sim[0].rtaddr_latched, &rq, &r);
}

static void bind(struct vtd_unit *u, uint32_t device, uint32_t pasid,
		 const struct pasid_entry_cfg *c)
{
	assert_int_equal(vtd_install(&u->iommu, device, pasid, c), 0);
	vtd_invalidate(&u->iommu, device, pasid, c->domain);
	vtd_wait(&u->iommu);
}

/*
 * Low PASIDs: a one-page directory (PDTS 2).  A PASID beyond it grows the
 * directory to the size it needs: entries copied, context entry switched,
 * context cache (device) and PASID cache (global) invalidated, a wait,
 * then the old directory freed.  Every translation survives, and nothing
 * leaks.
 */
static void test_dir_growth(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.name = "qemu", .pasid_bits_override = 20};
	struct sim_unit *s;
	struct vtd_unit *u;
	struct dom d;
	struct pasid_entry_cfg c;
	uint32_t device = dev(0, 2, 0x10), other = dev(0, 2, 0x18);
	uint32_t pasids[16] = {1, 2, 63, 64, 1000, 32767};
	unsigned n = 6, base, at;
	struct grow_probe probe = {.e = e, .d = &d, .device = device};
	uint64_t dir, old;

	dom_build(&e->mem, &d, 5);
	base = e->mem.pages_in_use;
	u = unit_up(e, 0, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg);
	s = &e->sim[0];
	c = (struct pasid_entry_cfg){.kind = PASID_ENTRY_SECOND_LEVEL,
				     .domain = 5,
				     .sl_root = hpa(d.sl[3])};
	unsigned unit_pages = e->mem.pages_in_use - base;

	for (unsigned i = 0; i < n; i++)
		bind(u, device, pasids[i], &c);
	assert_int_equal(dev_pdts(e, 0, device, &dir), 2);
	assert_true(u->stats.dir_pages == 1);
	/* Context table, one directory page, leaves 0, 1, 15 and 511. */
	assert_int_equal(e->mem.pages_in_use - base - unit_pages, 1 + 1 + 4);
	walk_all(e, device, &d, pasids, n);
	assert_int_equal(walk_reason(e, device, 32768), SW_PASID_TOO_BIG);
	assert_int_equal(walk_reason(e, device, 0xFFFFF), SW_PASID_TOO_BIG);

	/* 40000 needs directory entry 625: two pages, PDTS 3. */
	probe.pasids = pasids;
	probe.n = n;
	probe.old_dir = old = dir;
	s->hook = grow_hook;
	s->hook_ctx = &probe;
	at = s->nlog;
	assert_int_equal(vtd_install(&u->iommu, device, 40000, &c), 0);
	s->hook = NULL;
	assert_int_equal(s->log[at].type, SW_INV_CONTEXT);
	assert_int_equal(g_of(&s->log[at]), 3);
	assert_int_equal(s->log[at].w[0] >> 32 & 0xFFFF, 0x0210);
	assert_int_equal(s->log[at + 1].type, SW_INV_PASID_CACHE);
	assert_int_equal(g_of(&s->log[at + 1]), 3);
	assert_int_equal(s->log[at + 2].type, SW_INV_IOTLB);
	assert_int_equal(g_of(&s->log[at + 2]), 1); /* global */
	at = expect_wait(s, at + 3);
	assert_int_equal(at, s->nlog);
	assert_int_equal(probe.cc, 1);
	assert_int_equal(probe.pc, 1);
	assert_int_equal(probe.waits, 1);
	assert_int_equal(probe.bad, 0);
	vtd_invalidate(&u->iommu, device, 40000, 5);
	vtd_wait(&u->iommu);
	at = expect_wait(s, expect_flush(s, at, 5, 40000, false));
	pasids[n++] = 40000;
	assert_int_equal(dev_pdts(e, 0, device, &dir), 3);
	assert_true(dir != old);
	assert_false(sim_page_used(&e->mem, old)); /* the old one is freed */
	assert_true(u->stats.dir_pages == 2 && u->stats.dirs_grown == 1);
	walk_all(e, device, &d, pasids, n);
	assert_int_equal(walk_reason(e, device, 65535), SW_DIR_NOT_PRESENT);
	assert_int_equal(walk_reason(e, device, 65536), SW_PASID_TOO_BIG);

	/* Straight to the largest directory: 32 pages, PDTS 7. */
	old = dir;
	bind(u, device, 0xFFFFF, &c);
	pasids[n++] = 0xFFFFF;
	assert_int_equal(dev_pdts(e, 0, device, &dir), 7);
	assert_false(sim_page_used(&e->mem, old));
	assert_true(u->stats.dir_pages == 32 && u->stats.dirs_grown == 2);
	walk_all(e, device, &d, pasids, n);
	/* Within it: no growth, no context-cache invalidation. */
	at = s->nlog;
	bind(u, device, 0x80000, &c);
	pasids[n++] = 0x80000;
	assert_int_equal(s->log[at].type, SW_INV_PASID_CACHE);
	assert_int_equal(dev_pdts(e, 0, device, NULL), 7);
	assert_true(u->stats.dirs_grown == 2);
	/* Switching a live entry after growth still needs no memory. */
	e->mem.fail_after = 0;
	c.kind = PASID_ENTRY_BLOCKED;
	assert_int_equal(vtd_install(&u->iommu, device, 40000, &c), 0);
	c.kind = PASID_ENTRY_SECOND_LEVEL;
	assert_int_equal(vtd_install(&u->iommu, device, 40000, &c), 0);
	e->mem.fail_after = -1;
	walk_all(e, device, &d, pasids, n);

	/* A new device's first PASID sizes its directory: entry 1024 needs
	 * 1025 entries, four pages, PDTS 4. */
	bind(u, other, 0x10000, &c);
	assert_int_equal(dev_pdts(e, 0, other, NULL), 4);
	assert_true(u->stats.dir_pages == 32 + 4);

	/* Clear everything: leaves freed; directories kept until fini. */
	for (unsigned i = 0; i < n; i++)
		vtd_clear(&u->iommu, device, pasids[i]);
	vtd_clear(&u->iommu, other, 0x10000);
	vtd_wait(&u->iommu);
	assert_true(u->stats.leaves_alloc == u->stats.leaves_freed);
	assert_int_equal(e->mem.pages_in_use - base - unit_pages, 1 + 32 + 4);
	assert_sim_clean(e, 0);
	unit_down(e, 0);
	assert_int_equal(e->mem.pages_in_use, base);
	assert_int_equal(e->mem.errors, 0);
}

/*
 * Under allocation failure (the bigger directory, or the PASID table for
 * the new PASID), a growth fails with -XEN_ENOMEM before anything is
 * written: same directory, same PDTS, every entry intact, no page held,
 * no invalidation issued.
 */
static void test_dir_growth_enomem(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.name = "qemu", .pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg);
	struct sim_unit *s = &e->sim[0];
	struct dom d;
	struct pasid_entry_cfg c;
	uint32_t device = dev(0, 0x40, 0x08);
	const uint32_t low[] = {1, 70, 32000};
	uint64_t dir, dir2;
	unsigned pages, nlog;

	dom_build(&e->mem, &d, 9);
	c = (struct pasid_entry_cfg){.kind = PASID_ENTRY_SECOND_LEVEL,
				     .domain = 9,
				     .sl_root = hpa(d.sl[3])};
	for (unsigned i = 0; i < ARRAY_SIZE(low); i++)
		bind(u, device, low[i], &c);
	assert_int_equal(dev_pdts(e, 0, device, &dir), 2);
	pages = e->mem.pages_in_use;
	nlog = s->nlog;
	for (int nth = 0; nth < 2; nth++) {
		e->mem.fail_after = nth;
		assert_int_equal(vtd_install(&u->iommu, device, 0x40000, &c),
				 -XEN_ENOMEM);
		e->mem.fail_after = -1;
		assert_int_equal(dev_pdts(e, 0, device, &dir2), 2);
		assert_true(dir2 == dir);
		assert_int_equal(e->mem.pages_in_use, pages);
		assert_int_equal(s->nlog, nlog);
		assert_true(u->stats.dir_pages == 1 &&
			    u->stats.dirs_grown == 0);
		walk_all(e, device, &d, low, ARRAY_SIZE(low));
		assert_int_equal(walk_reason(e, device, 0x40000),
				 SW_PASID_TOO_BIG);
	}
	/* With memory it grows (two allocations: directory and table). */
	e->mem.fail_after = 2;
	bind(u, device, 0x40000, &c);
	e->mem.fail_after = -1;
	assert_int_equal(dev_pdts(e, 0, device, &dir2), 6);
	assert_false(sim_page_used(&e->mem, dir));
	walk_all(e, device, &d, low, ARRAY_SIZE(low));
	walk_all(e, device, &d, (const uint32_t[]){0x40000}, 1);
	assert_int_equal(e->mem.pages_in_use, pages - 1 + 16 + 1);
	assert_sim_clean(e, 0);
}

static void test_rid_pasid(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg);
	struct sim_unit *s = &e->sim[0];
	struct sw_mem m = sim_sw_mem(&e->mem);
	struct sw_request rq = {.bus = 0, .devfn = 0x20, .addr = IOVA_BASE};
	struct sw_result r;
	struct dom d;
	struct pasid_entry_cfg c;
	unsigned at;

	dom_build(&e->mem, &d, 3);
	c = (struct pasid_entry_cfg){.kind = PASID_ENTRY_SECOND_LEVEL,
				     .domain = 3,
				     .sl_root = hpa(d.sl[3])};
	assert_int_equal(vtd_set_rid_pasid(u, dev(0, 0, 0x20), 0x84321),
			 -XEN_ENOENT);
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 0x20), 0x84321, &c),
			 0);
	/* Requests without PASID use RID_PASID, 0 by default: blocked. */
	sw_translate(&m, s->rtaddr_latched, &rq, &r);
	EXPECT_FAULT(r, SW_DIR_NOT_PRESENT, false);
	at = s->nlog;
	assert_int_equal(vtd_set_rid_pasid(u, dev(0, 0, 0x20), 0x84321), 0);
	assert_int_equal(s->log[at].type, SW_INV_CONTEXT);
	assert_int_equal(g_of(&s->log[at]), 3);
	assert_int_equal(s->log[s->nlog - 1].type, SW_INV_WAIT);
	sw_translate(&m, s->rtaddr_latched, &rq, &r);
	EXPECT_OK(r, dom_hpa(&d, 0));
	assert_sim_clean(e, 0);
}

static void test_lazy_queue(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct vtd_unit *u;
	struct pasid_entry_cfg c = {.kind = PASID_ENTRY_PASSTHROUGH,
				    .domain = 4};

	/* The queue runs only when polled: waits must poll. */
	sim_unit_init(&e->sim[0], &e->mem, CAP_FULL, ECAP_FULL);
	e->sim[0].lazy = true;
	u = &e->unit[0];
	assert_int_equal(vtd_unit_init(u, &cfg, &sim_mem_ops, &e->mem,
				       &sim_reg_ops, &e->sim[0]),
			 0);
	e->up[0] = true;
	/* More descriptors than queue slots, with no wait in between. */
	for (uint32_t p = 1; p < 200; p++) {
		assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), p, &c),
				 0);
		vtd_invalidate(&u->iommu, dev(0, 0, 8), p, 4);
	}
	vtd_wait(&u->iommu);
	assert_int_equal(u->error, 0);
	assert_true(e->sim[0].nlog > u->queue_slots);
	assert_true(*u->status == u->seq);
	assert_sim_clean(e, 0);
}

static void test_dead_queue(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg);
	struct pasid_entry_cfg c = {.kind = PASID_ENTRY_PASSTHROUGH,
				    .domain = 4};

	u->cfg.poll_limit = 1000;
	e->sim[0].dead = true;
	assert_int_equal(vtd_install(&u->iommu, dev(0, 0, 8), 1, &c), 0);
	vtd_invalidate(&u->iommu, dev(0, 0, 8), 1, 4);
	vtd_wait(&u->iommu); /* returns: bounded polling */
	assert_int_equal(u->error, -XEN_ETIMEDOUT);
	/* Clearing the last entry must not free a table the hardware may
	 * still walk when the wait failed. */
	vtd_clear(&u->iommu, dev(0, 0, 8), 1);
	assert_true(u->stats.leaves_freed == 0);
	e->sim[0].dead = false;
}

static void test_bad_descriptor_stops(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg);

	/* An IQE (as for an unknown type) is seen and made sticky. */
	e->sim[0].fsts |= 0x10;
	u->cfg.poll_limit = 1000;
	vtd_invalidate(&u->iommu, dev(0, 0, 8), 1, 4);
	vtd_wait(&u->iommu);
	assert_int_equal(u->error, -XEN_EIO);
	e->sim[0].fsts = 0;
}

struct routed {
	unsigned n;
	struct vtd_fault last;
};

static void route(void *ctx, const struct vtd_fault *f)
{
	struct routed *r = ctx;

	r->n++;
	r->last = *f;
}

static void test_fault_drain(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	/* Four fault records. */
	uint64_t cap = (CAP_FULL & ~(0xFFULL << 40)) | (3ULL << 40);
	struct vtd_unit *u = unit_up(e, 0, cap, ECAP_FULL, &cfg);
	struct routed r = {0};

	sim_inject_fault(&e->sim[0], 2, 0xFEED0000ULL,
			 0x1234ULL << 40 | 1ULL << 31 | 0x58ULL << 32 | 0x0308);
	sim_inject_fault(&e->sim[0], 3, 0x5000ULL,
			 1ULL << 62 | 0x06ULL << 32 | 0x0100);
	e->sim[0].fsts |= 1; /* PFO */
	assert_int_equal(vtd_fault_drain(u, route, &r), 2);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.last.sid, 0x0100);
	assert_false(r.last.write);
	assert_false(r.last.pasid_valid);
	assert_int_equal(e->sim[0].frcd[2][1] >> 63, 0);
	assert_int_equal(e->sim[0].frcd[3][1] >> 63, 0);
	assert_int_equal(e->sim[0].fsts & 1, 0);
	assert_int_equal(vtd_fault_drain(u, route, &r), 0);
	assert_true(u->stats.faults == 2);
	assert_sim_clean(e, 0);
}

/* vtd_mmio_ops on a plain buffer standing in for the register page. */
static void test_mmio_ops(void **state)
{
	_Alignas(8) uint8_t page[0x300] = {0};
	uint64_t cap = 0x1122334455667788ULL, v;
	uint32_t w;

	(void)state;
	memcpy(page + VTD_REG64_CAP, &cap, 8);
	assert_true(vtd_mmio_ops.read64(page, VTD_REG64_CAP) == cap);
	assert_int_equal(vtd_mmio_ops.read32(page, VTD_REG64_CAP + 4),
			 0x11223344);
	vtd_mmio_ops.write32(page, VTD_REG32_FSTS, 0xAABBCCDD);
	memcpy(&w, page + 0x34, 4);
	assert_int_equal(w, 0xAABBCCDD);
	memcpy(&w, page + 0x30, 4);
	assert_int_equal(w, 0);
	vtd_mmio_ops.write64(page, VTD_REG64_IQT, 0x120);
	memcpy(&v, page + 0x88, 8);
	assert_true(v == 0x120);
	vtd_mmio_ops.relax(page);
}

/* ------------------------------------------------------------------ */
/* (d) first-level binds: a hostile guest's tables against the        */
/*     hypervisor's first-level copy of the domain's DMA view          */

static void test_build_fl_entries(void **state)
{
	(void)state;
	/* 9.7: P | R/W | U/S | A above a table */
	assert_true(vtd_build_fl_table_entry(hpa(0x5000)) == 0x5027ULL);
	/* leaves: P | U/S | A, plus R/W | D when writable */
	assert_true(vtd_build_fl_leaf(hpa(0x1000), true, false) == 0x1067ULL);
	assert_true(vtd_build_fl_leaf(hpa(0x1000), false, false) == 0x1025ULL);
	/* 2 MiB: PS, and bit 12 (PAT in a large leaf) never set */
	assert_true(vtd_build_fl_leaf(hpa(0x201000), true, true) ==
		    0x2000E7ULL);
	/* never XD, never above bit 51 */
	assert_true((vtd_build_fl_leaf(hpa(~0ULL & ~0xFFFULL), true, false) >>
		     52) == 0);
}

#define FLT_IOVA	0x400000ULL   /* the domain's window, as on x86 */
#define FLT_PAGES	32	      /* its memory, real simulated pages */
#define FLT_RW		28	      /* pages 0..27 read/write */
#define FLT_RO		28	      /* page 28 read-only */
#define FLT_WO		29	      /* page 29 write-only in the SL view */
#define FLT_HOSTILE	24	      /* the guest's own table, pages 24..27 */
#define FLT_IOVA_2M	0x40000000ULL /* a 2-MiB second-level leaf */
#define FLT_IOVA_1G	0x80000000ULL /* a 1-GiB second-level leaf */
#define FLT_IOVA_NOREAD 0x10000000ULL /* under write-only tables */
#define FLT_MEM_2M	0x3000000000ULL /* outside simulated RAM: never read */
#define FLT_MEM_1G	0x3040000000ULL

struct flt {
	struct env *e;
	uint64_t a_mem, b_mem; /* domain A (the attacker), B (its victim) */
	uint64_t sl[5];	       /* A's second-level tables, by levels */
};

/* What the walker found, judged against domain A's memory. */
#define FLT_MAX_TABLES 64

struct confine {
	const struct flt *t;
	unsigned leaves, outside, tables, tables_in_guest;
	uint64_t bytes;
	bool hit_b, hit_root, hit_table;
	uint64_t root_table;
	uint64_t table_pa[FLT_MAX_TABLES];
	uint64_t first_bad_va, first_bad_pa;
};

static bool in(uint64_t pa, uint64_t size, uint64_t lo, uint64_t bytes)
{
	return pa >= lo && size <= bytes && pa - lo <= bytes - size;
}

static bool a_owns(const struct flt *t, uint64_t pa, uint64_t size)
{
	return in(pa, size, t->a_mem, FLT_PAGES * 0x1000ULL) ||
	       in(pa, size, FLT_MEM_2M, 1ULL << 21) ||
	       in(pa, size, FLT_MEM_1G, 1ULL << 30);
}

static void confine_leaf(void *ctx, uint64_t va, uint64_t pa, uint64_t size,
			 bool write, bool user)
{
	struct confine *c = ctx;

	(void)write;
	(void)user; /* any leaf counts, whatever a request could use */
	c->leaves++;
	c->bytes += size;
	/* A leaf onto a table page lets the device rewrite its tables. */
	for (unsigned i = 0; i < c->tables && i < FLT_MAX_TABLES; i++)
		c->hit_table |= in(c->table_pa[i], 0x1000, pa, size);
	if (a_owns(c->t, pa, size))
		return;
	if (!c->outside++) {
		c->first_bad_va = va;
		c->first_bad_pa = pa;
	}
	c->hit_b |= in(pa, 0x1000, c->t->b_mem, 8 * 0x1000ULL);
	c->hit_root |= pa == c->root_table;
}

static void confine_table(void *ctx, uint64_t pa, unsigned level)
{
	struct confine *c = ctx;

	(void)level;
	if (c->tables < FLT_MAX_TABLES)
		c->table_pa[c->tables] = pa;
	c->tables++;
	/* The device's tables must not be memory the guest can write. */
	if (in(pa, 0x1000, c->t->a_mem, FLT_PAGES * 0x1000ULL))
		c->tables_in_guest++;
}

static struct confine confine_walk(struct flt *t, int unit, uint32_t device,
				   uint32_t pasid)
{
	struct sw_mem m = sim_sw_mem(&t->e->mem);
	struct confine c = {.t = t,
			    .root_table = t->e->sim[unit].rtaddr_latched &
					  SW_ADDR_MASK};
	struct sw_fl_visit v = {.table = confine_table, .ctx = &c};

	/* Tables first, then the leaves are checked against them. */
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(sw_fl_enumerate(&m,
						 t->e->sim[unit].rtaddr_latched,
						 (uint8_t)(device >> 8),
						 (uint8_t)device, pasid, &v),
				 SW_OK);
		v = (struct sw_fl_visit){.leaf = confine_leaf, .ctx = &c};
	}
	assert_true(c.tables <= FLT_MAX_TABLES);
	return c;
}

/* Domain A's DMA view, as x86 builds it (domain.c): its window and,
 * for the copy's sake, a 2-MiB and a 1-GiB leaf. */
static void flt_build(struct flt *t, struct env *e)
{
	uint64_t rw = SW_SL_READ | SW_SL_WRITE;

	t->e = e;
	assert_non_null(sim_alloc(&e->mem, FLT_PAGES, &t->a_mem));
	assert_non_null(sim_alloc(&e->mem, 8, &t->b_mem));
	for (unsigned levels = 3; levels <= 4; levels++) {
		t->sl[levels] = pt_page(&e->mem);
		for (unsigned k = 0; k < FLT_RW; k++)
			pt_map(&e->mem, t->sl[levels], levels,
			       FLT_IOVA + k * 0x1000ULL,
			       t->a_mem + k * 0x1000ULL, rw, 1, rw);
		pt_map(&e->mem, t->sl[levels], levels,
		       FLT_IOVA + FLT_RO * 0x1000ULL,
		       t->a_mem + FLT_RO * 0x1000ULL, SW_SL_READ, 1, rw);
		pt_map(&e->mem, t->sl[levels], levels,
		       FLT_IOVA + FLT_WO * 0x1000ULL,
		       t->a_mem + FLT_WO * 0x1000ULL, SW_SL_WRITE, 1, rw);
		pt_map(&e->mem, t->sl[levels], levels, FLT_IOVA_2M, FLT_MEM_2M,
		       rw | SW_SL_SUPER, 2, rw);
		pt_map(&e->mem, t->sl[levels], levels, FLT_IOVA_1G, FLT_MEM_1G,
		       SW_SL_READ | SW_SL_SUPER, 3, rw);
		/* Readable leaves under tables that deny reads (3.7 ANDs
		 * the levels): nothing a second-level walk could read. */
		pt_map(&e->mem, t->sl[levels], levels, FLT_IOVA_NOREAD,
		       t->b_mem, rw, 1, SW_SL_WRITE);
	}
}

static void flt_walk(struct flt *t, int unit, uint32_t device, uint32_t pasid,
		     uint64_t addr, bool write, bool qemu72,
		     struct sw_result *r)
{
	struct sw_mem m = sim_sw_mem(&t->e->mem);
	struct sw_request rq = {.bus = (uint8_t)(device >> 8),
				.devfn = (uint8_t)device,
				.has_pasid = true,
				.pasid = pasid,
				.addr = addr,
				.write = write,
				.qemu72 = qemu72};

	sw_translate(&m, t->e->sim[unit].rtaddr_latched, &rq, r);
}

static void flt_install(struct vtd_unit *u, uint32_t device, uint32_t pasid,
			uint64_t fl_root, uint64_t sl_root)
{
	struct pasid_entry_cfg c = {.kind = PASID_ENTRY_FIRST_LEVEL,
				    .domain = 3,
				    .fl_root = hpa(fl_root),
				    .sl_root = hpa(sl_root)};

	assert_int_equal(vtd_install(&u->iommu, device, pasid, &c), 0);
	vtd_invalidate(&u->iommu, device, pasid, 3);
	vtd_wait(&u->iommu);
}

/*
 * The hypervisor's copy: on a unit with first-level support and on one
 * whose ECAP says it has none (QEMU 7.2, walked anyway), every leaf of
 * the bound PASID's first-level tables is domain A's memory, the tables
 * are not, and the view is exactly the second-level one (write-only
 * pages left out, execute and supervisor requests refused).
 */
static void test_fl_copy_confined(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg[2] = {
		{.name = "full"},
		{.name = "qemu",
		 .pasid_bits_override = 20,
		 .first_level_without_flts = true},
	};
	const uint32_t device = dev(0, 1, 0x08), pasid = 0x123;
	struct flt t;
	unsigned base;

	flt_build(&t, e);
	base = e->mem.pages_in_use;
	unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg[0]);
	unit_up(e, 1, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg[1]);
	assert_false(e->unit[1].ecap & VTD_ECAP_FLTS);
	for (int unit = 0; unit < 2; unit++) {
		struct vtd_unit *u = &e->unit[unit];
		unsigned levels = vtd_sl_levels(u);
		struct sw_result r;
		struct confine c;
		hpaddr_t fl;

		assert_int_equal(vtd_fl_from_sl(&sim_mem_ops, &e->mem,
						hpa(t.sl[levels]), levels, &fl),
				 0);
		flt_install(u, device, pasid, fl.v, t.sl[levels]);
		c = confine_walk(&t, unit, device, pasid);
		if (c.outside)
			fail_msg("unit %d: %u leaves outside the domain, first "
				 "%#llx -> %#llx",
				 unit, c.outside,
				 (unsigned long long)c.first_bad_va,
				 (unsigned long long)c.first_bad_pa);
		assert_int_equal(c.tables_in_guest, 0);
		assert_false(c.hit_table);
		/* Exactly the readable second-level view: 29 pages, 2 MiB,
		 * 1 GiB (as 512 2-MiB leaves). */
		assert_int_equal(c.leaves, FLT_RW + 1 + 1 + 512);
		assert_true(c.bytes == (FLT_RW + 1) * 0x1000ULL + (1ULL << 21) +
					       (1ULL << 30));
		for (unsigned k = 0; k < FLT_RW; k += 9) {
			flt_walk(&t, unit, device, pasid,
				 FLT_IOVA + k * 0x1000ULL + 0x18, true, false,
				 &r);
			EXPECT_OK(r, t.a_mem + k * 0x1000ULL + 0x18);
			assert_int_equal(r.pgtt, SW_PGTT_FIRST);
		}
		flt_walk(&t, unit, device, pasid,
			 FLT_IOVA + FLT_RO * 0x1000ULL + 8, false, false, &r);
		EXPECT_OK(r, t.a_mem + FLT_RO * 0x1000ULL + 8);
		flt_walk(&t, unit, device, pasid,
			 FLT_IOVA + FLT_RO * 0x1000ULL + 8, true, false, &r);
		EXPECT_FAULT(r, SW_FL_DENIED, false);
		flt_walk(&t, unit, device, pasid, FLT_IOVA + FLT_WO * 0x1000ULL,
			 true, false, &r);
		EXPECT_FAULT(r, SW_FL_NOT_PRESENT, false);
		flt_walk(&t, unit, device, pasid, FLT_IOVA_NOREAD, false, false,
			 &r);
		EXPECT_FAULT(r, SW_FL_NOT_PRESENT, false);
		flt_walk(&t, unit, device, pasid, FLT_IOVA_2M + 0x123456, true,
			 false, &r);
		EXPECT_OK(r, FLT_MEM_2M + 0x123456);
		flt_walk(&t, unit, device, pasid, FLT_IOVA_1G + 0x3456789,
			 false, false, &r);
		EXPECT_OK(r, FLT_MEM_1G + 0x3456789);
		flt_walk(&t, unit, device, pasid, FLT_IOVA_1G + 0x3456789, true,
			 false, &r);
		EXPECT_FAULT(r, SW_FL_DENIED, false);
		/* Outside the window, and B's memory by its address: nothing.
		 */
		flt_walk(&t, unit, device, pasid, t.b_mem, false, false, &r);
		EXPECT_FAULT(r, SW_FL_NOT_PRESENT, false);
		flt_walk(&t, unit, device, pasid, 0, false, false, &r);
		EXPECT_FAULT(r, SW_FL_NOT_PRESENT, false);
		if (cfg[unit].first_level_without_flts) {
			/* QEMU 7.2 walks SLPTPTR: the same view. */
			flt_walk(&t, unit, device, pasid, FLT_IOVA + 0x10, true,
				 true, &r);
			EXPECT_OK(r, t.a_mem + 0x10);
			flt_walk(&t, unit, device, pasid, t.b_mem, false, true,
				 &r);
			EXPECT_FAULT(r, SW_SL_NOT_PRESENT, false);
		}
		vtd_clear(&u->iommu, device, pasid);
		vtd_invalidate(&u->iommu, device, pasid, 3);
		vtd_wait(&u->iommu);
		vtd_fl_free(&sim_mem_ops, &e->mem, fl);
		assert_sim_clean(e, unit);
	}
	unit_down(e, 1);
	unit_down(e, 0);
	assert_int_equal(e->mem.pages_in_use, base);
}

/*
 * What a first-level bind did before: the entry named the guest's own
 * table.  A hostile guest writes, in its own memory, a table that maps
 * domain B's memory, the unit's root table and the table itself; the
 * walker, on a unit whose ECAP has no first-level support, finds all
 * three outside the domain and the tables guest-writable.
 */
static void test_fl_guest_table_caught(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.name = "qemu",
				 .pasid_bits_override = 20,
				 .first_level_without_flts = true};
	const uint32_t device = dev(0, 1, 0x08), pasid = 0x123;
	uint64_t nl = SW_FL_PRESENT | SW_FL_RW | SW_FL_USER, root, next;
	struct sw_result r;
	struct confine c;
	struct flt t;

	flt_build(&t, e);
	unit_up(e, 0, SIM_QEMU_CAP, SIM_QEMU_ECAP, &cfg);
	/* Some entry first, so the unit's tables exist to be aimed at. */
	flt_install(&e->unit[0], device, pasid, t.a_mem, t.sl[3]);
	/* Pages 24..27 of A's memory: PML4, PDPT, PD, PT, chained. */
	root = t.a_mem + FLT_HOSTILE * 0x1000ULL;
	for (unsigned l = 0; l < 3; l++) {
		next = root + (l + 1) * 0x1000ULL;
		sim_wr(&e->mem,
		       root + l * 0x1000ULL +
			       ((FLT_IOVA >> (39 - 9 * l)) & 511) * 8,
		       next | nl);
	}
	sim_wr(&e->mem, root + 0x3000 + ((FLT_IOVA >> 12) & 511) * 8,
	       t.b_mem | nl);
	sim_wr(&e->mem, root + 0x3000 + (((FLT_IOVA >> 12) + 1) & 511) * 8,
	       (e->sim[0].rtaddr_latched & SW_ADDR_MASK) | nl);
	sim_wr(&e->mem, root + 0x3000 + (((FLT_IOVA >> 12) + 2) & 511) * 8,
	       root | nl);
	flt_install(&e->unit[0], device, pasid, root, t.sl[3]);

	flt_walk(&t, 0, device, pasid, FLT_IOVA + 0x40, true, false, &r);
	EXPECT_OK(r, t.b_mem + 0x40);
	c = confine_walk(&t, 0, device, pasid);
	assert_int_equal(c.leaves, 3);
	assert_int_equal(c.outside, 2); /* B's memory, the root table */
	assert_true(c.hit_b && c.hit_root && c.hit_table);
	assert_int_equal(c.tables, 4);
	assert_int_equal(c.tables_in_guest, 4);
	/* QEMU itself would have walked SLPTPTR and seen none of it. */
	flt_walk(&t, 0, device, pasid, FLT_IOVA + 0x40, true, true, &r);
	EXPECT_OK(r, t.a_mem + 0x40);
	assert_sim_clean(e, 0);
}

/* The copy's refusals and its out-of-memory path keep nothing. */
static void test_fl_copy_errors(void **state)
{
	struct env *e = *state;
	struct flt t;
	unsigned base, n = 0;
	hpaddr_t fl = hpa(0);
	int rc;

	flt_build(&t, e);
	base = e->mem.pages_in_use;
	assert_int_equal(
		vtd_fl_from_sl(&sim_mem_ops, &e->mem, hpa(t.sl[4]), 5, &fl),
		-XEN_EINVAL);
	assert_int_equal(
		vtd_fl_from_sl(&sim_mem_ops, &e->mem, hpa(t.sl[4] + 8), 4, &fl),
		-XEN_EINVAL);
	do {
		e->mem.fail_after = (int)n++;
		rc = vtd_fl_from_sl(&sim_mem_ops, &e->mem, hpa(t.sl[4]), 4,
				    &fl);
		e->mem.fail_after = -1;
		if (rc) {
			assert_int_equal(rc, -XEN_ENOMEM);
			assert_int_equal(e->mem.pages_in_use, base);
		}
	} while (rc);
	assert_true(n > 4);
	vtd_fl_free(&sim_mem_ops, &e->mem, fl);
	assert_int_equal(e->mem.pages_in_use, base);
	/* A second-level mapping above 2^47 has no canonical copy. */
	pt_map(&e->mem, t.sl[4], 4, 1ULL << 47, t.a_mem, SW_SL_READ, 1,
	       SW_SL_READ | SW_SL_WRITE);
	base = e->mem.pages_in_use;
	assert_int_equal(
		vtd_fl_from_sl(&sim_mem_ops, &e->mem, hpa(t.sl[4]), 4, &fl),
		-XEN_EINVAL);
	assert_int_equal(e->mem.pages_in_use, base);
	assert_int_equal(e->mem.errors, 0);
}

/* ------------------------------------------------------------------ */
/* (d) the unit lock's witness (vtd_internal.h)                        */

/*
 * Each of these makes up a witness without taking the lock, as a caller
 * that forgot vtd_unit_lock() would have to, and calls one function of
 * each section that needs the lock.
 */
static struct vtd_unit_locked made_up(void *unit)
{
	return (struct vtd_unit_locked){unit};
}

static void unlocked_qi_submit(void *unit)
{
	uint64_t d[4];

	vtd_build_inv_iotlb(d, VTD_IOTLB_G_GLOBAL, 0);
	qi_submit(made_up(unit), d);
}

static void unlocked_qi_wait(void *unit)
{
	qi_wait(made_up(unit));
}

static void unlocked_pasid_flush(void *unit)
{
	queue_pasid_flush(made_up(unit), 0x10, 1, 1, false);
}

static void unlocked_context_flush(void *unit)
{
	queue_context_flush(made_up(unit), 0x10);
}

static void unlocked_context_entry(void *unit)
{
	context_entry(made_up(unit), 0x10, false);
}

static void unlocked_pasid_entry(void *unit)
{
	pasid_entry(made_up(unit), 0x10, 1, true);
}

static void unlocked_device_quiesced(void *unit)
{
	device_quiesced(made_up(unit), 0x10);
}

static void unlocked_did_get(void *unit)
{
	uint16_t did;

	did_get(made_up(unit), 1, &did);
}

static void unlocked_did_lookup(void *unit)
{
	uint16_t did;

	did_lookup(made_up(unit), 1, &did);
}

static void unlocked_did_put(void *unit)
{
	did_put(made_up(unit), 1);
}

static void unlocked_ats_of(void *unit)
{
	ats_of(made_up(unit), 0x10);
}

static void unlocked_unlock(void *unit)
{
	struct vtd_unit_locked ul = made_up(unit);

	vtd_unit_unlock(&ul);
}

static void (*const unlocked_calls[])(void *) = {
	unlocked_qi_submit,	  unlocked_qi_wait,	  unlocked_pasid_flush,
	unlocked_context_flush,	  unlocked_context_entry, unlocked_pasid_entry,
	unlocked_device_quiesced, unlocked_did_get,	  unlocked_did_lookup,
	unlocked_did_put,	  unlocked_ats_of,	  unlocked_unlock,
};

static void test_lock_witness_unlocked(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg);

	for (unsigned i = 0; i < ARRAY_SIZE(unlocked_calls); i++) {
		if (!aborts_in_child(unlocked_calls[i], u))
			fail_msg("unlocked call %u was not caught", i);
	}
	/* The unit itself is untouched: the children died first. */
	assert_int_equal(
		vtd_install(&u->iommu, dev(0, 0, 0x10), 1,
			    &(struct pasid_entry_cfg){
				    .kind = PASID_ENTRY_BLOCKED, .domain = 1}),
		0);
	assert_sim_clean(e, 0);
}

/* Held, but by another thread: still not the caller's to use. */
static void test_lock_witness_other_thread(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg);

	for (unsigned i = 0; i < ARRAY_SIZE(unlocked_calls); i++) {
		if (!aborts_while_held_elsewhere(&u->lock, unlocked_calls[i],
						 u))
			fail_msg("call %u under another thread's lock was not "
				 "caught",
				 i);
	}
}

/* The real thing passes the checks, and unlocking spends the witness. */
static void test_lock_witness_held(void **state)
{
	struct env *e = *state;
	struct vtd_config cfg = {.pasid_bits_override = 20};
	struct vtd_unit *u = unit_up(e, 0, CAP_FULL, ECAP_FULL, &cfg);
	struct vtd_unit_locked ul = vtd_unit_lock(u);
	uint16_t did = 0;

	assert_ptr_equal(vtd_held(ul), u);
	assert_true(did_lookup(ul, 5, &did));
	assert_int_equal(did, 5);
	assert_int_equal(qi_wait(ul), 0);
	vtd_unit_unlock(&ul);
	assert_null(ul.unit);
	assert_sim_clean(e, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, env_setup, env_teardown)

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		T(test_build_pasid_entry),
		T(test_build_ctx_root_dir),
		T(test_build_descriptors),
		T(test_fault_decode),
		T(test_init_qemu),
		T(test_init_qemu_quirks),
		T(test_init_refuses),
		T(test_did_remap),
		T(test_did_cm),
		T(test_independent_walk),
		T(test_order),
		T(test_block_batch),
		T(test_order_ats),
		T(test_write_order),
		T(test_present_never_fails),
		T(test_walker_pdts),
		T(test_dir_growth),
		T(test_dir_growth_enomem),
		T(test_rid_pasid),
		T(test_lazy_queue),
		T(test_dead_queue),
		T(test_bad_descriptor_stops),
		T(test_fault_drain),
		T(test_mmio_ops),
		T(test_build_fl_entries),
		T(test_fl_copy_confined),
		T(test_fl_guest_table_caught),
		T(test_fl_copy_errors),
		T(test_lock_witness_unlocked),
		T(test_lock_witness_other_thread),
		T(test_lock_witness_held),
	};
	/* clang-format on */
	int failed = cmocka_run_group_tests_name("vtd", tests, NULL, NULL);
	int total = (int)ARRAY_SIZE(tests);

	if (failed < 0 || failed > total)
		failed = total;
	printf("%d passed, %d failed\n", total - failed, failed);
	return failed ? 1 : 0;
}
