/* SPDX-License-Identifier: MIT */
/*
 * Context entries and PASID directories (VT-d 4.x, 9.2, 9.4, 9.5): the
 * table walk from the root table to a device's PASID-table entry,
 * allocating what is missing on install, growing a device's directory
 * when a PASID beyond it is installed, and the context entry's RID_PASID.
 * Internal walkers run under u->lock; the vtd_*_rid_pasid() entry points
 * take it.
 */
#include <xen/errno.h>

#include "vtd_internal.h"

/* ------------------------------------------------------------------ */
/* Table walk                                                          */

/**
 * The table page an entry points at (`present` set, pointer under
 * `ptr_mask`), or, with `alloc`, a new zeroed page written back to memory
 * before the entry that publishes it is stored (release order, then the
 * entry written back too): the unit never sees a pointer to garbage.
 */
static uint64_t *child_table(struct vtd_unit_locked ul, uint64_t *entry,
			     uint64_t present, uint64_t ptr_mask,
			     uint64_t (*build)(hpaddr_t), bool alloc)
{
	struct vtd_unit *u = vtd_held(ul);
	uint64_t v = load(entry), *page;
	hpaddr_t pa;

	if (v & present)
		return p2v(u, v & ptr_mask);
	if (!alloc)
		return NULL;
	page = u->mem->alloc(u->mem_ctx, 1, &pa);
	if (!page)
		return NULL;
	flush(u, page, VTD_PAGE_SIZE);
	store_release(entry, build(pa));
	flush(u, entry, sizeof(*entry));
	return page;
}

/** The context entry of sid, allocating its context table if asked. */
uint64_t *context_entry(struct vtd_unit_locked ul, uint16_t sid, bool alloc)
{
	struct vtd_unit *u = vtd_held(ul);
	unsigned bus = sid >> 8, devfn = sid & 0xFF;
	uint64_t *re = &u->root[bus * VTD_ROOT_ENTRY_WORDS + (devfn >> 7)];
	uint64_t *ct =
		child_table(ul, re, VTD_SM_ROOT_LO_LP, VTD_SM_ROOT_LO_LCTP,
			    vtd_build_root_half, alloc);

	return ct ? &ct[(devfn & 0x7F) * VTD_SM_CTX_WORDS] : NULL;
}

/** The smallest directory (pages) whose entries reach PASID `pasid`. */
static unsigned dir_pages_for(uint32_t pasid)
{
	unsigned idx = pasid >> VTD_PASID_TABLE_SHIFT, n = 1;

	while (idx >= n * DIR_ENTRIES_PER_PAGE)
		n <<= 1;
	return n;
}

static unsigned pdts_of_pages(unsigned pages)
{
	unsigned pdts = PDTS_ONE_PAGE;

	while (dir_pages_of_pdts(pdts) < pages)
		pdts++;
	return pdts;
}

/**
 * Replaces the PASID directory of a present context entry by the one at
 * `pa` (`pages` pages, entries already copied and written back): one
 * 64-bit store of word 0 changes the pointer and PDTS together, so the
 * unit sees either the old or the new directory, both complete.  Then a
 * device-selective context-cache invalidation (the entry changed), a
 * global PASID-cache invalidation (entries may be cached with context-
 * entry information), a global IOTLB invalidation and, with ATS, a
 * device-TLB invalidation: the full sequence the spec's guidance (6.5.3.3)
 * gives for a change to a present context entry, even though no
 * translation changes, because growth is rare and a cached walk through
 * the old directory must not outlive it.  Then a wait; only then is the
 * old directory freed.  If the wait fails the old directory is leaked, never
 * freed while the unit may still walk it.
 */
static void dir_switch(struct vtd_unit_locked ul, uint16_t sid, uint64_t *ce,
		       hpaddr_t pa, unsigned pages)
{
	struct vtd_unit *u = vtd_held(ul);
	uint64_t v = load(&ce[0]), d[4];
	uint64_t *old = p2v(u, v & VTD_SM_CTX0_PASIDDIRPTR);
	unsigned old_pages =
		dir_pages_of_pdts((unsigned)VTD_FIELD_GET(VTD_SM_CTX0_PDTS, v));

	v &= ~(VTD_SM_CTX0_PASIDDIRPTR | VTD_SM_CTX0_PDTS);
	v |= (pa.v & VTD_SM_CTX0_PASIDDIRPTR) |
	     VTD_FIELD_PREP(VTD_SM_CTX0_PDTS, pdts_of_pages(pages));
	store_release(&ce[0], v);
	flush(u, ce, sizeof(uint64_t));
	queue_context_flush(ul, sid);
	if (ats_of(ul, sid)) {
		vtd_build_inv_devtlb(d, ats_of(ul, sid));
		qi_submit(ul, d);
	}
	u->stats.dir_pages += pages;
	u->stats.dirs_grown++;
	if (qi_wait(ul) == 0) {
		u->mem->free(u->mem_ctx, old, old_pages);
		u->stats.dir_pages -= old_pages;
	}
}

bool device_quiesced(struct vtd_unit_locked ul, uint16_t sid)
{
	uint64_t *ce = context_entry(ul, sid, false);

	return ce && ctx_quiesced(load(&ce[0]));
}

/**
 * The PASID directory of sid and how many entries it has, or NULL.  With
 * `alloc`, creates the context entry with a directory reaching `pasid`.
 */
