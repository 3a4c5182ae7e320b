/* SPDX-License-Identifier: MIT */
/*
 * Simulated memory and SMMUv3 for the host tests; see smmu_sim.h.
 * Register offsets and the command and event formats are written out
 * here from IHI 0070 E.a (6.2, 4.x, 7.3), independently of the driver.
 */
#include "smmu_sim.h"

#include <stdlib.h>
#include <string.h>

#define PAGE 4096u

/* ------------------------------------------------------------------ */
/* Memory                                                              */

void sim_mem_init(struct sim_mem *m)
{
	memset(m, 0, sizeof(*m));
	sim_pages_init(&m->pages, 1 /* multi-page runs 4 KiB-aligned only, as the heap promises */);
}

void sim_mem_fini(struct sim_mem *m)
{
	sim_pages_fini(&m->pages);
}

void *sim_alloc(struct sim_mem *m, unsigned npages, uint64_t *pa)
{
	return sim_pages_alloc(&m->pages, npages, pa);
}

static void *mem_alloc(void *ctx, unsigned npages, hpaddr_t *pa)
{
	uint64_t p;
	void *va = sim_alloc(ctx, npages, &p);

	if (va)
		*pa = hpa(p);
	return va;
}

static void mem_free(void *ctx, void *va, unsigned npages)
{
	struct sim_mem *m = ctx;

	sim_pages_free(&m->pages, va, npages);
}

static bool pa_ok(struct sim_mem *m, uint64_t pa, unsigned len)
{
	if (m->identity)
		return pa >= 4096;
	return sim_pages_pa_ok(&m->pages, pa, len);
}

static uint8_t *at(struct sim_mem *m, uint64_t pa)
{
	if (m->identity)
		return (uint8_t *)(uintptr_t)pa;
	return m->ram + (pa - SIM_PHYS_BASE);
}

static void *mem_p2v(void *ctx, hpaddr_t pa)
{
	struct sim_mem *m = ctx;

	if (!pa_ok(m, pa.v, 1)) {
		m->errors++;
		return NULL;
	}
	return m->ram + (pa.v - SIM_PHYS_BASE);
}

static void mem_flush(void *ctx, const void *va, size_t len)
{
	struct sim_mem *m = ctx;

	(void)va;
	(void)len;
	m->flushes++;
	if (m->flush_hook)
		m->flush_hook(m->flush_ctx);
}

const struct smmu_mem_ops sim_mem_ops = {
	.alloc = mem_alloc,
	.free = mem_free,
	.phys_to_virt = mem_p2v,
	.flush = mem_flush,
};

uint64_t sim_rd(struct sim_mem *m, uint64_t pa)
{
	uint64_t v;

	if (!pa_ok(m, pa, 8)) {
		m->errors++;
		return 0;
	}
	memcpy(&v, at(m, pa), 8);
	return v;
}

void sim_wr(struct sim_mem *m, uint64_t pa, uint64_t v)
{
	if (!pa_ok(m, pa, 8)) {
		m->errors++;
		return;
	}
	memcpy(at(m, pa), &v, 8);
}

static int sw_read(void *ctx, uint64_t pa, uint64_t *val)
{
	struct sim_mem *m = ctx;

	if (!pa_ok(m, pa, 8))
		return -1;
	memcpy(val, at(m, pa), 8);
	return 0;
}

struct sw_mem sim_sw_mem(struct sim_mem *m)
{
	return (struct sw_mem){.read64 = sw_read, .ctx = m};
}

/* ------------------------------------------------------------------ */
/* Registers (6.2): offsets written out again                          */

