/* SPDX-License-Identifier: MIT */
/*
 * Independent scalable-mode walk (VT-d 4.x, 3.4 "Mapping Devices to
 * Domains" for the root/context/PASID structures, 3.6 first-level and 3.7
 * second-level translation, chapter 9 for the formats).  Written without
 * looking at drivers/iommu/vtd; see spec_walker.h.
 */
#include "spec_walker.h"

#include <stddef.h>

/* Extracts bits hi..lo of v. */
static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	unsigned width = hi - lo + 1;

	v >>= lo;
	return width >= 64 ? v : v & ((1ULL << width) - 1);
}

static enum sw_reason fail(struct sw_result *res, enum sw_reason r,
			   bool qualified, bool fpd, const char *why)
{
	res->reason = r;
	res->suppressed = qualified && fpd;
	res->why = why;
	return r;
}

static bool rd(const struct sw_mem *m, uint64_t pa, uint64_t *v)
{
	return m->read64(m->ctx, pa, v) == 0;
}

/*
 * Second-level walk (3.7, 9.8).  An entry is present when any of R, W
 * (and X) is set; bit 7 at level 2/3 maps a 2-MiB/1-GiB page.
 */
static enum sw_reason walk_second(const struct sw_mem *m, uint64_t root,
				  unsigned levels, const struct sw_request *rq,
				  bool fpd, struct sw_result *res)
{
	uint64_t table = root, e = 0;
	unsigned width = 12 + 9 * levels;

	if (width < 64 && (rq->addr >> width))
		return fail(res, SW_ADDR_TOO_WIDE, true, fpd,
			    "input address beyond AW");
	for (unsigned level = levels; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t idx = bits(rq->addr, shift + 8, shift);

		if (!rd(m, table + idx * 8, &e))
			return fail(res, SW_BAD_POINTER, false, fpd,
				    "second-level table outside RAM");
		if ((e & 0x7) == 0)
			return fail(res, SW_SL_NOT_PRESENT, true, fpd,
				    "second-level entry not present");
		if (rq->write ? !(e & 0x2) : !(e & 0x1))
			return fail(res, SW_SL_DENIED, true, fpd,
				    "second-level permission");
		if (level == 1 || ((level == 2 || level == 3) && (e & 0x80))) {
			uint64_t page =
				e & SW_ADDR_MASK & ~((1ULL << shift) - 1);

			res->out = page | bits(rq->addr, shift - 1, 0);
			return SW_OK;
		}
		table = e & SW_ADDR_MASK;
	}
	return fail(res, SW_SL_NOT_PRESENT, true, fpd, "walk fell through");
}

/*
 * First-level walk, 4-level IA-32e paging (3.6, 9.7): P in bit 0, R/W
 * bit 1 and U/S bit 2 must allow the access at every level; bit 7 at
 * PDPTE/PDE maps a 1-GiB/2-MiB page.  Input addresses are canonical
 * 48-bit.
 */
static enum sw_reason walk_first(const struct sw_mem *m, uint64_t root,
				 const struct sw_request *rq, bool fpd,
				 struct sw_result *res)
{
	uint64_t table = root, e = 0;
	uint64_t top = rq->addr >> 47;

	if (top != 0 && top != 0x1FFFF)
		return fail(res, SW_FL_NONCANONICAL, true, fpd,
			    "non-canonical input address");
	for (unsigned level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t idx = bits(rq->addr, shift + 8, shift);

		if (!rd(m, table + idx * 8, &e))
			return fail(res, SW_BAD_POINTER, false, fpd,
				    "first-level table outside RAM");
		if (!(e & 0x1))
			return fail(res, SW_FL_NOT_PRESENT, true, fpd,
				    "first-level entry not present");
		if (rq->write && !(e & 0x2))
			return fail(res, SW_FL_DENIED, true, fpd,
				    "first-level read-only");
		if (!rq->supervisor && !(e & 0x4))
			return fail(res, SW_FL_DENIED, true, fpd,
				    "first-level supervisor-only");
		if (level == 1 || ((level == 2 || level == 3) && (e & 0x80))) {
			uint64_t page =
				e & SW_ADDR_MASK & ~((1ULL << shift) - 1);

			/* A large page's PAT bit 12 is not address. */
			if (level > 1)
				page &= ~(1ULL << 12);
			res->out = page | bits(rq->addr, shift - 1, 0);
			return SW_OK;
		}
		table = e & SW_ADDR_MASK;
	}
	return fail(res, SW_FL_NOT_PRESENT, true, fpd, "walk fell through");
}

