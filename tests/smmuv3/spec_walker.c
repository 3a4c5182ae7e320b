/* SPDX-License-Identifier: MIT */
/*
 * The independent SMMUv3 walker (spec_walker.h), from IHI 0070 E.a and
 * the VMSAv8-64 translation table format.  Bit positions are written as
 * (shift, width) pairs from the spec's field tables, on purpose unlike
 * the driver's masks.
 */
#include "spec_walker.h"

#include <stddef.h>

/* Bits [s + w - 1 : s] of x. */
static uint64_t bits(uint64_t x, unsigned s, unsigned w)
{
	return (x >> s) & (w == 64 ? ~0ULL : ((1ULL << w) - 1));
}

/* ---- IDR fields (6.3.1, 6.3.2, 6.3.6) ---- */
static bool idr0_s1p(const struct sw_smmu *s)
{
	return bits(s->idr0, 1, 1);
}
static bool idr0_s2p(const struct sw_smmu *s)
{
	return bits(s->idr0, 0, 1);
}
static bool idr0_cd2l(const struct sw_smmu *s)
{
	return bits(s->idr0, 19, 1);
}
static unsigned idr1_ssidsize(const struct sw_smmu *s)
{
	return (unsigned)bits(s->idr1, 6, 5);
}

/* ---- 5.2 STE ---- */
void sw_decode_ste(const uint64_t w[8], struct sw_ste *o)
{
	o->v = bits(w[0], 0, 1);
	o->config = (unsigned)bits(w[0], 1, 3);
	o->s1fmt = (unsigned)bits(w[0], 4, 2);
	o->ctxptr = bits(w[0], 6, 50) << 6; /* S1ContextPtr [55:6] */
	o->s1cdmax = (unsigned)bits(w[0], 59, 5);
	o->s1dss = (unsigned)bits(w[1], 0, 2);
	o->eats = (unsigned)bits(w[1], 28, 2);
	o->strw = (unsigned)bits(w[1], 30, 2);
}

/* ---- 5.4 CD ---- */
void sw_decode_cd(const uint64_t w[8], struct sw_cd *o)
{
	o->t0sz = (unsigned)bits(w[0], 0, 6);
	o->tg0 = (unsigned)bits(w[0], 6, 2);
	o->epd0 = bits(w[0], 14, 1);
	o->endi = bits(w[0], 15, 1);
	o->epd1 = bits(w[0], 30, 1);
	o->v = bits(w[0], 31, 1);
	o->ips = (unsigned)bits(w[0], 32, 3);
	o->aa64 = bits(w[0], 41, 1);
	o->hd = bits(w[0], 42, 1);
	o->ha = bits(w[0], 43, 1);
	o->s = bits(w[0], 44, 1);
	o->r = bits(w[0], 45, 1);
	o->a = bits(w[0], 46, 1);
	o->asid = (uint16_t)bits(w[0], 48, 16);
	o->ttb0 = bits(w[1], 4, 48) << 4; /* TTB0 [51:4] */
	o->mair = w[3];
}

static int rd(const struct sw_mem *m, uint64_t pa, uint64_t *v)
{
	return m->read64(m->ctx, pa, v);
}

static int rd_words(const struct sw_mem *m, uint64_t pa, uint64_t *w,
		    unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (rd(m, pa + 8 * i, &w[i]))
			return -1;
	return 0;
}

/* 5.1, 6.3.24: LOG2SIZE, SPLIT, FMT; 2-level L1STD {Span [4:0],
 * L2Ptr [51:6]}, a leaf of 2^(Span-1) STEs. */
