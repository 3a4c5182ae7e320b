/* SPDX-License-Identifier: MIT */
/*
 * Simulated memory and VT-d register file for the host tests; see
 * vtd_sim.h.  Register offsets, widths and descriptor formats are written
 * out here from the VT-d spec (11.4, 6.5.2) independently of the driver.
 */
#include "vtd_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096u

/* ------------------------------------------------------------------ */
/* Memory                                                              */

void sim_mem_init(struct sim_mem *m)
{
	memset(m, 0, sizeof(*m));
	sim_pages_init(&m->pages, 0);
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
	return sim_pages_pa_ok(&m->pages, pa, len);
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

	m->flushes++;
	if (m->flush_hook)
		m->flush_hook(m,
			      SIM_PHYS_BASE +
				      (uint64_t)((const uint8_t *)va - m->ram),
			      len, m->flush_ctx);
}

const struct vtd_mem_ops sim_mem_ops = {
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
	memcpy(&v, m->ram + (pa - SIM_PHYS_BASE), 8);
	return v;
}

void sim_wr(struct sim_mem *m, uint64_t pa, uint64_t v)
{
	if (!pa_ok(m, pa, 8)) {
		m->errors++;
		return;
	}
	memcpy(m->ram + (pa - SIM_PHYS_BASE), &v, 8);
}

static int sw_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	struct sim_mem *m = ctx;

	if (pa % 8 || !pa_ok(m, pa, 8))
		return -1;
	memcpy(val, m->ram + (pa - SIM_PHYS_BASE), 8);
	return 0;
}

struct sw_mem sim_sw_mem(struct sim_mem *m)
{
	return (struct sw_mem){.read64 = sw_read64, .ctx = m};
}

/* ------------------------------------------------------------------ */
/* Registers (VT-d 4.x, 11.4), with their widths                       */

enum {
	R_VER = 0x000,
	R_CAP = 0x008,
	R_ECAP = 0x010,
	R_GCMD = 0x018,
	R_GSTS = 0x01C,
	R_RTADDR = 0x020,
	R_CCMD = 0x028,
	R_FSTS = 0x034,
	R_FECTL = 0x038,
	R_FEDATA = 0x03C,
	R_FEADDR = 0x040,
	R_FEUADDR = 0x044,
	R_IQH = 0x080,
	R_IQT = 0x088,
	R_IQA = 0x090,
	R_ICS = 0x09C,
	R_IECTL = 0x0A0,
	R_IEDATA = 0x0A4,
	R_IEADDR = 0x0A8,
	R_IEUADDR = 0x0AC,
	R_IQERCD = 0x0B0,
	R_IRTA = 0x0B8,
};

/* GCMD/GSTS bits (11.4.4/5). */
#define G_TE	     (1u << 31)
#define G_SRTP	     (1u << 30)
#define G_SFL	     (1u << 29)
#define G_WBF	     (1u << 27)
#define G_QIE	     (1u << 26)
#define G_IRE	     (1u << 25)
#define G_SIRTP	     (1u << 24)
#define G_CFI	     (1u << 23)
#define G_PERSISTENT (G_TE | G_QIE | G_IRE | G_CFI)
#define G_ONESHOT    (G_SRTP | G_SFL | G_WBF | G_SIRTP)

/* FSTS (11.4.9.1). */
#define F_PFO 0x1u
#define F_PPF 0x2u
#define F_IQE 0x10u
#define F_ICE 0x20u
#define F_ITE 0x40u

unsigned sim_fault_base(const struct sim_unit *s)
{
	return (unsigned)((s->cap >> 24) & 0x3FF) * 16;
}

static unsigned nfr(const struct sim_unit *s)
{
	unsigned n = (unsigned)((s->cap >> 40) & 0xFF) + 1;

	return n > 8 ? 8 : n;
}

/* The width of the register at off, 0 when there is none. */
static unsigned width_of(const struct sim_unit *s, uint32_t off)
{
	unsigned fb = sim_fault_base(s), iro = ((s->ecap >> 8) & 0x3FF) * 16;

	switch (off) {
	case R_CAP:
	case R_ECAP:
	case R_RTADDR:
	case R_CCMD:
	case R_IQH:
	case R_IQT:
	case R_IQA:
	case R_IQERCD:
	case R_IRTA:
		return 8;
	case R_VER:
	case R_GCMD:
	case R_GSTS:
	case R_FSTS:
	case R_FECTL:
	case R_FEDATA:
	case R_FEADDR:
	case R_FEUADDR:
	case R_ICS:
	case R_IECTL:
	case R_IEDATA:
	case R_IEADDR:
	case R_IEUADDR:
		return 4;
	}
	if (off == iro || off == iro + 8)
		return 8;
	if (off >= fb && off < fb + nfr(s) * 16) {
		unsigned r = (off - fb) % 16;

		if (r == 0 || r == 8)
			return 8;
		if (r == 12)
			return 4;
	}
	return 0;
}