/* Walks root -> context -> directory -> PASID table entry. */
static enum sw_reason find_pe(const struct sw_mem *m, uint64_t rtaddr,
			      const struct sw_request *rq, uint64_t pe[8],
			      bool *fpd, struct sw_result *res)
{
	uint64_t root_lo, ctx_ptr, ce[4], pde, dir, pasid;
	unsigned pdts;

	*fpd = false;
	if (bits(rtaddr, 11, 10) != 1)
		return fail(res, SW_BAD_MODE, false, false, "TTM != 01b");

	/* 9.2: lower half for devfn 0-127, upper half for 128-255. */
	if (!rd(m,
		(rtaddr & SW_RTADDR_PTR_MASK) + rq->bus * SW_ROOT_BYTES +
			(rq->devfn >= 128 ? 8 : 0),
		&root_lo))
		return fail(res, SW_BAD_POINTER, false, false,
			    "root table outside RAM");
	if (bits(root_lo, 11, 1))
		return fail(res, SW_RSVD, false, false,
			    "root entry reserved bits");
	if (!(root_lo & 1))
		return fail(res, SW_ROOT_NOT_PRESENT, false, false,
			    "root entry not present");
	ctx_ptr = root_lo & SW_ADDR_MASK;

	/* 9.4: scalable-mode context entry. */
	for (unsigned i = 0; i < 4; i++)
		if (!rd(m, ctx_ptr + (rq->devfn & 0x7F) * SW_CTX_BYTES + i * 8,
			&ce[i]))
			return fail(res, SW_BAD_POINTER, false, false,
				    "context table outside RAM");
	if (!(ce[0] & 1))
		return fail(res, SW_CTX_NOT_PRESENT, true, false,
			    "context entry not present");
	/* Reserved: word 0 bits 8:5, word 1 bits 63:21, words 2-3. */
	if (bits(ce[0], 8, 5) || bits(ce[1], 63, 21) || ce[2] || ce[3])
		return fail(res, SW_RSVD, false, false,
			    "context entry reserved bits");
	*fpd = bits(ce[0], 1, 1);
	if (rq->has_pasid) {
		if (!bits(ce[0], 3, 3))
			return fail(res, SW_PASID_DISABLED, true, *fpd,
				    "PASIDE clear");
		pasid = rq->pasid;
	} else {
		pasid = bits(ce[1], 19, 0);
	}
	pdts = (unsigned)bits(ce[0], 11, 9);
	if ((pasid >> 6) >= (1ULL << (pdts + 7)))
		return fail(res, SW_PASID_TOO_BIG, true, *fpd,
			    "PASID beyond directory");

	/* 9.5: directory entry, PASID[19:6]. */
	dir = ce[0] & SW_ADDR_MASK;
	if (!rd(m, dir + (pasid >> 6) * SW_PDE_BYTES, &pde))
		return fail(res, SW_BAD_POINTER, false, *fpd,
			    "PASID directory outside RAM");
	if (!(pde & 1))
		return fail(res, SW_DIR_NOT_PRESENT, true, *fpd,
			    "PASID directory entry not present");
	if (bits(pde, 11, 2))
		return fail(res, SW_RSVD, false, false,
			    "PASID directory entry reserved bits");
	*fpd = *fpd || bits(pde, 1, 1);

	/* 9.6: PASID table entry, PASID[5:0]. */
	res->out = (pde & SW_ADDR_MASK) + (pasid & 0x3F) * SW_PE_BYTES;
	for (unsigned i = 0; i < 8; i++)
		if (!rd(m, res->out + i * 8, &pe[i]))
			return fail(res, SW_BAD_POINTER, false, *fpd,
				    "PASID table outside RAM");
	return SW_OK;
}