enum sw_event sw_fetch_ste(const struct sw_mem *m, const struct sw_smmu *s,
			   uint32_t sid, uint64_t ste[8])
{
	unsigned log2size = (unsigned)bits(s->strtab_cfg, 0, 6);
	unsigned split = (unsigned)bits(s->strtab_cfg, 6, 5);
	unsigned fmt = (unsigned)bits(s->strtab_cfg, 16, 2);
	uint64_t base = bits(s->strtab_base, 6, 46) << 6, l1, span, lo;

	if (log2size < 32 && (sid >> log2size))
		return SWE_C_BAD_STREAMID;
	/* 6.3.23: the SMMU aligns ADDR to the table size (linear) or to
	 * the larger of 64 bytes and the L1 table size: a base the driver
	 * did not align reads some other table. */
	if (fmt == 0 && log2size + 6 < 52)
		base &= ~((1ULL << (log2size + 6)) - 1);
	else if (fmt != 0 && log2size > split && log2size - split + 3 > 6)
		base &= ~((1ULL << (log2size - split + 3)) - 1);
	if (fmt == 0)
		return rd_words(m, base + (uint64_t)sid * 64, ste, 8)
			       ? SWE_C_BAD_STREAMID
			       : SWE_NONE;
	if (rd(m, base + (uint64_t)(sid >> split) * 8, &l1))
		return SWE_C_BAD_STREAMID;
	span = bits(l1, 0, 5);
	lo = sid & ((1u << split) - 1);
	if (span == 0 || span > split + 1 || lo >= (1ULL << (span - 1)))
		return SWE_C_BAD_STREAMID;
	if (rd_words(m, (bits(l1, 6, 46) << 6) + lo * 64, ste, 8))
		return SWE_C_BAD_STREAMID;
	return SWE_NONE;
}

int sw_l1std_of(const struct sw_mem *m, const struct sw_smmu *s, uint32_t sid,
		uint64_t *d)
{
	unsigned split = (unsigned)bits(s->strtab_cfg, 6, 5);

	if (bits(s->strtab_cfg, 16, 2) != 1)
		return -1;
	return rd(m, (bits(s->strtab_base, 6, 46) << 6) + (sid >> split) * 8,
		  d);
}

enum sw_event sw_check_ste(const struct sw_smmu *s, const uint64_t ste[8])
{
	struct sw_ste t;

	sw_decode_ste(ste, &t);
	if (!t.v)
		return SWE_C_BAD_STE;
	if (t.config < 4)
		return SWE_NONE; /* abort */
	if ((t.config & 2) && !idr0_s2p(s))
		return SWE_C_BAD_STE;
	if ((t.config & 1) && !idr0_s1p(s))
		return SWE_C_BAD_STE;
	if (!(t.config & 1))
		return SWE_NONE;
	if (s->qemu72 && t.s1cdmax)
		return SWE_C_BAD_STE;
	if (idr1_ssidsize(s) && t.s1cdmax > idr1_ssidsize(s))
		return SWE_C_BAD_STE;
	if (idr1_ssidsize(s) && t.s1cdmax && t.s1fmt && !idr0_cd2l(s))
		return SWE_C_BAD_STE;
	return SWE_NONE;
}

/* 5.2 S1Fmt 0b01: L1CD {V [0], L2Ptr [51:12]} per 64 SubstreamIDs. */
static int cd_addr(const struct sw_mem *m, const struct sw_ste *t,
		   uint32_t ssid, uint64_t *pa)
{
	uint64_t l1;

	if (t->s1cdmax == 0 || t->s1fmt == 0 || t->s1fmt == 3) {
		*pa = t->ctxptr + (uint64_t)ssid * 64;
		return 0;
	}
	if (t->s1fmt == 1) {
		uint32_t idx = t->s1cdmax <= 6 ? 0 : ssid >> 6;

		if (rd(m, t->ctxptr + (uint64_t)idx * 8, &l1) ||
		    !bits(l1, 0, 1))
			return -1;
		*pa = (bits(l1, 12, 40) << 12) + (uint64_t)(ssid & 63) * 64;
		return 0;
	}
	/* 0b10: 64-KiB leaves of 1024 CDs. */
	if (rd(m, t->ctxptr + (uint64_t)(t->s1cdmax <= 10 ? 0 : ssid >> 10) * 8,
	       &l1) ||
	    !bits(l1, 0, 1))
		return -1;
	*pa = (bits(l1, 16, 36) << 16) + (uint64_t)(ssid & 1023) * 64;
	return 0;
}