enum {
	R_IDR0 = 0x0,
	R_IDR5 = 0x14,
	R_AIDR = 0x1c,
	R_CR0 = 0x20,
	R_CR0ACK = 0x24,
	R_CR1 = 0x28,
	R_CR2 = 0x2c,
	R_GBPA = 0x44,
	R_IRQ_CTRL = 0x50,
	R_IRQ_CTRLACK = 0x54,
	R_GERROR = 0x60,
	R_GERRORN = 0x64,
	R_STRTAB_BASE = 0x80,
	R_STRTAB_CFG = 0x88,
	R_CMDQ_BASE = 0x90,
	R_CMDQ_PROD = 0x98,
	R_CMDQ_CONS = 0x9c,
	R_EVTQ_BASE = 0xa0,
	R_EVTQ_PROD = 0x100a8,
	R_EVTQ_CONS = 0x100ac,
};

#define CR0_SMMUEN   1u
#define CR0_EVENTQEN 4u
#define CR0_CMDQEN   8u
#define GBPA_ABORT   (1u << 20)
#define GBPA_UPDATE  (1u << 31)
#define GERR_CMDQ    1u

void sim_smmu_init(struct sim_smmu *s, struct sim_mem *m, uint32_t idr0,
		   uint32_t idr1, uint32_t idr5)
{
	memset(s, 0, sizeof(*s));
	s->mem = m;
	s->idr[0] = idr0;
	s->idr[1] = idr1;
	s->idr[5] = idr5;
	s->qemu72 = ((idr1 >> 6) & 31) == 0;
}

struct sw_smmu sim_sw_smmu(const struct sim_smmu *s)
{
	return (struct sw_smmu){
		.idr0 = s->idr[0],
		.idr1 = s->idr[1],
		.idr5 = s->idr[5],
		.strtab_base = s->strtab_base,
		.strtab_cfg = s->strtab_cfg,
		.smmuen = s->cr0ack & CR0_SMMUEN,
		.gbpa_abort = s->gbpa & GBPA_ABORT,
		.qemu72 = s->qemu72,
	};
}

void sim_flush_caches(struct sim_smmu *s)
{
	memset(s->ste_cache, 0, sizeof(s->ste_cache));
	memset(s->cd_cache, 0, sizeof(s->cd_cache));
	memset(s->tlb, 0, sizeof(s->tlb));
}

static unsigned q_log2(uint64_t base)
{
	return (unsigned)(base & 31);
}

static uint64_t q_addr(uint64_t base)
{
	return base & 0x000FFFFFFFFFFFE0ULL;
}

/* ---- Events (7.3): {type [7:0], SSV [11], SSID [31:12], SID [63:32]},
 * RnW at word 1 bit 35, InputAddr in word 2. ---- */
void sim_event(struct sim_smmu *s, unsigned type, uint32_t sid, bool ssv,
	       uint32_t ssid, uint64_t addr, bool write)
{
	unsigned lg = q_log2(s->evtq_base);
	uint32_t mask = (2u << lg) - 1, n = 1u << lg;
	uint32_t prod = s->evtq_prod & mask, cons = s->evtq_cons & mask;
	uint64_t at = q_addr(s->evtq_base);

	if (!(s->cr0ack & CR0_EVENTQEN))
		return;
	if ((prod & (n - 1)) == (cons & (n - 1)) && prod != cons) {
		/* Full: the record is lost; OVFLG toggles when the overflow
		 * begins, i.e. while it equals CONS.OVACKFLG (3.5.4). */
		if (!((s->evtq_prod ^ s->evtq_cons) & (1u << 31)))
			s->evtq_prod ^= 1u << 31;
		s->events_lost++;
		return;
	}
	at += (uint64_t)(prod & (n - 1)) * 32;
	sim_wr(s->mem, at,
	       type | (ssv ? 1ULL << 11 : 0) |
		       (ssv ? (uint64_t)ssid << 12 : 0) | (uint64_t)sid << 32);
	sim_wr(s->mem, at + 8, write ? 0 : 1ULL << 35);
	sim_wr(s->mem, at + 16, addr);
	sim_wr(s->mem, at + 24, 0);
	s->evtq_prod = (s->evtq_prod & (1u << 31)) | ((prod + 1) & mask);
	s->events++;
}