bool sw_pasid_entry(const struct sw_mem *m, uint64_t rtaddr, uint8_t bus,
		    uint8_t devfn, uint32_t pasid, uint64_t pe[8])
{
	struct sw_request rq = {
		.bus = bus, .devfn = devfn, .has_pasid = true, .pasid = pasid};
	struct sw_result res = {0};
	bool fpd;

	return find_pe(m, rtaddr, &rq, pe, &fpd, &res) == SW_OK;
}

bool sw_pasid_entry_pa(const struct sw_mem *m, uint64_t rtaddr, uint8_t bus,
		       uint8_t devfn, uint32_t pasid, uint64_t *pa)
{
	struct sw_request rq = {
		.bus = bus, .devfn = devfn, .has_pasid = true, .pasid = pasid};
	struct sw_result res = {0};
	uint64_t pe[8];
	bool fpd;

	if (find_pe(m, rtaddr, &rq, pe, &fpd, &res) != SW_OK)
		return false;
	*pa = res.out;
	return true;
}

bool sw_pasid_dir(const struct sw_mem *m, uint64_t rtaddr, uint8_t bus,
		  uint8_t devfn, uint64_t *dir, unsigned *pdts)
{
	uint64_t root_lo, ce0;

	if (bits(rtaddr, 11, 10) != 1 ||
	    !rd(m,
		(rtaddr & SW_RTADDR_PTR_MASK) + bus * SW_ROOT_BYTES +
			(devfn >= 128 ? 8 : 0),
		&root_lo) ||
	    !(root_lo & 1) ||
	    !rd(m, (root_lo & SW_ADDR_MASK) + (devfn & 0x7F) * SW_CTX_BYTES,
		&ce0) ||
	    !(ce0 & 1))
		return false;
	*dir = ce0 & SW_ADDR_MASK;
	*pdts = (unsigned)bits(ce0, 11, 9);
	return true;
}

enum sw_reason sw_translate(const struct sw_mem *m, uint64_t rtaddr,
			    const struct sw_request *rq, struct sw_result *res)
{
	uint64_t pe[8];
	unsigned pgtt, aw;
	bool fpd;

	*res = (struct sw_result){.reason = SW_OK, .why = "ok"};
	if (find_pe(m, rtaddr, rq, pe, &fpd, res) != SW_OK)
		return res->reason;
	res->out = 0;
	if (!(pe[0] & 1))
		return fail(res, SW_PE_NOT_PRESENT, true, fpd,
			    "PASID entry not present");
	fpd = fpd || bits(pe[0], 1, 1);
	pgtt = (unsigned)bits(pe[0], 8, 6);
	res->pgtt = pgtt;
	res->did = (uint16_t)bits(pe[1], 15, 0);

	/* Reserved: word 0 bits 11:10, word 1 bits 22:16, words 3-7. */
	if (bits(pe[0], 11, 10) || bits(pe[1], 22, 16) || pe[3] || pe[4] ||
	    pe[5] || pe[6] || pe[7])
		return fail(res, SW_RSVD, false, false,
			    "PASID entry reserved bits");
	if (rq->qemu72 && (pgtt == SW_PGTT_FIRST || pgtt == SW_PGTT_NESTED))
		pgtt = SW_PGTT_SECOND;
	switch (pgtt) {
	case SW_PGTT_SECOND: /* First-level fields are unused: Paddock leaves
				them zero. */
		if (pe[2] && !rq->qemu72)
			return fail(res, SW_RSVD, false, false,
				    "first-level fields set in SL entry");
		aw = (unsigned)bits(pe[0], 4, 2);
		if (aw < 1 || aw > 3)
			return fail(res, SW_BAD_AW, false, false, "bad AW");
		/* AW 1: 39-bit, 3 levels; 2: 48-bit, 4; 3: 57-bit, 5. */
		return walk_second(m, pe[0] & SW_ADDR_MASK, aw + 2, rq, fpd,
				   res);
	case SW_PGTT_FIRST: /* SLPTPTR and AW are not used by PGTT = 001b. */
		if (bits(pe[2], 11, 8))
			return fail(res, SW_RSVD, false, false,
				    "PASID entry word 2 reserved bits");
		if (bits(pe[2], 3, 2) != 0)
			return fail(res, SW_BAD_PGTT, false, false,
				    "5-level first level not modelled");
		if (rq->supervisor && !(pe[2] & 1))
			return fail(res, SW_FL_DENIED, true, fpd,
				    "supervisor request, SRE clear");
		return walk_first(m, pe[2] & SW_ADDR_MASK, rq, fpd, res);
	case SW_PGTT_PASSTHROUGH:
		if (pe[2] || (pe[0] & SW_ADDR_MASK))
			return fail(res, SW_RSVD, false, false,
				    "table pointers set in PT entry");
		res->out = rq->addr;
		return SW_OK;
	default:
		return fail(res, SW_BAD_PGTT, false, false, "unsupported PGTT");
	}
}