int sw_l1cd_of(const struct sw_mem *m, const uint64_t ste[8], uint32_t ssid,
	       uint64_t *d)
{
	struct sw_ste t;

	sw_decode_ste(ste, &t);
	if (t.s1cdmax == 0 || t.s1fmt != 1)
		return -1;
	return rd(m, t.ctxptr + (uint64_t)(t.s1cdmax <= 6 ? 0 : ssid >> 6) * 8,
		  d);
}

enum sw_event sw_fetch_cd(const struct sw_mem *m, const uint64_t ste[8],
			  bool ssv, uint32_t ssid, uint64_t cd[8],
			  uint32_t *ssid_used, bool *bypass)
{
	struct sw_ste t;
	uint64_t pa;

	sw_decode_ste(ste, &t);
	*bypass = false;
	*ssid_used = 0;
	if (ssv) {
		if (t.s1cdmax == 0 || ssid >= (1u << t.s1cdmax))
			return SWE_C_BAD_SUBSTREAMID;
		if (t.s1dss == 2 && ssid == 0)
			return SWE_C_BAD_SUBSTREAMID;
		*ssid_used = ssid;
	} else if (t.s1cdmax) {
		if (t.s1dss == 0)
			return SWE_F_STREAM_DISABLED;
		if (t.s1dss == 1) {
			*bypass = true;
			return SWE_NONE;
		}
		if (t.s1dss != 2)
			return SWE_C_BAD_STE;
	}
	if (cd_addr(m, &t, *ssid_used, &pa))
		return SWE_C_BAD_SUBSTREAMID;
	if (rd_words(m, pa, cd, 8))
		return SWE_C_BAD_CD;
	return SWE_NONE;
}

enum sw_event sw_check_cd(const struct sw_smmu *s, const uint64_t cd[8])
{
	struct sw_cd c;

	sw_decode_cd(cd, &c);
	(void)s;
	/* 5.4, and QEMU 7.2's checks: V, AA64, A set; S, HA, HD, ENDI
	 * clear; a walked TTB0 range of 16..39 bits of T0SZ, 4-KiB TG0. */
	if (!c.v || !c.aa64 || !c.a || c.s || c.ha || c.hd || c.endi)
		return SWE_C_BAD_CD;
	if (!c.epd0 && (c.t0sz < 16 || c.t0sz > 39 || c.tg0 != 0))
		return SWE_C_BAD_CD;
	if (!c.epd1)
		return SWE_C_BAD_CD; /* Paddock never uses TTB1 */
	return SWE_NONE;
}

/* VMSAv8-64, 4 KiB granule: level of the first lookup for T0SZ. */
static unsigned start_level(unsigned t0sz)
{
	if (t0sz <= 24)
		return 0;
	if (t0sz <= 33)
		return 1;
	return 2;
}

static unsigned ips_bits(unsigned ips)
{
	static const unsigned b[8] = {32, 36, 40, 42, 44, 48, 52, 52};

	return b[ips & 7];
}