/* ---- Commands (4.x) ---- */
enum {
	OP_PREFETCH_CONFIG = 0x01,
	OP_CFGI_STE = 0x03,
	OP_CFGI_STE_RANGE = 0x04,
	OP_CFGI_CD = 0x05,
	OP_CFGI_CD_ALL = 0x06,
	OP_TLBI_NH_ALL = 0x10,
	OP_TLBI_NH_ASID = 0x11,
	OP_TLBI_NH_VA = 0x12,
	OP_TLBI_EL2_ALL = 0x20,
	OP_TLBI_NSNH_ALL = 0x30,
	OP_ATC_INV = 0x40,
	OP_CMD_SYNC = 0x46,
};

static void drop_ste(struct sim_smmu *s, bool all, uint32_t sid)
{
	for (unsigned i = 0; i < SIM_CACHE_MAX; i++)
		if (all || s->ste_cache[i].sid == sid)
			s->ste_cache[i].v = false;
}

static void drop_cd(struct sim_smmu *s, bool any_ssid, uint32_t sid,
		    uint32_t ssid)
{
	for (unsigned i = 0; i < SIM_CACHE_MAX; i++)
		if (s->cd_cache[i].sid == sid &&
		    (any_ssid || s->cd_cache[i].ssid == ssid))
			s->cd_cache[i].v = false;
}

static void drop_tlb(struct sim_smmu *s, bool all, uint16_t asid)
{
	/* TLBI_NH_ASID leaves global entries (nG = 0) alone (4.4.2). */
	for (unsigned i = 0; i < SIM_CACHE_MAX; i++)
		if (all || (!s->tlb[i].global && s->tlb[i].asid == asid))
			s->tlb[i].v = false;
}

static bool apply_cmd(struct sim_smmu *s, const uint64_t w[2]);

/** Completes the invalidations consumed since the last CMD_SYNC. */
static void complete_pending(struct sim_smmu *s)
{
	for (unsigned i = 0; i < s->npending; i++)
		apply_cmd(s, s->pending[i]);
	s->npending = 0;
}

/** Runs one command; false if it is illegal (CERROR_ILL).  A lazy SMMU
 * completes invalidations only at the next CMD_SYNC. */
static bool run_cmd(struct sim_smmu *s, const uint64_t w[2])
{
	unsigned op = (unsigned)(w[0] & 0xff);

	if (s->nlog < SIM_LOG_MAX)
		s->log[s->nlog++] = (struct sim_cmd){{w[0], w[1]}, op};
	if (s->fail_op && (int)op == s->fail_op)
		return false;
	if (op == OP_CMD_SYNC) {
		complete_pending(s);
		return true;
	}
	if (!s->lazy || s->npending == 64 ||
	    !(op == OP_CFGI_STE || op == OP_CFGI_CD || op == OP_CFGI_CD_ALL ||
	      op == OP_TLBI_NH_ASID || op == OP_TLBI_NH_ALL))
		return apply_cmd(s, w);
	s->pending[s->npending][0] = w[0];
	s->pending[s->npending][1] = w[1];
	s->npending++;
	return true;
}

static bool apply_cmd(struct sim_smmu *s, const uint64_t w[2])
{
	unsigned op = (unsigned)(w[0] & 0xff);
	uint32_t sid = (uint32_t)(w[0] >> 32);
	uint32_t ssid = (uint32_t)((w[0] >> 12) & 0xfffff);

	switch (op) {
	case OP_CFGI_STE:
		drop_ste(s, false, sid);
		drop_cd(s, true, sid, 0); /* generous: QEMU does so */
		return true;
	case OP_CFGI_STE_RANGE:
		if ((w[1] & 31) != 31)
			return false; /* only CFGI_ALL is used */
		drop_ste(s, true, 0);
		for (unsigned i = 0; i < SIM_CACHE_MAX; i++)
			s->cd_cache[i].v = false;
		return true;
	case OP_CFGI_CD:
		drop_cd(s, false, sid, ssid);
		return true;
	case OP_CFGI_CD_ALL:
		drop_cd(s, true, sid, 0);
		return true;
	case OP_TLBI_NH_ASID:
		drop_tlb(s, false, (uint16_t)(w[0] >> 48));
		return true;
	case OP_TLBI_NH_ALL:
	case OP_TLBI_NSNH_ALL:
	case OP_TLBI_EL2_ALL:
		drop_tlb(s, true, 0);
		return true;
	case OP_PREFETCH_CONFIG:
	case OP_TLBI_NH_VA:
	case OP_ATC_INV:
	case OP_CMD_SYNC:
		return true;
	}
	return false;
}