uint64_t *pasid_dir(struct vtd_unit_locked ul, uint16_t sid, uint32_t pasid,
		    bool alloc, unsigned *entries)
{
	struct vtd_unit *u = vtd_held(ul);
	uint64_t *ce = context_entry(ul, sid, alloc);
	uint64_t e[VTD_SM_CTX_WORDS], d[4], v;
	uint64_t *dir;
	unsigned pages;
	hpaddr_t pa;

	if (!ce)
		return NULL;
	v = load(&ce[0]);
	if ((v & VTD_SM_CTX0_P) || (ctx_quiesced(v) && !alloc)) {
		*entries = dir_entries_of(v);
		return p2v(u, v & VTD_SM_CTX0_PASIDDIRPTR);
	}
	if (!alloc || ctx_quiesced(v))
		return NULL;
	pages = dir_pages_for(pasid);
	dir = u->mem->alloc(u->mem_ctx, pages, &pa);
	if (!dir)
		return NULL;
	flush(u, dir, pages * VTD_PAGE_SIZE);
	u->stats.dirs_alloc++;
	u->stats.dir_pages += pages;
	vtd_build_context_entry(e, pa, pdts_of_pages(pages), 0,
				ats_of(ul, sid) != NULL);
	commit_entry(u, ce, e, VTD_SM_CTX_WORDS);
	/* Caching mode may cache the not-present entry (6.1). */
	vtd_build_inv_cc(d, VTD_CC_G_DEVICE, 0, sid);
	qi_submit(ul, d);
	*entries = pages * DIR_ENTRIES_PER_PAGE;
	return dir;
}

/**
 * The PASID-table entry, allocating the path to it if asked.  A PASID
 * beyond the device's directory grows the directory: the bigger one and
 * the new PASID table are both allocated before anything is written, so
 * a failed allocation leaves the old directory and every entry as they
 * were.  Only a not-present entry can be beyond the directory, so an
 * install over a present entry never gets here with memory to find.
 */
uint64_t *pasid_entry(struct vtd_unit_locked ul, uint16_t sid, uint32_t pasid,
		      bool alloc)
{
	struct vtd_unit *u = vtd_held(ul);
	unsigned entries = 0, idx = pasid >> VTD_PASID_TABLE_SHIFT, pages;
	uint64_t *dir = pasid_dir(ul, sid, pasid, alloc, &entries);
	uint64_t *pde, *table, *grown = NULL, v;
	hpaddr_t pa, grown_pa;

	if (!dir)
		return NULL;
	if (idx >= entries) {
		if (!alloc)
			return NULL;
		pages = dir_pages_for(pasid);
		grown = u->mem->alloc(u->mem_ctx, pages, &grown_pa);
		if (!grown)
			return NULL;
		table = u->mem->alloc(u->mem_ctx, 1, &pa);
		if (!table) {
			u->mem->free(u->mem_ctx, grown, pages);
			return NULL;
		}
		flush(u, table, VTD_PAGE_SIZE);
		for (unsigned i = 0; i < entries; i++)
			store(&grown[i], load(&dir[i]));
		grown[idx] = vtd_build_pasid_dir_entry(pa);
		flush(u, grown, pages * VTD_PAGE_SIZE);
		u->stats.leaves_alloc++;
		dir_switch(ul, sid, context_entry(ul, sid, false), grown_pa,
			   pages);
		return &table[(pasid & (VTD_PASID_TABLE_ENTRIES - 1)) *
			      VTD_PE_WORDS];
	}
	pde = &dir[idx];
	v = load(pde);
	table = child_table(ul, pde, VTD_PDE_P, VTD_PDE_SMPTBLPTR,
			    vtd_build_pasid_dir_entry, alloc);
	if (!table)
		return NULL;
	if (!(v & VTD_PDE_P))
		u->stats.leaves_alloc++;
	return &table[(pasid & (VTD_PASID_TABLE_ENTRIES - 1)) * VTD_PE_WORDS];
}

int vtd_get_rid_pasid(struct vtd_unit *u, uint32_t device, uint32_t *pasid)
{
	struct vtd_unit_locked ul;
	uint64_t *ce;
	uint16_t sid;
	int rc = -XEN_ENOENT;

	if (!device_sid(u, device, &sid))
		return -XEN_EINVAL;
	ul = vtd_unit_lock(u);
	ce = context_entry(ul, sid, false);
	if (ce && (load(&ce[0]) & VTD_SM_CTX0_P)) {
		*pasid = (uint32_t)VTD_FIELD_GET(VTD_SM_CTX1_RID_PASID,
						 load(&ce[1]));
		rc = 0;
	}
	vtd_unit_unlock(&ul);
	return rc;
}

/**
 * Changing a present context entry: context-cache (device-selective),
 * then PASID-cache and IOTLB for everything the device may have cached
 * (6.5, context-entry rows), then a wait.
 */
int vtd_set_rid_pasid(struct vtd_unit *u, uint32_t device, uint32_t pasid)
{
	struct vtd_unit_locked ul;
	uint64_t *ce;
	uint16_t sid;
	int rc;

	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return -XEN_EINVAL;
	ul = vtd_unit_lock(u);
	ce = context_entry(ul, sid, false);
	rc = -XEN_ENOENT;
	if (!ce || !(load(&ce[0]) & VTD_SM_CTX0_P))
		goto out;
	store_release(&ce[1],
		      (load(&ce[1]) & ~VTD_SM_CTX1_RID_PASID) |
			      VTD_FIELD_PREP(VTD_SM_CTX1_RID_PASID, pasid));
	flush(u, &ce[1], sizeof(uint64_t));
	queue_context_flush(ul, sid);
	rc = qi_wait(ul);
out:
	vtd_unit_unlock(&ul);
	return rc;
}
