/* SPDX-License-Identifier: MIT */
/*
 * First-level tables the hypervisor builds (docs/vtd.md, "First-level
 * binds").  A first-level (PGTT = 001b) PASID entry makes the unit walk
 * the tables at FLPTR and use every address it finds there as host-
 * physical (VT-d 4.x, 3.6 First-Level Translation).  Tables a guest wrote
 * would therefore let its device reach any memory.  Paddock never
 * installs such tables: the only first-level root it hands the driver is
 * one made here, in hypervisor memory, as a first-level copy of the
 * domain's own DMA view (its second-level tables, 9.8).  A first-level
 * bind then reaches exactly what a second-level bind of the same domain
 * reaches, at the same input addresses, and nothing else.
 *
 * The copy is taken once, when the domain is built; the second-level
 * tables never change afterwards.  Entries are made by the pure builders
 * of vtd_entry.c (9.7 format).
 */
#include <xen/errno.h>

#include "vtd.h"
#include "vtd_regs.h"

#define LARGE_2M (1ULL << 21)

struct fl_copy {
	const struct vtd_mem_ops *m;
	void *ctx;
	hpaddr_t root;
};

static uint64_t *virt(const struct fl_copy *c, uint64_t pa)
{
	return c->m->phys_to_virt(c->ctx, hpa(pa));
}

/*
 * The first-level entry for `va` at `level` (1: PTE .. 4: PML4E), making
 * the tables above it on the way down.  NULL when memory runs out.
 */
static uint64_t *fl_slot(struct fl_copy *c, uint64_t va, unsigned level)
{
	uint64_t *t = virt(c, c->root.v);

	for (unsigned l = VTD_FL_LEVELS; l > level; l--) {
		uint64_t *e = &t[(va >> (12 + 9 * (l - 1))) & 511];

		if (!(*e & VTD_FLPTE_P)) {
			hpaddr_t pa;

			if (!c->m->alloc(c->ctx, 1, &pa))
				return NULL;
			*e = vtd_build_fl_table_entry(pa);
		}
		t = virt(c, *e & VTD_FLPTE_ADDR);
	}
	return &t[(va >> (12 + 9 * (level - 1))) & 511];
}

static int fl_map(struct fl_copy *c, uint64_t va, uint64_t pa, bool write,
		  bool large)
{
	uint64_t *e = fl_slot(c, va, large ? 2 : 1);

	if (!e)
		return -XEN_ENOMEM;
	*e = vtd_build_fl_leaf(hpa(pa), write, large);
	return 0;
}

/*
 * One second-level leaf (9.8: present when R, W or X is set; PS at level
 * 2 or 3 maps 2 MiB or 1 GiB), with the R and W that every level above
 * it granted (3.7: a permission is the AND over the levels).  First level
 * cannot express write-only, so a leaf not readable is left out, never
 * widened to readable; X is not copied (execute requests are never
 * enabled).  A 1-GiB leaf becomes 512 2-MiB ones: 1-GiB first-level pages
 * need CAP.FL1GP, 2-MiB ones are always supported.
 */
static int copy_leaf(struct fl_copy *c, uint64_t va, uint64_t e, unsigned level,
		     bool read, bool write)
{
	uint64_t pa = e & VTD_SLPTE_ADDR;

	write = write && (e & VTD_SLPTE_W);
	if (!read || !(e & VTD_SLPTE_R))
		return 0;
	/* FLPM = 00b: 48-bit canonical inputs.  A second-level view above
	 * 2^47 has no first-level address to copy to. */
	if (va >> (VTD_FL_VA_BITS - 1))
		return -XEN_EINVAL;
	if (level == 1)
		return fl_map(c, va, pa, write, false);
	pa &= ~((1ULL << (12 + 9 * (level - 1))) - 1);
	for (uint64_t off = 0; off < (1ULL << (12 + 9 * (level - 1)));
	     off += LARGE_2M) {
		int rc = fl_map(c, va + off, pa + off, write, true);

		if (rc)
			return rc;
	}
	return 0;
}

static int copy_level(struct fl_copy *c, uint64_t table, unsigned level,
		      uint64_t va, bool read, bool write)
{
	const uint64_t *t = virt(c, table);

	for (unsigned i = 0; i < VTD_PT_ENTRIES; i++) {
		uint64_t e = t[i],
			 at = va | ((uint64_t)i << (12 + 9 * (level - 1)));
		int rc;

		if (!(e & (VTD_SLPTE_R | VTD_SLPTE_W | VTD_SLPTE_X)))
			continue;
		if (level == 1 ||
		    ((level == 2 || level == 3) && (e & VTD_SLPTE_PS)))
			rc = copy_leaf(c, at, e, level, read, write);
		else
			rc = copy_level(c, e & VTD_SLPTE_ADDR, level - 1, at,
					read && (e & VTD_SLPTE_R),
					write && (e & VTD_SLPTE_W));
		if (rc)
			return rc;
	}
	return 0;
}

/* Calls fn on every table page below `table` (level 4..2), then on it. */
static void each_table(const struct fl_copy *c, uint64_t table, unsigned level,
		       void (*fn)(const struct fl_copy *c, uint64_t *t))
{
	uint64_t *t = virt(c, table);

	if (level > 1) {
		for (unsigned i = 0; i < VTD_PT_ENTRIES; i++) {
			if ((t[i] & VTD_FLPTE_P) &&
			    !(level == 2 && (t[i] & VTD_FLPTE_PS)))
				each_table(c, t[i] & VTD_FLPTE_ADDR, level - 1,
					   fn);
		}
	}
	fn(c, t);
}

static void free_page(const struct fl_copy *c, uint64_t *t)
{
	c->m->free(c->ctx, t, 1);
}

/* Written back once, before any PASID entry names the tables. */
static void flush_page(const struct fl_copy *c, uint64_t *t)
{
	if (c->m->flush)
		c->m->flush(c->ctx, t, VTD_PAGE_SIZE);
}

int vtd_fl_from_sl(const struct vtd_mem_ops *m, void *ctx, hpaddr_t sl_root,
		   unsigned sl_levels, hpaddr_t *fl_root)
{
	struct fl_copy c = {.m = m, .ctx = ctx};
	int rc;

	if (sl_levels < 3 || sl_levels > 4 || !sl_root.v ||
	    (sl_root.v & (VTD_PAGE_SIZE - 1)))
		return -XEN_EINVAL;
	if (!m->alloc(ctx, 1, &c.root))
		return -XEN_ENOMEM;
	rc = copy_level(&c, sl_root.v, sl_levels, 0, true, true);
	if (rc) {
		each_table(&c, c.root.v, VTD_FL_LEVELS, free_page);
		return rc;
	}
	each_table(&c, c.root.v, VTD_FL_LEVELS, flush_page);
	*fl_root = c.root;
	return 0;
}

void vtd_fl_free(const struct vtd_mem_ops *m, void *ctx, hpaddr_t fl_root)
{
	struct fl_copy c = {.m = m, .ctx = ctx, .root = fl_root};

	if (fl_root.v)
		each_table(&c, fl_root.v, VTD_FL_LEVELS, free_page);
}