/* Runs the queue from CONS to PROD, as QEMU 7.2 does in the PROD write;
 * stops at an illegal command with CONS.ERR and GERROR.CMDQ_ERR. */
static void run_queue_n(struct sim_smmu *s, unsigned budget)
{
	unsigned lg = q_log2(s->cmdq_base);
	uint32_t mask = (2u << lg) - 1, n = 1u << lg;

	if (!(s->cr0 & CR0_CMDQEN) || s->queue_dead ||
	    ((s->gerror ^ s->gerrorn) & GERR_CMDQ))
		return;
	while (budget-- && (s->cmdq_cons & mask) != (s->cmdq_prod & mask)) {
		uint64_t at = q_addr(s->cmdq_base) +
			      (uint64_t)(s->cmdq_cons & (n - 1)) * 16;
		uint64_t w[2] = {sim_rd(s->mem, at), sim_rd(s->mem, at + 8)};

		if (!run_cmd(s, w)) {
			s->cmdq_cons = (s->cmdq_cons & mask) | 1u << 24;
			s->gerror ^= GERR_CMDQ;
			return;
		}
		s->cmdq_cons = ((s->cmdq_cons & mask) + 1) & mask;
	}
}

static void run_queue(struct sim_smmu *s)
{
	if (!s->lazy)
		run_queue_n(s, ~0u);
}

static void note_write(struct sim_smmu *s, uint32_t off)
{
	if (!s->gbpa_set && off != R_GBPA)
		s->writes_before_gbpa++;
}

static void set_lo(uint64_t *r, uint32_t v)
{
	*r = (*r & ~0xffffffffULL) | v;
}

static void set_hi(uint64_t *r, uint32_t v)
{
	*r = (*r & 0xffffffffULL) | (uint64_t)v << 32;
}

static void reg_write(void *ctx, uint32_t off, uint32_t v)
{
	struct sim_smmu *s = ctx;

	note_write(s, off);
	switch (off) {
	case R_CR0:
		s->cr0 = v;
		if (!s->cr0_stuck)
			s->cr0ack = v;
		run_queue(s);
		return;
	case R_CR1:
		s->cr1 = v;
		return;
	case R_CR2:
		s->cr2 = v;
		return;
	case R_GBPA:
		s->gbpa = v & ~GBPA_UPDATE;
		s->gbpa_set |= (v & GBPA_ABORT) && (v & GBPA_UPDATE);
		return;
	case R_IRQ_CTRL:
		s->irq_ctrl = v;
		return;
	case R_GERRORN:
		s->gerrorn = v;
		run_queue(s); /* the queue retries the entry at CONS */
		return;
	case R_STRTAB_BASE:
		return set_lo(&s->strtab_base, v);
	case R_STRTAB_BASE + 4:
		return set_hi(&s->strtab_base, v);
	case R_STRTAB_CFG:
		s->strtab_cfg = v;
		return;
	case R_CMDQ_BASE:
		return set_lo(&s->cmdq_base, v);
	case R_CMDQ_BASE + 4:
		return set_hi(&s->cmdq_base, v);
	case R_CMDQ_PROD:
		s->cmdq_prod = v;
		run_queue(s);
		return;
	case R_CMDQ_CONS:
		s->cmdq_cons = v;
		return;
	case R_EVTQ_BASE:
		return set_lo(&s->evtq_base, v);
	case R_EVTQ_BASE + 4:
		return set_hi(&s->evtq_base, v);
	case R_EVTQ_PROD:
		s->evtq_prod = v;
		return;
	case R_EVTQ_CONS:
		s->evtq_cons = v;
		return;
	}
	s->bad_access++;
}