static bool check_width(struct sim_unit *s, uint32_t off, unsigned w)
{
	if (width_of(s, off) == w)
		return true;
	s->width_errors++;
	fprintf(stderr, "sim: %u-byte access to register 0x%03x\n", w, off);
	return false;
}

static unsigned desc_shift(const struct sim_unit *s)
{
	return (s->iqa >> 11) & 1 ? 5 : 4;
}

/* 6.5.2.7: G (bit 4) 0 = global; else IIDX (47:32) masked by IM (31:27). */
static void iec_invalidate(struct sim_unit *s, const struct sim_desc *d)
{
	unsigned im = (unsigned)((d->w[0] >> 27) & 0x1F);
	unsigned idx = (unsigned)((d->w[0] >> 32) & 0xFFFF);

	for (unsigned i = 0; i < SIM_IEC_ENTRIES; i++)
		if (!(d->w[0] & 0x10) || (i >> im) == (idx >> im))
			s->iec_valid[i] = false;
}

static void run_queue(struct sim_unit *s)
{
	unsigned shift = desc_shift(s), words = shift == 5 ? 4 : 2;
	unsigned slots = (PAGE << (s->iqa & 7)) >> shift;
	uint64_t base = s->iqa & ~0xFFFULL;
	unsigned head = (unsigned)(s->iqh >> shift) % slots;
	unsigned tail = (unsigned)(s->iqt >> shift) % slots;

	if (!(s->gsts & G_QIE) || s->dead || (s->fsts & F_IQE))
		return;
	while (head != tail) {
		struct sim_desc d;
		bool bad = false;

		memset(&d, 0, sizeof(d));
		for (unsigned i = 0; i < words; i++)
			d.w[i] = sim_rd(s->mem,
					base + (uint64_t)head * words * 8 +
						i * 8);
		d.type =
			(unsigned)((d.w[0] & 0xF) | ((d.w[0] >> 9) & 0x7) << 4);
		if (s->nlog < SIM_LOG_MAX)
			s->log[s->nlog++] = d;
		if (s->hook)
			s->hook(s, &d, s->hook_ctx);
		/* QEMU 7.2 wants words 2 and 3 of these types zero. */
		if (words == 4 && (d.w[2] || d.w[3]))
			bad = true;
		switch (d.type) {
		case SW_INV_IEC:
			iec_invalidate(s, &d);
			break;
		case SW_INV_CONTEXT:
		case SW_INV_IOTLB:
		case SW_INV_DEV_TLB:
		case SW_INV_PASID_IOTLB:
		case SW_INV_PASID_CACHE:
		case SW_INV_PASID_DEV_TLB:
			break;
		case SW_INV_WAIT:
			/* SW (bit 5) with IF (bit 4) aborts QEMU 7.2. */
			if ((d.w[0] & 0x30) == 0x30)
				s->queue_errors++;
			if (d.w[0] & 0x20) {
				uint64_t pa = d.w[1] & ~3ULL;
				uint32_t v = (uint32_t)(d.w[0] >> 32);

				if (!pa_ok(s->mem, pa, 4)) {
					s->queue_errors++;
					break;
				}
				memcpy(s->mem->ram + (pa - SIM_PHYS_BASE), &v,
				       4);
			}
			break;
		default:
			bad = true;
		}
		if (bad) {
			s->fsts |= F_IQE;
			s->queue_errors++;
			return;
		}
		head = (head + 1) % slots;
		s->iqh = (uint64_t)head << shift;
	}
}

static uint32_t fsts_value(struct sim_unit *s)
{
	uint32_t v = s->fsts & ~(F_PPF | 0xFF00u);

	for (unsigned i = 0; i < nfr(s); i++)
		if (s->frcd[i][1] >> 63) {
			v |= F_PPF | i << 8;
			break;
		}
	return v;
}

static uint32_t reg_read32(void *ctx, uint32_t off)
{
	struct sim_unit *s = ctx;
	unsigned fb = sim_fault_base(s);

	if (!check_width(s, off, 4))
		return 0;
	switch (off) {
	case R_VER:
		return s->ver;
	case R_GSTS:
		return s->gsts;
	case R_FSTS:
		return fsts_value(s);
	case R_FECTL:
		return s->fectl;
	case R_ICS:
		return s->ics;
	}
	if (off >= fb && off < fb + nfr(s) * 16)
		return (uint32_t)(s->frcd[(off - fb) / 16][1] >> 32);
	return 0;
}