enum sw_event sw_s1_walk(const struct sw_mem *m, const uint64_t cd[8],
			 uint64_t va, bool write, struct sw_leaf *leaf)
{
	struct sw_cd c;
	uint64_t table, d = 0;
	bool ro = false, no_el0 = false;
	unsigned lvl;

	sw_decode_cd(cd, &c);
	if (c.epd0 || (va >> (64 - c.t0sz)))
		return SWE_F_TRANSLATION; /* TTB1 range: EPD1 */
	table = c.ttb0;
	for (lvl = start_level(c.t0sz); lvl <= 3; lvl++) {
		unsigned shift = 39 - 9 * lvl;

		if (rd(m, table + bits(va, shift, 9) * 8, &d))
			return SWE_F_TRANSLATION; /* F_WALK_EABT, really */
		if (!bits(d, 0, 1))
			return SWE_F_TRANSLATION;
		if (lvl == 3 || !bits(d, 1, 1))
			break;
		/* Table descriptor: APTable [62:61] limits what is below. */
		ro |= bits(d, 62, 1);
		no_el0 |= bits(d, 61, 1);
		table = bits(d, 12, 36) << 12;
		if (table >> ips_bits(c.ips))
			return SWE_F_ADDR_SIZE;
	}
	if (lvl == 0 || (lvl < 3 && bits(d, 1, 1)))
		return SWE_F_TRANSLATION; /* no level-0 blocks with 4 KiB */
	if (lvl == 3 && !bits(d, 1, 1))
		return SWE_F_TRANSLATION; /* level 3 needs the page bit */
	{
		unsigned shift = 39 - 9 * lvl;
		uint64_t out = (bits(d, shift, 48 - shift) << shift) |
			       bits(va, 0, shift);

		if (out >> ips_bits(c.ips))
			return SWE_F_ADDR_SIZE;
		if (!bits(d, 10, 1))
			return SWE_F_ACCESS; /* AF = 0, AFFD = 0, HA = 0 */
		leaf->pa = out;
		leaf->level = lvl;
		leaf->writable = !ro && !bits(d, 7, 1);
		leaf->el0 = !no_el0 && bits(d, 6, 1);
		leaf->global = !bits(d, 11, 1);
	}
	/* Device DMA is unprivileged here: it needs AP[1] (EL0). */
	if (!leaf->el0 || (write && !leaf->writable))
		return SWE_F_PERMISSION;
	return SWE_NONE;
}

static void abort_with(struct sw_result *r, enum sw_event e, const char *why)
{
	r->outcome = SWO_ABORTED;
	r->event = e;
	r->why = why;
}

void sw_translate(const struct sw_mem *m, const struct sw_smmu *s,
		  const struct sw_request *rq, struct sw_result *r)
{
	uint64_t ste[8], cd[8];
	enum sw_event e;
	struct sw_ste t;
	struct sw_cd c;
	bool bypass;

	*r = (struct sw_result){0};
	if (!s->smmuen) {
		if (s->gbpa_abort)
			abort_with(r, SWE_NONE, "SMMUEN=0, GBPA.ABORT");
		else
			r->outcome = SWO_BYPASSED, r->pa = rq->addr;
		return;
	}
	e = sw_fetch_ste(m, s, rq->sid, ste);
	if (e == SWE_NONE)
		e = sw_check_ste(s, ste);
	if (e != SWE_NONE)
		return abort_with(r, e, "STE");
	sw_decode_ste(ste, &t);
	if (t.config < 4)
		return abort_with(r, SWE_NONE, "STE.Config abort");
	if (!(t.config & 1)) {
		r->outcome = SWO_BYPASSED;
		r->pa = rq->addr;
		return;
	}
	e = sw_fetch_cd(m, ste, rq->ssv, rq->ssid, cd, &r->cd_ssid, &bypass);
	if (e == SWE_NONE && bypass) {
		r->outcome = SWO_BYPASSED;
		r->pa = rq->addr;
		return;
	}
	if (e == SWE_NONE)
		e = sw_check_cd(s, cd);
	if (e != SWE_NONE)
		return abort_with(r, e, "CD");
	sw_decode_cd(cd, &c);
	r->asid = c.asid;
	e = sw_s1_walk(m, cd, rq->addr, rq->write, &r->leaf);
	if (e != SWE_NONE) {
		/* 5.4 R: F_* faults are recorded only when R = 1. */
		abort_with(r, c.r ? e : SWE_NONE, "stage 1");
		r->suppressed = !c.r;
		return;
	}
	r->outcome = SWO_TRANSLATED;
	r->pa = r->leaf.pa;
}