static uint32_t reg_read(void *ctx, uint32_t off)
{
	struct sim_smmu *s = ctx;

	if (off <= R_IDR5 && !(off & 3))
		return s->idr[off / 4];
	switch (off) {
	case R_AIDR:
		return 1;
	case R_CR0:
		return s->cr0;
	case R_CR0ACK:
		return s->cr0ack;
	case R_CR1:
		return s->cr1;
	case R_CR2:
		return s->cr2;
	case R_GBPA:
		return s->gbpa;
	case R_IRQ_CTRL:
		return s->irq_ctrl;
	case R_IRQ_CTRLACK:
		return s->irq_ctrl;
	case R_GERROR:
		return s->gerror;
	case R_GERRORN:
		return s->gerrorn;
	case R_STRTAB_CFG:
		return s->strtab_cfg;
	case R_CMDQ_PROD:
		return s->cmdq_prod;
	case R_CMDQ_CONS:
		if (s->lazy && ++s->lazy_reads % s->lazy == 0)
			run_queue_n(s, 1); /* hardware that takes its time */
		return s->cmdq_cons;
	case R_EVTQ_PROD:
		return s->evtq_prod;
	case R_EVTQ_CONS:
		return s->evtq_cons;
	}
	s->bad_access++;
	return 0;
}

const struct smmu_reg_ops sim_reg_ops = {
	.read32 = reg_read,
	.write32 = reg_write,
	.relax = NULL,
};

/* ------------------------------------------------------------------ */
/* DMA, with the configuration cache and the TLB                       */

/* A free slot of a cache of SIM_CACHE_MAX entries, else the first. */
#define FREE_SLOT(arr)                                                         \
	({                                                                     \
		unsigned slot_ = 0;                                            \
		for (unsigned i_ = 0; i_ < SIM_CACHE_MAX; i_++)                \
			if (!(arr)[i_].v) {                                    \
				slot_ = i_;                                    \
				break;                                         \
			}                                                      \
		slot_;                                                         \
	})

static enum sw_event ste_cached(struct sim_smmu *s, const struct sw_mem *m,
				const struct sw_smmu *w, uint32_t sid,
				uint64_t ste[8])
{
	enum sw_event e;
	int slot;

	for (unsigned i = 0; !s->no_caches && i < SIM_CACHE_MAX; i++)
		if (s->ste_cache[i].v && s->ste_cache[i].sid == sid) {
			memcpy(ste, s->ste_cache[i].ste, 64);
			return SWE_NONE;
		}
	e = sw_fetch_ste(m, w, sid, ste);
	if (e == SWE_NONE)
		e = sw_check_ste(w, ste);
	if (e != SWE_NONE)
		return e;
	slot = (int)FREE_SLOT(s->ste_cache);
	s->ste_cache[slot].v = true;
	s->ste_cache[slot].sid = sid;
	memcpy(s->ste_cache[slot].ste, ste, 64);
	return SWE_NONE;
}

static enum sw_event cd_cached(struct sim_smmu *s, const struct sw_mem *m,
			       const struct sw_smmu *w,
			       const struct sw_request *rq,
			       const uint64_t ste[8], uint64_t cd[8],
			       uint32_t *used, bool *bypass)
{
	uint32_t want = rq->ssv ? rq->ssid : 0;
	enum sw_event e;
	int slot;

	*bypass = false;
	for (unsigned i = 0; !s->no_caches && i < SIM_CACHE_MAX; i++)
		if (s->cd_cache[i].v && s->cd_cache[i].sid == rq->sid &&
		    s->cd_cache[i].ssid == want) {
			memcpy(cd, s->cd_cache[i].cd, 64);
			*used = want;
			return SWE_NONE;
		}
	e = sw_fetch_cd(m, ste, rq->ssv, rq->ssid, cd, used, bypass);
	if (e == SWE_NONE && !*bypass)
		e = sw_check_cd(w, cd);
	if (e != SWE_NONE || *bypass)
		return e;
	slot = (int)FREE_SLOT(s->cd_cache);
	s->cd_cache[slot].v = true;
	s->cd_cache[slot].sid = rq->sid;
	s->cd_cache[slot].ssid = want;
	memcpy(s->cd_cache[slot].cd, cd, 64);
	return SWE_NONE;
}