static uint64_t reg_read64(void *ctx, uint32_t off)
{
	struct sim_unit *s = ctx;
	unsigned fb = sim_fault_base(s);

	if (!check_width(s, off, 8))
		return 0;
	switch (off) {
	case R_CAP:
		return s->cap;
	case R_ECAP:
		return s->ecap;
	case R_RTADDR:
		return s->rtaddr;
	case R_IQH:
		if (s->lazy)
			run_queue(s);
		return s->iqh;
	case R_IQT:
		return s->iqt;
	case R_IQA:
		return s->iqa;
	case R_IRTA:
		return s->irta;
	}
	if (off >= fb && off < fb + nfr(s) * 16)
		return s->frcd[(off - fb) / 16][((off - fb) % 16) / 8];
	return 0;
}

static unsigned popcount(uint32_t v)
{
	return (unsigned)__builtin_popcount(v);
}

static void gcmd_write(struct sim_unit *s, uint32_t v)
{
	uint32_t changed = (s->gsts ^ v) & G_PERSISTENT;
	uint32_t oneshot = v & G_ONESHOT;

	/* 11.4.4: one command per write. */
	if (popcount(changed) + popcount(oneshot) != 1)
		s->gcmd_errors++;
	if (changed & G_TE)
		s->gsts ^= G_TE;
	if (changed & G_QIE) {
		if (v & G_QIE) {
			if (s->iqt != 0)
				s->queue_errors++;
			s->iqh = 0;
		} else if (s->iqh != s->iqt) {
			s->queue_errors++;
		}
		s->gsts ^= G_QIE;
	}
	if (oneshot & G_SRTP) {
		s->rtaddr_latched = s->rtaddr;
		s->gsts |= G_SRTP;
	}
	if (changed & G_IRE) {
		/* 11.4.4: IRE needs a table pointer set by SIRTP first. */
		if ((v & G_IRE) && !(s->gsts & G_SIRTP))
			s->gcmd_errors++;
		s->gsts ^= G_IRE;
	}
	if (changed & G_CFI)
		s->gsts ^= G_CFI;
	if (oneshot & G_SIRTP) {
		s->irta_latched = s->irta;
		s->gsts |= G_SIRTP;
	}
}

static void reg_write32(void *ctx, uint32_t off, uint32_t v)
{
	struct sim_unit *s = ctx;
	unsigned fb = sim_fault_base(s);

	if (!check_width(s, off, 4))
		return;
	switch (off) {
	case R_GCMD:
		gcmd_write(s, v);
		return;
	case R_FSTS:
		s->fsts &= ~(v & (F_PFO | F_IQE | F_ICE | F_ITE));
		return;
	case R_FECTL:
		s->fectl = v;
		return;
	}
	if (off >= fb && off < fb + nfr(s) * 16 && (off - fb) % 16 == 12) {
		if (v & (1u << 31))
			s->frcd[(off - fb) / 16][1] &= ~(1ULL << 63);
		return;
	}
}

static void reg_write64(void *ctx, uint32_t off, uint64_t v)
{
	struct sim_unit *s = ctx;

	if (!check_width(s, off, 8))
		return;
	switch (off) {
	case R_RTADDR:
		s->rtaddr = v;
		return;
	case R_IRTA:
		s->irta = v;
		return;
	case R_IQT:
		/* 256-bit descriptors: bit 4 of the tail must be 0. */
		if (desc_shift(s) == 5 && (v & 0x10)) {
			s->fsts |= F_IQE;
			s->queue_errors++;
			return;
		}
		s->iqt = v & 0x7FFF0ULL;
		if (!s->lazy)
			run_queue(s);
		return;
	case R_IQA:
		if (s->gsts & G_QIE)
			s->queue_errors++;
		s->iqa = v;
		return;
	case R_CCMD:
		/* Register-based invalidation is not used with a queue. */
		s->queue_errors++;
		return;
	}
}

static void reg_relax(void *ctx)
{
	struct sim_unit *s = ctx;

	run_queue(s);
}

const struct vtd_reg_ops sim_reg_ops = {
	.read32 = reg_read32,
	.read64 = reg_read64,
	.write32 = reg_write32,
	.write64 = reg_write64,
	.relax = reg_relax,
};

void sim_unit_init(struct sim_unit *s, struct sim_mem *m, uint64_t cap,
		   uint64_t ecap)
{
	memset(s, 0, sizeof(*s));
	s->mem = m;
	s->ver = 0x10;
	s->cap = cap;
	s->ecap = ecap;
	s->fectl = 1u << 31; /* IM set at reset */
}

void sim_inject_fault(struct sim_unit *s, unsigned idx, uint64_t lo,
		      uint64_t hi)
{
	s->frcd[idx][0] = lo;
	s->frcd[idx][1] = hi | (1ULL << 63);
}

/* ------------------------------------------------------------------ */
/* Interrupt requests (VT-d 4.x, chapter 5)                            */