/* One first-level table at `level`, input addresses from va_base. */
static enum sw_reason fl_tree(const struct sw_mem *m, uint64_t table,
			      unsigned level, uint64_t va_base, bool write,
			      bool user, const struct sw_fl_visit *v)
{
	enum sw_reason worst = SW_OK;
	unsigned shift = 12 + 9 * (level - 1);

	if (v->table)
		v->table(v->ctx, table, level);
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t e, va = va_base | i << shift;
		bool w, u;

		if (!rd(m, table + i * 8, &e))
			return SW_BAD_POINTER;
		if (!(e & 0x1))
			continue;
		w = write && (e & 0x2);
		u = user && (e & 0x4);
		if (level == 4 && (va >> 47)) /* upper half: sign-extend */
			va |= 0xFFFF000000000000ULL;
		if (level == 1 || ((level == 2 || level == 3) && (e & 0x80))) {
			uint64_t page =
				e & SW_ADDR_MASK & ~((1ULL << shift) - 1);

			if (level > 1)
				page &= ~(1ULL << 12); /* PAT */
			if (v->leaf)
				v->leaf(v->ctx, va, page, 1ULL << shift, w, u);
			continue;
		}
		if (fl_tree(m, e & SW_ADDR_MASK, level - 1, va, w, u, v) !=
		    SW_OK)
			worst = SW_BAD_POINTER;
	}
	return worst;
}

enum sw_reason sw_fl_enumerate(const struct sw_mem *m, uint64_t rtaddr,
			       uint8_t bus, uint8_t devfn, uint32_t pasid,
			       const struct sw_fl_visit *v)
{
	struct sw_request rq = {
		.bus = bus, .devfn = devfn, .has_pasid = true, .pasid = pasid};
	struct sw_result res = {0};
	uint64_t pe[8];
	bool fpd;

	if (find_pe(m, rtaddr, &rq, pe, &fpd, &res) != SW_OK)
		return res.reason;
	if (!(pe[0] & 1))
		return SW_PE_NOT_PRESENT;
	/* No ECAP check (see the header): PGTT alone decides. */
	if (bits(pe[0], 8, 6) != SW_PGTT_FIRST)
		return SW_BAD_PGTT;
	return fl_tree(m, pe[2] & SW_ADDR_MASK, 4, 0, true, true, v);
}

const char *sw_reason_name(enum sw_reason r)
{
	static const char *const names[] = {
		[SW_OK] = "ok",
		[SW_BAD_MODE] = "bad-mode",
		[SW_BAD_POINTER] = "bad-pointer",
		[SW_RSVD] = "reserved",
		[SW_ROOT_NOT_PRESENT] = "root-np",
		[SW_CTX_NOT_PRESENT] = "ctx-np",
		[SW_PASID_DISABLED] = "pasid-disabled",
		[SW_PASID_TOO_BIG] = "pasid-too-big",
		[SW_DIR_NOT_PRESENT] = "dir-np",
		[SW_PE_NOT_PRESENT] = "pe-np",
		[SW_BAD_PGTT] = "bad-pgtt",
		[SW_BAD_AW] = "bad-aw",
		[SW_ADDR_TOO_WIDE] = "addr-too-wide",
		[SW_SL_NOT_PRESENT] = "sl-np",
		[SW_SL_DENIED] = "sl-denied",
		[SW_FL_NOT_PRESENT] = "fl-np",
		[SW_FL_DENIED] = "fl-denied",
		[SW_FL_NONCANONICAL] = "fl-noncanonical",
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) && names[r]
		       ? names[r]
		       : "?";
}