static bool tlb_hit(struct sim_smmu *s, uint16_t asid,
		    const struct sw_request *rq, struct sw_result *r)
{
	uint64_t page = rq->addr & ~(uint64_t)(PAGE - 1);

	for (unsigned i = 0; !s->no_caches && i < SIM_CACHE_MAX; i++) {
		if (!s->tlb[i].v || s->tlb[i].va != page ||
		    (!s->tlb[i].global && s->tlb[i].asid != asid))
			continue;
		if (rq->write && !s->tlb[i].writable)
			return false;
		r->outcome = SWO_TRANSLATED;
		r->pa = s->tlb[i].pa | (rq->addr & (PAGE - 1));
		return true;
	}
	return false;
}

static void tlb_fill(struct sim_smmu *s, uint16_t asid, uint64_t va,
		     const struct sw_leaf *l)
{
	int slot = (int)FREE_SLOT(s->tlb);

	s->tlb[slot].v = true;
	s->tlb[slot].global = l->global;
	s->tlb[slot].writable = l->writable;
	s->tlb[slot].asid = asid;
	s->tlb[slot].va = va & ~(uint64_t)(PAGE - 1);
	s->tlb[slot].pa = l->pa & ~(uint64_t)(PAGE - 1);
}

static void fail(struct sim_smmu *s, const struct sw_request *rq,
		 struct sw_result *r, enum sw_event e, bool record)
{
	r->outcome = SWO_ABORTED;
	r->event = record ? e : SWE_NONE;
	r->suppressed = !record && e != SWE_NONE;
	if (record && e != SWE_NONE)
		sim_event(s, e, rq->sid, rq->ssv, rq->ssid, rq->addr,
			  rq->write);
}

void sim_dma(struct sim_smmu *s, const struct sw_request *rq,
	     struct sw_result *r)
{
	struct sw_mem m = sim_sw_mem(s->mem);
	struct sw_smmu w = sim_sw_smmu(s);
	uint64_t ste[8], cd[8];
	struct sw_ste t;
	struct sw_cd c;
	enum sw_event e;
	bool bypass;

	*r = (struct sw_result){0};
	if (!w.smmuen) {
		if (w.gbpa_abort)
			return fail(s, rq, r, SWE_NONE, false);
		r->outcome = SWO_BYPASSED;
		r->pa = rq->addr;
		return;
	}
	e = ste_cached(s, &m, &w, rq->sid, ste);
	if (e != SWE_NONE)
		return fail(s, rq, r, e, true);
	sw_decode_ste(ste, &t);
	if (t.config < 4)
		return fail(s, rq, r, SWE_NONE, false); /* no event (5.2) */
	if (!(t.config & 1)) {
		r->outcome = SWO_BYPASSED;
		r->pa = rq->addr;
		return;
	}
	e = cd_cached(s, &m, &w, rq, ste, cd, &r->cd_ssid, &bypass);
	if (e == SWE_NONE && bypass) {
		r->outcome = SWO_BYPASSED;
		r->pa = rq->addr;
		return;
	}
	if (e != SWE_NONE)
		return fail(s, rq, r, e, true);
	sw_decode_cd(cd, &c);
	r->asid = c.asid;
	if (tlb_hit(s, c.asid, rq, r))
		return;
	e = sw_s1_walk(&m, cd, rq->addr, rq->write, &r->leaf);
	if (e != SWE_NONE)
		return fail(s, rq, r, e, c.r);
	tlb_fill(s, c.asid, rq->addr, &r->leaf);
	r->outcome = SWO_TRANSLATED;
	r->pa = r->leaf.pa;
}