enum {
	IR_REQ_RSVD = 0x20,
	IR_INDEX_OVER = 0x21,
	IR_NOT_PRESENT = 0x22,
	IR_RSVD = 0x24,
	IR_COMPAT = 0x25,
	IR_SID = 0x26,
};

/* Records a primary fault for an interrupt request: FI 63:48 = index. */
static void ir_fault(struct sim_unit *s, uint16_t sid, unsigned index,
		     uint8_t reason, struct sim_irq *out)
{
	out->reason = reason;
	for (unsigned i = 0; i < nfr(s); i++) {
		if (s->frcd[i][1] >> 63)
			continue;
		s->frcd[i][0] = (uint64_t)(index & 0xFFFF) << 48;
		s->frcd[i][1] = (1ULL << 63) | (uint64_t)reason << 32 | sid;
		return;
	}
	s->fsts |= F_PFO;
}

/* 9.9: the IRTE, through the interrupt entry cache. */
static bool irte_fetch(struct sim_unit *s, unsigned index, uint64_t e[2])
{
	uint64_t base = s->irta_latched & ~0xFFFULL;

	if (index < SIM_IEC_ENTRIES && s->iec_valid[index]) {
		e[0] = s->iec[index][0];
		e[1] = s->iec[index][1];
		return true;
	}
	if (!pa_ok(s->mem, base + index * 16ULL, 16))
		return false;
	e[0] = sim_rd(s->mem, base + index * 16ULL);
	e[1] = sim_rd(s->mem, base + index * 16ULL + 8);
	if (index < SIM_IEC_ENTRIES && (e[0] & 1)) {
		s->iec[index][0] = e[0];
		s->iec[index][1] = e[1];
		s->iec_valid[index] = true;
	}
	return true;
}

/* 9.9 SVT/SQ: which requester ids may use the entry. */
static bool irte_sid_ok(const uint64_t e[2], uint16_t sid)
{
	static const uint16_t sq_mask[4] = {0xFFFF, 0xFFFB, 0xFFF9, 0xFFF8};
	uint16_t want = (uint16_t)e[1];
	unsigned sq = (unsigned)((e[1] >> 16) & 3);

	switch ((e[1] >> 18) & 3) {
	case 0:
		return true;
	case 1:
		return (want & sq_mask[sq]) == (sid & sq_mask[sq]);
	case 2:
		return (sid >> 8) >= (want & 0xFF) && (sid >> 8) <= (want >> 8);
	default:
		return false;
	}
}

static void deliver(struct sim_irq *out, uint8_t vector, uint8_t dlm,
		    uint32_t dest)
{
	out->delivered = true;
	out->vector = vector;
	out->dlm = dlm;
	out->dest = dest;
}

void sim_interrupt_request(struct sim_unit *s, uint16_t sid, uint32_t addr,
			   uint32_t data, struct sim_irq *out)
{
	unsigned index;
	uint64_t e[2];

	memset(out, 0, sizeof(*out));
	/* 5.1.2.1: as the local APIC reads a compatibility-format MSI. */
	if (!(s->gsts & G_IRE) || (!(addr & 0x10) && (s->gsts & G_CFI))) {
		deliver(out, (uint8_t)data, (uint8_t)((data >> 8) & 7),
			(addr >> 12) & 0xFF);
		return;
	}
	if (!(addr & 0x10)) {
		ir_fault(s, sid, 0, IR_COMPAT, out);
		return;
	}
	/* 5.1.2.2: handle 14:0 in address bits 19:5, handle 15 in bit 2. */
	index = ((addr >> 5) & 0x7FFF) | ((addr >> 2) & 1) << 15;
	if (addr & 0x8)
		index += data & 0xFFFF;
	else if (data & 0xFFFF0000u) {
		ir_fault(s, sid, index, IR_REQ_RSVD, out);
		return;
	}
	if (index >= (2u << (s->irta_latched & 0xF)) || index > 0xFFFF) {
		ir_fault(s, sid, index, IR_INDEX_OVER, out);
		return;
	}
	if (!irte_fetch(s, index, e) || !(e[0] & 1)) {
		ir_fault(s, sid, index, IR_NOT_PRESENT, out);
		return;
	}
	/* IM (bit 15) = 1 is the posted format, not modelled: reserved. */
	if (e[0] & (1ULL << 15)) {
		ir_fault(s, sid, index, IR_RSVD, out);
		return;
	}
	if (!irte_sid_ok(e, sid)) {
		if (!(e[0] & 2)) /* FPD */
			ir_fault(s, sid, index, IR_SID, out);
		return;
	}
	deliver(out, (uint8_t)(e[0] >> 16), (uint8_t)((e[0] >> 5) & 7),
		(uint32_t)((e[0] >> 40) & 0xFF));
}