const char *sw_ste_reserved(const uint64_t w[8])
{
	/* Word 0: [58:56] RES0; Paddock's pointers stay below 2^52. */
	if (bits(w[0], 52, 7))
		return "STE[58:52]";
	/* Word 1: only S1DSS, S1CIR, S1COR, S1CSH, STRW, SHCFG. */
	if (w[1] & ~(0x3ULL | 0xcULL | 0x30ULL | 0xc0ULL | (3ULL << 30) |
		     (3ULL << 44)))
		return "STE word 1 (stall, ATS, stage-2 attributes)";
	for (int i = 2; i < 8; i++)
		if (w[i])
			return "STE words 2-7 (stage 2, reserved)";
	return NULL;
}

const char *sw_cd_reserved(const uint64_t w[8])
{
	if (bits(w[1], 52, 12) || bits(w[1], 0, 4))
		return "CD word 1 outside TTB0";
	if (w[2])
		return "CD TTB1";
	for (int i = 4; i < 8; i++)
		if (w[i])
			return "CD words 4-7";
	if (bits(w[0], 16, 14))
		return "CD T1SZ/TG1/IR1/OR1/SH1";
	return NULL;
}

const char *sw_l1cd_reserved(uint64_t d)
{
	if (bits(d, 1, 11) || bits(d, 52, 12))
		return "L1CD reserved";
	return NULL;
}

const char *sw_l1std_reserved(uint64_t d)
{
	if (bits(d, 5, 1) || bits(d, 52, 12))
		return "L1STD reserved";
	return NULL;
}

static int enum_table(const struct sw_mem *m, uint64_t table, unsigned lvl,
		      uint64_t va, bool ro, bool no_el0,
		      const struct sw_leaf_visit *v)
{
	int rc = 0;

	for (uint64_t i = 0; i < 512; i++) {
		unsigned shift = 39 - 9 * lvl;
		uint64_t d, a = va | (i << shift);
		struct sw_leaf l;

		if (rd(m, table + i * 8, &d))
			return -1;
		if (!bits(d, 0, 1))
			continue;
		if (lvl < 3 && bits(d, 1, 1)) {
			if (enum_table(m, bits(d, 12, 36) << 12, lvl + 1, a,
				       ro || bits(d, 62, 1),
				       no_el0 || bits(d, 61, 1), v))
				rc = -1;
			continue;
		}
		if (lvl == 0 || (lvl == 3 && !bits(d, 1, 1)) || !bits(d, 10, 1))
			continue; /* faults: nothing reachable */
		l = (struct sw_leaf){
			.pa = bits(d, shift, 48 - shift) << shift,
			.writable = !ro && !bits(d, 7, 1),
			.el0 = !no_el0 && bits(d, 6, 1),
			.global = !bits(d, 11, 1),
			.level = lvl,
		};
		if (l.el0)
			v->leaf(v->ctx, a, 1ULL << shift, &l);
	}
	return rc;
}

int sw_s1_enumerate(const struct sw_mem *m, const uint64_t cd[8],
		    const struct sw_leaf_visit *v)
{
	struct sw_cd c;

	sw_decode_cd(cd, &c);
	if (!c.v || c.epd0)
		return 0;
	return enum_table(m, c.ttb0, start_level(c.t0sz), 0, false, false, v);
}

const char *sw_event_name(enum sw_event e)
{
	switch (e) {
	case SWE_NONE:
		return "none";
	case SWE_C_BAD_STREAMID:
		return "C_BAD_STREAMID";
	case SWE_C_BAD_STE:
		return "C_BAD_STE";
	case SWE_F_STREAM_DISABLED:
		return "F_STREAM_DISABLED";
	case SWE_C_BAD_SUBSTREAMID:
		return "C_BAD_SUBSTREAMID";
	case SWE_C_BAD_CD:
		return "C_BAD_CD";
	case SWE_F_TRANSLATION:
		return "F_TRANSLATION";
	case SWE_F_ADDR_SIZE:
		return "F_ADDR_SIZE";
	case SWE_F_ACCESS:
		return "F_ACCESS";
	case SWE_F_PERMISSION:
		return "F_PERMISSION";
	}
	return "?";
}
