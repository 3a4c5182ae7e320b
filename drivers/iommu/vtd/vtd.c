/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d scalable-mode driver: root table -> scalable context entries
 * -> one PASID directory per device -> 4-KiB PASID tables allocated on
 * first install and freed when their last entry clears.  Entries are built
 * by the pure builders in vtd_entry.c and committed here in a safe order
 * (present bit last on install, first on clear), followed by the
 * invalidations of VT-d 4.x, 6.5 "Guidance to Software for Invalidations".
 *
 * Locking: each unit has one lock, taken by every entry point and held
 * across table walks, queue submission and waits.  It nests inside the
 * PASID manager's locks and takes none itself.
 */
#include <xen/errno.h>

#include "vtd.h"
#include "vtd_regs.h"

#define POLL_DEFAULT   100000000UL
#define PASID_BITS_MAX 20

/* ------------------------------------------------------------------ */
/* Registers                                                           */

static uint32_t rd32(struct vtd_unit *u, uint32_t off)
{
	return u->regs->read32(u->reg_ctx, off);
}

static uint64_t rd64(struct vtd_unit *u, uint32_t off)
{
	return u->regs->read64(u->reg_ctx, off);
}

static void wr32(struct vtd_unit *u, uint32_t off, uint32_t v)
{
	u->regs->write32(u->reg_ctx, off, v);
}

static void wr64(struct vtd_unit *u, uint32_t off, uint64_t v)
{
	u->regs->write64(u->reg_ctx, off, v);
}

static void relax(struct vtd_unit *u)
{
	if (u->regs->relax)
		u->regs->relax(u->reg_ctx);
	else
		cpu_relax();
}

static unsigned long poll_limit(struct vtd_unit *u)
{
	return u->cfg.poll_limit ? u->cfg.poll_limit : POLL_DEFAULT;
}

/**
 * Sets or clears one persistent enable (TE, QIE, ...) or issues one
 * one-shot command (SRTP), then waits for GSTS to follow (11.4.4).
 */
static int gcmd_update(struct vtd_unit *u, uint32_t cmd, bool set, uint32_t sts)
{
	uint32_t cur = rd32(u, VTD_REG32_GSTS) & ~(uint32_t)VTD_GSTS_ONESHOT;
	unsigned long n = 0;

	wr32(u, VTD_REG32_GCMD, set ? cur | cmd : cur & ~cmd);
	while (!!(rd32(u, VTD_REG32_GSTS) & sts) != set) {
		if (++n > poll_limit(u))
			return -XEN_ETIMEDOUT;
		relax(u);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Memory                                                              */

static void *p2v(struct vtd_unit *u, uint64_t pa)
{
	return u->mem->phys_to_virt(u->mem_ctx, hpa(pa & ~(VTD_PAGE_SIZE - 1)));
}

static void flush(struct vtd_unit *u, const void *va, size_t len)
{
	if (!u->coherent && u->mem->flush)
		u->mem->flush(u->mem_ctx, va, len);
}

static void store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* Every earlier store is visible before this one (the present bit). */
static void store_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/**
 * Commits a multi-word entry whose word 0 holds the present bit: the other
 * words first, then word 0 (VT-d 4.x, 6.5.3 on ordering entry updates).
 */
static void commit_entry(struct vtd_unit *u, uint64_t *dst, const uint64_t *src,
			 unsigned words)
{
	for (unsigned i = 1; i < words; i++)
		store(&dst[i], src[i]);
	flush(u, &dst[1], (words - 1) * sizeof(uint64_t));
	store_release(&dst[0], src[0]);
	flush(u, dst, sizeof(uint64_t));
}

/** Clears the present bit first, then the rest of the entry. */
static void retire_entry(struct vtd_unit *u, uint64_t *dst, unsigned words)
{
	store_release(&dst[0], 0);
	flush(u, dst, sizeof(uint64_t));
	for (unsigned i = 1; i < words; i++)
		store(&dst[i], 0);
	flush(u, &dst[1], (words - 1) * sizeof(uint64_t));
}

/* ------------------------------------------------------------------ */
/* Queued invalidation (6.5.2)                                         */

static unsigned queue_head(struct vtd_unit *u)
{
	uint64_t h = rd64(u, VTD_REG64_IQH);

	return u->desc_words == 4 ? VTD_FIELD_GET(VTD_IQ_PTR_256, h)
				  : VTD_FIELD_GET(VTD_IQ_PTR_128, h);
}

static int queue_failed(struct vtd_unit *u)
{
	uint32_t fsts = rd32(u, VTD_REG32_FSTS);

	if (fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE | VTD_FSTS_ICE)) {
		u->error = -XEN_EIO;
		return u->error;
	}
	return 0;
}

/** Appends one descriptor and moves the tail; waits for room if full. */
static int qi_submit(struct vtd_unit *u, const uint64_t d[4])
{
	unsigned next = (u->tail + 1) % u->queue_slots;
	unsigned long n = 0;
	uint64_t *slot;

	if (u->error)
		return u->error;
	while (queue_head(u) == next) {
		if (queue_failed(u))
			return u->error;
		if (++n > poll_limit(u))
			return u->error = -XEN_ETIMEDOUT;
		relax(u);
	}
	slot = &u->queue[u->tail * u->desc_words];
	for (unsigned i = 0; i < u->desc_words; i++)
		store(&slot[i], d[i]);
	flush(u, slot, u->desc_words * sizeof(uint64_t));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	u->tail = next;
	wr64(u, VTD_REG64_IQT,
	     u->desc_words == 4 ? VTD_FIELD_PREP(VTD_IQ_PTR_256, next)
				: VTD_FIELD_PREP(VTD_IQ_PTR_128, next));
	u->stats.descs++;
	u->queued = true;
	return 0;
}

/**
 * Queues a wait descriptor with a status write and polls the status word
 * until it holds this wait's sequence number: every earlier descriptor
 * has then completed (6.5.2.8).
 */
static int qi_wait(struct vtd_unit *u)
{
	uint64_t d[4];
	uint32_t seq = ++u->seq;
	unsigned long n = 0;
	int rc;

	if (seq == 0)
		seq = ++u->seq;
	vtd_build_inv_wait(d, u->status_pa, seq);
	rc = qi_submit(u, d);
	if (rc)
		return rc;
	while (__atomic_load_n(u->status, __ATOMIC_ACQUIRE) != seq) {
		if (queue_failed(u))
			return u->error;
		if (++n > poll_limit(u))
			return u->error = -XEN_ETIMEDOUT;
		relax(u);
	}
	u->stats.waits++;
	u->queued = false;
	u->nseen = 0;
	return 0;
}

static const struct vtd_ats_dev *ats_of(struct vtd_unit *u, uint16_t sid)
{
	if (!(u->ecap & VTD_ECAP_DT))
		return NULL;
	for (unsigned i = 0; i < u->nats; i++)
		if (u->ats[i].sid == sid)
			return &u->ats[i];
	return NULL;
}

/**
 * The flushes that follow a change of the PASID-table entry (sid, pasid)
 * whose caches are tagged `did` (6.5, "Guidance to Software for
 * Invalidations", PASID-table entry rows): PASID-cache (PASID-selective),
 * PASID-based IOTLB (first-level and nested translations), a domain-
 * selective IOTLB invalidation (second-level and pass-through translations;
 * also the only one QEMU 7.2 honours), then the PASID-based device-TLB
 * when the device has ATS.  The caller ends the batch with a wait.
 */
static void queue_pasid_flush(struct vtd_unit *u, uint16_t sid, uint32_t pasid,
			      uint16_t did, bool was_pt)
{
	const struct vtd_ats_dev *ats = ats_of(u, sid);
	uint64_t d[4];

	/*
	 * QEMU 7.2 moves a device whose entry is pass-through to an
	 * untranslated fast path and re-checks only on a context-cache
	 * invalidation: this extra, spec-valid one makes a retired
	 * pass-through entry take effect there too.
	 */
	if (was_pt) {
		vtd_build_inv_cc(d, VTD_CC_G_DEVICE, 0, sid);
		qi_submit(u, d);
	}
	for (unsigned i = 0; i < u->nseen; i++)
		if (u->seen[i].device == sid && u->seen[i].pasid == pasid &&
		    u->seen[i].did == did)
			return;
	vtd_build_inv_pc(d, VTD_PC_G_PASID, did, pasid);
	qi_submit(u, d);
	vtd_build_inv_piotlb(d, did, pasid);
	qi_submit(u, d);
	vtd_build_inv_iotlb(d, VTD_IOTLB_G_DOMAIN, did);
	qi_submit(u, d);
	if (ats) {
		vtd_build_inv_pdevtlb(d, ats, pasid);
		qi_submit(u, d);
	}
	if (u->nseen < VTD_MAX_SEEN) {
		u->seen[u->nseen].device = sid;
		u->seen[u->nseen].pasid = pasid;
		u->seen[u->nseen].did = did;
		u->nseen++;
	}
}

/* ------------------------------------------------------------------ */
/* Table walk                                                          */

static bool device_sid(struct vtd_unit *u, uint32_t device, uint16_t *sid)
{
	if ((device >> 16) != u->cfg.segment)
		return false;
	*sid = (uint16_t)device;
	return true;
}

/**
 * The table page an entry points at (`present` set, pointer under
 * `ptr_mask`), or, with `alloc`, a new zeroed page written back to memory
 * before the entry that publishes it is stored (release order, then the
 * entry written back too): the unit never sees a pointer to garbage.
 */
static uint64_t *child_table(struct vtd_unit *u, uint64_t *entry,
			     uint64_t present, uint64_t ptr_mask,
			     uint64_t (*build)(hpaddr_t), bool alloc)
{
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
static uint64_t *context_entry(struct vtd_unit *u, uint16_t sid, bool alloc)
{
	unsigned bus = sid >> 8, devfn = sid & 0xFF;
	uint64_t *re = &u->root[bus * VTD_ROOT_ENTRY_WORDS + (devfn >> 7)];
	uint64_t *ct =
		child_table(u, re, VTD_SM_ROOT_LO_LP, VTD_SM_ROOT_LO_LCTP,
			    vtd_build_root_half, alloc);

	return ct ? &ct[(devfn & 0x7F) * VTD_SM_CTX_WORDS] : NULL;
}

/*
 * PASID directory sizing (9.4): PDTS gives 2^(PDTS + 7) eight-byte entries,
 * 512 to a 4-KiB page.  A directory is one to u->dir_pages_max pages, and
 * its PDTS says exactly how many: 1 page = PDTS 2, 2^k pages = PDTS k + 2.
 */
#define DIR_ENTRIES_PER_PAGE (VTD_PAGE_SIZE / sizeof(uint64_t))
#define PDTS_ONE_PAGE	     2

static unsigned dir_pages_of_pdts(unsigned pdts)
{
	return pdts >= PDTS_ONE_PAGE ? 1u << (pdts - PDTS_ONE_PAGE) : 1;
}

/** Directory entries a context entry's PDTS covers. */
static unsigned dir_entries_of(uint64_t ce0)
{
	return 1u << ((unsigned)VTD_FIELD_GET(VTD_SM_CTX0_PDTS, ce0) + 7);
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

/*
 * After a present context entry of `sid` changed: a device-selective
 * context-cache invalidation, then global PASID-cache and IOTLB ones
 * (6.5.3.3), since the device's PASIDs may be tagged with any DID.  The
 * caller adds a device-TLB invalidation where it needs one, then waits.
 */
static void queue_context_flush(struct vtd_unit *u, uint16_t sid)
{
	uint64_t d[4];

	vtd_build_inv_cc(d, VTD_CC_G_DEVICE, 0, sid);
	qi_submit(u, d);
	vtd_build_inv_pc(d, VTD_PC_G_GLOBAL, 0, 0);
	qi_submit(u, d);
	vtd_build_inv_iotlb(d, VTD_IOTLB_G_GLOBAL, 0);
	qi_submit(u, d);
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
static void dir_switch(struct vtd_unit *u, uint16_t sid, uint64_t *ce,
		       hpaddr_t pa, unsigned pages)
{
	uint64_t v = load(&ce[0]), d[4];
	uint64_t *old = p2v(u, v & VTD_SM_CTX0_PASIDDIRPTR);
	unsigned old_pages =
		dir_pages_of_pdts((unsigned)VTD_FIELD_GET(VTD_SM_CTX0_PDTS, v));

	v &= ~(VTD_SM_CTX0_PASIDDIRPTR | VTD_SM_CTX0_PDTS);
	v |= (pa.v & VTD_SM_CTX0_PASIDDIRPTR) |
	     VTD_FIELD_PREP(VTD_SM_CTX0_PDTS, pdts_of_pages(pages));
	store_release(&ce[0], v);
	flush(u, ce, sizeof(uint64_t));
	queue_context_flush(u, sid);
	if (ats_of(u, sid)) {
		vtd_build_inv_devtlb(d, ats_of(u, sid));
		qi_submit(u, d);
	}
	u->stats.dir_pages += pages;
	u->stats.dirs_grown++;
	if (qi_wait(u) == 0) {
		u->mem->free(u->mem_ctx, old, old_pages);
		u->stats.dir_pages -= old_pages;
	}
}

/*
 * A quiesced device's context entry (vtd_quiesce_device()): not present
 * for the unit, its directory still attached for the driver's clears.
 * A context entry the driver never wrote is all zero.
 */
static bool ctx_quiesced(uint64_t ce0)
{
	return !(ce0 & VTD_SM_CTX0_P) && (ce0 & VTD_SM_CTX0_PASIDDIRPTR);
}

static bool device_quiesced(struct vtd_unit *u, uint16_t sid)
{
	uint64_t *ce = context_entry(u, sid, false);

	return ce && ctx_quiesced(load(&ce[0]));
}

/**
 * The PASID directory of sid and how many entries it has, or NULL.  With
 * `alloc`, creates the context entry with a directory reaching `pasid`.
 */
static uint64_t *pasid_dir(struct vtd_unit *u, uint16_t sid, uint32_t pasid,
			   bool alloc, unsigned *entries)
{
	uint64_t *ce = context_entry(u, sid, alloc);
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
				ats_of(u, sid) != NULL);
	commit_entry(u, ce, e, VTD_SM_CTX_WORDS);
	/* Caching mode may cache the not-present entry (6.1). */
	vtd_build_inv_cc(d, VTD_CC_G_DEVICE, 0, sid);
	qi_submit(u, d);
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
static uint64_t *pasid_entry(struct vtd_unit *u, uint16_t sid, uint32_t pasid,
			     bool alloc)
{
	unsigned entries = 0, idx = pasid >> VTD_PASID_TABLE_SHIFT, pages;
	uint64_t *dir = pasid_dir(u, sid, pasid, alloc, &entries);
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
		dir_switch(u, sid, context_entry(u, sid, false), grown_pa,
			   pages);
		return &table[(pasid & (VTD_PASID_TABLE_ENTRIES - 1)) *
			      VTD_PE_WORDS];
	}
	pde = &dir[idx];
	v = load(pde);
	table = child_table(u, pde, VTD_PDE_P, VTD_PDE_SMPTBLPTR,
			    vtd_build_pasid_dir_entry, alloc);
	if (!table)
		return NULL;
	if (!(v & VTD_PDE_P))
		u->stats.leaves_alloc++;
	return &table[(pasid & (VTD_PASID_TABLE_ENTRIES - 1)) * VTD_PE_WORDS];
}

/* ------------------------------------------------------------------ */
/* struct pasid_iommu_ops                                              */

/* ------------------------------------------------------------------ */
/* Domain ids (DID, 9.6 word 1)                                        */

static bool did_identity(struct vtd_unit *u, domid_t dom)
{
	if (dom == 0 && (u->cap & VTD_CAP_CM))
		return false; /* CM = 1 reserves DID 0 (6.1) */
	return dom < u->did_limit - VTD_DID_REMAP;
}

static uint16_t slot_did(struct vtd_unit *u, unsigned i)
{
	return (uint16_t)(u->did_limit - 1 - i);
}

/** The DID that tags `dom`'s entries, if it has one on this unit. */
static bool did_lookup(struct vtd_unit *u, domid_t dom, uint16_t *did)
{
	if (did_identity(u, dom)) {
		*did = dom;
		return true;
	}
	for (unsigned i = 0; i < VTD_DID_REMAP; i++)
		if (u->did_slot[i].used && u->did_slot[i].dom == dom) {
			*did = slot_did(u, i);
			return true;
		}
	return false;
}

/**
 * Takes a reference on the DID for `dom` (one per present entry).  A
 * borrowed DID given up by another domain is reused only after a wait, so
 * the flushes queued for its last entries have completed.
 */
static int did_get(struct vtd_unit *u, domid_t dom, uint16_t *did)
{
	int pick = -1;

	if (did_identity(u, dom)) {
		*did = dom;
		return 0;
	}
	for (unsigned i = 0; i < VTD_DID_REMAP; i++) {
		struct vtd_did_slot *sl = &u->did_slot[i];

		if (sl->used && sl->dom == dom) {
			sl->refs++;
			*did = slot_did(u, i);
			return 0;
		}
		/* Prefer a never-used DID, then the first idle one. */
		if (!sl->refs &&
		    (pick < 0 || (!sl->used && u->did_slot[pick].used)))
			pick = (int)i;
	}
	if (pick < 0)
		return -XEN_ENOSPC;
	if (u->did_slot[pick].used && u->queued)
		qi_wait(u);
	u->did_slot[pick] =
		(struct vtd_did_slot){.dom = dom, .used = true, .refs = 1};
	*did = slot_did(u, (unsigned)pick);
	return 0;
}

static void did_put(struct vtd_unit *u, uint16_t did)
{
	unsigned i = u->did_limit - 1 - did;

	if (did >= u->did_limit - VTD_DID_REMAP && u->did_slot[i].refs)
		u->did_slot[i].refs--;
}

static struct vtd_unit *to_unit(struct pasid_iommu *iommu)
{
	return (struct vtd_unit *)iommu;
}

static int check_cfg(struct vtd_unit *u, const struct pasid_entry_cfg *cfg)
{
	switch (cfg->kind) {
	case PASID_ENTRY_BLOCKED:
	case PASID_ENTRY_SECOND_LEVEL:
		return (u->ecap & VTD_ECAP_SLTS) ? 0 : -XEN_EOPNOTSUPP;
	case PASID_ENTRY_FIRST_LEVEL:
		return (u->ecap & VTD_ECAP_FLTS) ||
				       u->cfg.first_level_without_flts
			       ? 0
			       : -XEN_EOPNOTSUPP;
	case PASID_ENTRY_PASSTHROUGH:
		return (u->ecap & VTD_ECAP_PT) ? 0 : -XEN_EOPNOTSUPP;
	}
	return -XEN_EINVAL;
}

/**
 * Writes the PASID-table entry of (device, pasid).  A present entry is
 * first torn down and its caches flushed and waited for (the spec allows
 * no in-place change of a present entry's translation), so that switching
 * a live entry needs no allocation and cannot fail.
 */
int vtd_install(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid,
		const struct pasid_entry_cfg *cfg)
{
	struct vtd_unit *u = to_unit(iommu);
	struct vtd_pe_params p = {
		.sl_aw = u->sl_aw,
		.pwsnp = (u->ecap & VTD_ECAP_SMPWCS) != 0,
		.blocking = u->blocking_pa,
		.fl_qemu_slptptr = u->cfg.first_level_without_flts &&
				   !(u->ecap & VTD_ECAP_FLTS),
	};
	struct pasid_entry_cfg tagged = *cfg;
	uint64_t pe[VTD_PE_WORDS], *e, w0;
	uint16_t sid, did, old;
	bool same = true;
	int rc;

	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return -XEN_EINVAL;
	rc = check_cfg(u, cfg);
	if (rc)
		return rc;

	spin_lock(&u->lock);
	rc = -XEN_EPERM;
	if (device_quiesced(u, sid))
		goto out;
	rc = did_get(u, cfg->domain, &did);
	if (rc)
		goto out;
	tagged.domain = did;
	rc = vtd_build_pasid_entry(pe, &tagged, &p);
	if (rc)
		goto put;
	e = pasid_entry(u, sid, pasid, true);
	if (!e) {
		rc = -XEN_ENOMEM;
		goto put;
	}
	w0 = load(&e[0]);
	if (w0 & VTD_PE0_P) {
		for (unsigned i = 0; i < VTD_PE_WORDS; i++)
			same = same && load(&e[i]) == pe[i];
		if (same)
			goto put; /* the entry already holds a reference */
		old = (uint16_t)VTD_FIELD_GET(VTD_PE1_DID, load(&e[1]));
		retire_entry(u, e, VTD_PE_WORDS);
		queue_pasid_flush(u, sid, pasid, old,
				  VTD_FIELD_GET(VTD_PE0_PGTT, w0) ==
					  VTD_PGTT_PT);
		qi_wait(u);
		did_put(u, old);
	}
	commit_entry(u, e, pe, VTD_PE_WORDS);
	if (!(w0 & VTD_PE0_P))
		u->stats.entries++;
	/*
	 * Flushes queued before this write do not cover it (caching mode
	 * may have cached the not-present entry): no deduplication across.
	 */
	u->nseen = 0;
	goto out;
put:
	did_put(u, did);
out:
	spin_unlock(&u->lock);
	return rc;
}

static bool table_empty(const uint64_t *table)
{
	for (unsigned i = 0; i < VTD_PASID_TABLE_ENTRIES; i++)
		if (load(&table[i * VTD_PE_WORDS]) & VTD_PE0_P)
			return false;
	return true;
}

/**
 * Clears the entry (present bit first) and queues the flushes of its old
 * domain id.  When the PASID table holds no other present entry, its
 * directory entry is cleared, the PASID cache flushed and waited for, and
 * only then the table freed: the hardware may walk it until the wait.
 */
void vtd_clear(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid)
{
	struct vtd_unit *u = to_unit(iommu);
	uint64_t *dir, *e, *pde, *table, d[4], w0;
	unsigned entries = 0;
	uint16_t sid, old;

	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return;
	spin_lock(&u->lock);
	dir = pasid_dir(u, sid, pasid, false, &entries);
	e = dir ? pasid_entry(u, sid, pasid, false) : NULL;
	if (!e || !(load(&e[0]) & VTD_PE0_P))
		goto out;
	w0 = load(&e[0]);
	old = (uint16_t)VTD_FIELD_GET(VTD_PE1_DID, load(&e[1]));
	retire_entry(u, e, VTD_PE_WORDS);
	queue_pasid_flush(u, sid, pasid, old,
			  VTD_FIELD_GET(VTD_PE0_PGTT, w0) == VTD_PGTT_PT);
	did_put(u, old);
	u->stats.entries--;

	pde = &dir[pasid >> VTD_PASID_TABLE_SHIFT];
	table = p2v(u, load(pde) & VTD_PDE_SMPTBLPTR);
	if (!table_empty(table))
		goto out;
	store_release(pde, 0);
	flush(u, pde, sizeof(*pde));
	vtd_build_inv_pc(d, VTD_PC_G_GLOBAL, 0, 0);
	qi_submit(u, d);
	if (qi_wait(u) == 0) {
		u->mem->free(u->mem_ctx, table, 1);
		u->stats.leaves_freed++;
	}
	/* On a queue failure the table is leaked, never freed while live. */
out:
	spin_unlock(&u->lock);
}

void vtd_invalidate(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid,
		    domid_t domain)
{
	struct vtd_unit *u = to_unit(iommu);
	uint16_t sid, did;

	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return;
	spin_lock(&u->lock);
	/* No DID: the domain never tagged anything on this unit. */
	if (did_lookup(u, domain, &did))
		queue_pasid_flush(u, sid, pasid, did, false);
	spin_unlock(&u->lock);
}

void vtd_wait(struct pasid_iommu *iommu)
{
	struct vtd_unit *u = to_unit(iommu);

	spin_lock(&u->lock);
	if (u->queued)
		qi_wait(u);
	spin_unlock(&u->lock);
}

const struct pasid_iommu_ops vtd_pasid_ops = {
	.install = vtd_install,
	.clear = vtd_clear,
	.invalidate = vtd_invalidate,
	.wait = vtd_wait,
};

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

static unsigned pick_sl_aw(uint64_t cap)
{
	unsigned sagaw = (unsigned)VTD_FIELD_GET(VTD_CAP_SAGAW, cap);

	if (sagaw & (1u << VTD_AGAW_48))
		return VTD_AGAW_48;
	if (sagaw & (1u << VTD_AGAW_39))
		return VTD_AGAW_39;
	if (sagaw & (1u << VTD_AGAW_57))
		return VTD_AGAW_57;
	return 0;
}

static void free_page(struct vtd_unit *u, void *va, unsigned n)
{
	if (va)
		u->mem->free(u->mem_ctx, va, n);
}

static void free_tables(struct vtd_unit *u)
{
	for (unsigned r = 0; u->root && r < VTD_ROOT_ENTRIES * 2; r++) {
		uint64_t *ct;

		if (!(u->root[r] & VTD_SM_ROOT_LO_LP))
			continue;
		ct = p2v(u, u->root[r] & VTD_SM_ROOT_LO_LCTP);
		for (unsigned c = 0; c < VTD_SM_CTX_PER_TABLE; c++) {
			uint64_t *ce = &ct[c * VTD_SM_CTX_WORDS], *dir;

			if (!(ce[0] & VTD_SM_CTX0_P) && !ctx_quiesced(ce[0]))
				continue;
			dir = p2v(u, ce[0] & VTD_SM_CTX0_PASIDDIRPTR);
			for (unsigned i = 0; i < dir_entries_of(ce[0]); i++)
				if (dir[i] & VTD_PDE_P)
					free_page(
						u,
						p2v(u,
						    dir[i] & VTD_PDE_SMPTBLPTR),
						1);
			free_page(u, dir,
				  dir_pages_of_pdts((unsigned)VTD_FIELD_GET(
					  VTD_SM_CTX0_PDTS, ce[0])));
		}
		free_page(u, ct, 1);
	}
	free_page(u, u->root, 1);
	free_page(u, u->blocking, 1);
	free_page(u, u->irt, 1);
	free_page(u, u->queue, 1);
	free_page(u, (void *)u->status, 1);
	u->root = u->blocking = u->irt = u->queue = NULL;
	u->status = NULL;
}

static void *alloc_page(struct vtd_unit *u, hpaddr_t *pa)
{
	return u->mem->alloc(u->mem_ctx, 1, pa);
}

/**
 * Interrupt remapping on (5.1; 11.4.4 for the command order): the table
 * address with SIRTP, a global interrupt-entry-cache invalidation (the
 * unit may cache entries of whatever table firmware left), then IRE with
 * CFI clear, so that compatibility-format requests, the ones a device can
 * forge with any vector and delivery mode, are blocked and recorded as
 * faults (reason 0x25).  Every IRTE starts not present: a device
 * interrupt reaches a CPU only through an entry vtd_irte_set() wrote.
 * A unit without interrupt remapping is refused: a device behind it could
 * inject any interrupt into the machine (docs/vtd.md).
 */
static int irq_remapping_on(struct vtd_unit *u)
{
	uint64_t d[4];
	int rc;

	if (!(u->ecap & VTD_ECAP_IR))
		return -XEN_ENODEV;
	wr64(u, VTD_REG64_IRTA,
	     (u->irt_pa.v & VTD_IRTA_IRTA) |
		     VTD_FIELD_PREP(VTD_IRTA_S, VTD_IRT_S));
	rc = gcmd_update(u, VTD_GCMD_SIRTP, true, VTD_GSTS_IRTPS);
	if (rc)
		return rc;
	vtd_build_inv_iec(d, true, 0);
	qi_submit(u, d);
	rc = qi_wait(u);
	if (rc)
		return rc;
	if ((rd32(u, VTD_REG32_GSTS) & VTD_GSTS_CFIS) &&
	    gcmd_update(u, VTD_GCMD_CFI, false, VTD_GSTS_CFIS))
		return -XEN_ETIMEDOUT;
	return gcmd_update(u, VTD_GCMD_IRE, true, VTD_GSTS_IRES);
}

int vtd_unit_init(struct vtd_unit *u, const struct vtd_config *cfg,
		  const struct vtd_mem_ops *mem, void *mem_ctx,
		  const struct vtd_reg_ops *regs, void *reg_ctx)
{
	unsigned dir_entries_log2;
	uint64_t d[4];
	int rc;

	*u = (struct vtd_unit){
		.mem = mem,
		.mem_ctx = mem_ctx,
		.regs = regs,
		.reg_ctx = reg_ctx,
		.cfg = *cfg,
	};
	spin_init(&u->lock);
	u->ver = rd32(u, VTD_REG32_VER);
	u->cap = rd64(u, VTD_REG64_CAP);
	u->ecap = rd64(u, VTD_REG64_ECAP);
	if (!(u->ecap & VTD_ECAP_SMTS) || !(u->ecap & VTD_ECAP_PASID) ||
	    !(u->ecap & VTD_ECAP_QI) ||
	    !(u->ecap & (VTD_ECAP_SLTS | VTD_ECAP_FLTS)))
		return -XEN_ENODEV;

	u->pasid_bits =
		cfg->pasid_bits_override
			? cfg->pasid_bits_override
			: (unsigned)VTD_FIELD_GET(VTD_ECAP_PSS, u->ecap) + 1;
	if (u->pasid_bits > PASID_BITS_MAX)
		u->pasid_bits = PASID_BITS_MAX;
	/*
	 * PASID[19:6] indexes a directory of 2^(PDTS + 7) entries (9.4),
	 * sized per device to its highest PASID: never less than one page
	 * (PDTS 2), at most what the PASID width needs.
	 */
	dir_entries_log2 = u->pasid_bits > VTD_PASID_TABLE_SHIFT
				   ? u->pasid_bits - VTD_PASID_TABLE_SHIFT
				   : 0;
	u->pdts_max = dir_entries_log2 > 7 + PDTS_ONE_PAGE
			      ? dir_entries_log2 - 7
			      : PDTS_ONE_PAGE;
	u->dir_pages_max = dir_pages_of_pdts(u->pdts_max);
	u->sl_aw = pick_sl_aw(u->cap);
	u->did_bits = 4 + 2 * (unsigned)VTD_FIELD_GET(VTD_CAP_ND, u->cap);
	if (u->did_bits > 16)
		u->did_bits = 16;
	u->did_limit = 1u << u->did_bits;
	u->coherent = (u->ecap & VTD_ECAP_C) && (u->ecap & VTD_ECAP_SMPWCS);
	if ((u->ecap & VTD_ECAP_SLTS) && !u->sl_aw)
		return -XEN_ENODEV;

	rc = -XEN_ENOMEM;
	u->root = alloc_page(u, &u->root_pa);
	u->blocking = alloc_page(u, &u->blocking_pa);
	u->queue = alloc_page(u, &u->queue_pa);
	u->status = alloc_page(u, &u->status_pa);
	u->irt = alloc_page(u, &u->irt_pa);
	if (!u->root || !u->blocking || !u->queue || !u->status || !u->irt)
		goto fail;
	flush(u, u->root, VTD_PAGE_SIZE);
	flush(u, u->blocking, VTD_PAGE_SIZE);
	flush(u, u->irt, VTD_PAGE_SIZE);
	u->desc_words = VTD_INV_WORDS; /* 256-bit: scalable mode (6.5.2) */
	u->queue_slots = VTD_PAGE_SIZE / (u->desc_words * sizeof(uint64_t));

	/* Firmware may have left translation, remapping or the queue on. */
	rc = -XEN_ETIMEDOUT;
	if ((rd32(u, VTD_REG32_GSTS) & VTD_GSTS_TES) &&
	    gcmd_update(u, VTD_GCMD_TE, false, VTD_GSTS_TES))
		goto fail;
	if ((rd32(u, VTD_REG32_GSTS) & VTD_GSTS_IRES) &&
	    gcmd_update(u, VTD_GCMD_IRE, false, VTD_GSTS_IRES))
		goto fail;
	if ((rd32(u, VTD_REG32_GSTS) & VTD_GSTS_QIES) &&
	    gcmd_update(u, VTD_GCMD_QIE, false, VTD_GSTS_QIES))
		goto fail;

	/* 11.4.6: TTM = 01 selects scalable mode, latched by SRTP. */
	wr64(u, VTD_REG64_RTADDR,
	     (u->root_pa.v & VTD_RTADDR_RTA) |
		     VTD_FIELD_PREP(VTD_RTADDR_TTM, VTD_TTM_SCALABLE));
	if (gcmd_update(u, VTD_GCMD_SRTP, true, VTD_GSTS_RTPS))
		goto fail;

	/* 6.5.2: queue of one page (QS = 0) of 256-bit descriptors. */
	wr64(u, VTD_REG64_IQT, 0);
	wr64(u, VTD_REG64_IQA,
	     (u->queue_pa.v & VTD_IQA_IQA) | VTD_IQA_DW |
		     VTD_FIELD_PREP(VTD_IQA_QS, 0));
	if (gcmd_update(u, VTD_GCMD_QIE, true, VTD_GSTS_QIES))
		goto fail;
	u->tail = 0;

	/* A new root table: drop whatever the caches hold (6.5). */
	vtd_build_inv_cc(d, VTD_CC_G_GLOBAL, 0, 0);
	qi_submit(u, d);
	vtd_build_inv_pc(d, VTD_PC_G_GLOBAL, 0, 0);
	qi_submit(u, d);
	vtd_build_inv_iotlb(d, VTD_IOTLB_G_GLOBAL, 0);
	qi_submit(u, d);
	rc = qi_wait(u);
	if (rc)
		goto fail;
	rc = irq_remapping_on(u);
	if (rc)
		goto fail;

	u->iommu.ops = &vtd_pasid_ops;
	u->iommu.name = cfg->name ? cfg->name : "vtd";
	u->iommu.pasid_bits = u->pasid_bits;
	return 0;
fail:
	/* The unit must not fetch from pages about to be freed. */
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_IRES)
		gcmd_update(u, VTD_GCMD_IRE, false, VTD_GSTS_IRES);
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_QIES)
		gcmd_update(u, VTD_GCMD_QIE, false, VTD_GSTS_QIES);
	free_tables(u);
	return rc;
}

int vtd_enable_translation(struct vtd_unit *u)
{
	return gcmd_update(u, VTD_GCMD_TE, true, VTD_GSTS_TES);
}

void vtd_unit_fini(struct vtd_unit *u)
{
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_TES)
		gcmd_update(u, VTD_GCMD_TE, false, VTD_GSTS_TES);
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_IRES)
		gcmd_update(u, VTD_GCMD_IRE, false, VTD_GSTS_IRES);
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_QIES)
		gcmd_update(u, VTD_GCMD_QIE, false, VTD_GSTS_QIES);
	free_tables(u);
}

int vtd_add_ats_device(struct vtd_unit *u, const struct vtd_ats_dev *dev)
{
	int rc = 0;

	spin_lock(&u->lock);
	if (ats_of(u, dev->sid))
		goto out;
	rc = -XEN_ENOSPC;
	if (u->nats == VTD_MAX_ATS_DEVS)
		goto out;
	u->ats[u->nats++] = *dev;
	rc = 0;
out:
	spin_unlock(&u->lock);
	return rc;
}

int vtd_get_rid_pasid(struct vtd_unit *u, uint32_t device, uint32_t *pasid)
{
	uint64_t *ce;
	uint16_t sid;
	int rc = -XEN_ENOENT;

	if (!device_sid(u, device, &sid))
		return -XEN_EINVAL;
	spin_lock(&u->lock);
	ce = context_entry(u, sid, false);
	if (ce && (load(&ce[0]) & VTD_SM_CTX0_P)) {
		*pasid = (uint32_t)VTD_FIELD_GET(VTD_SM_CTX1_RID_PASID,
						 load(&ce[1]));
		rc = 0;
	}
	spin_unlock(&u->lock);
	return rc;
}

/**
 * Changing a present context entry: context-cache (device-selective),
 * then PASID-cache and IOTLB for everything the device may have cached
 * (6.5, context-entry rows), then a wait.
 */
int vtd_set_rid_pasid(struct vtd_unit *u, uint32_t device, uint32_t pasid)
{
	uint64_t *ce;
	uint16_t sid;
	int rc;

	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return -XEN_EINVAL;
	spin_lock(&u->lock);
	ce = context_entry(u, sid, false);
	rc = -XEN_ENOENT;
	if (!ce || !(load(&ce[0]) & VTD_SM_CTX0_P))
		goto out;
	store_release(&ce[1],
		      (load(&ce[1]) & ~VTD_SM_CTX1_RID_PASID) |
			      VTD_FIELD_PREP(VTD_SM_CTX1_RID_PASID, pasid));
	flush(u, &ce[1], sizeof(uint64_t));
	queue_context_flush(u, sid);
	rc = qi_wait(u);
out:
	spin_unlock(&u->lock);
	return rc;
}

/*
 * Clearing the present bit of a context entry is a context-entry change:
 * device-selective context-cache, PASID-cache and IOTLB invalidations,
 * and the device-TLB with ATS (6.5.3.3), then a wait.  From the wait on
 * the unit blocks every request of the device, with PASID or without.
 */
int vtd_quiesce_device(struct vtd_unit *u, uint32_t device)
{
	uint64_t *ce, d[4];
	uint16_t sid;
	int rc = 0;

	if (!device_sid(u, device, &sid))
		return -XEN_EINVAL;
	spin_lock(&u->lock);
	ce = context_entry(u, sid, false);
	if (!ce || !(load(&ce[0]) & VTD_SM_CTX0_P))
		goto out;
	store_release(&ce[0], load(&ce[0]) & ~VTD_SM_CTX0_P);
	flush(u, ce, sizeof(uint64_t));
	queue_context_flush(u, sid);
	if (ats_of(u, sid)) {
		vtd_build_inv_devtlb(d, ats_of(u, sid));
		qi_submit(u, d);
	}
	rc = qi_wait(u);
	u->stats.quiesced++;
out:
	spin_unlock(&u->lock);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Interrupt remapping table entries (9.9)                             */

/*
 * An IRTE is 128 bits and the unit may read it at any time: a present
 * entry is retired (present bit first) and its cache entry invalidated
 * before the new one is committed (present bit last), then invalidated
 * again (6.5.2.7), so the unit never sees half of each.
 */
static int irte_write(struct vtd_unit *u, unsigned index, const uint64_t e[2])
{
	uint64_t *slot = &u->irt[index * VTD_IRTE_WORDS], d[4];
	int rc = 0;

	if (load(&slot[0]) & VTD_IRTE0_P) {
		retire_entry(u, slot, VTD_IRTE_WORDS);
		vtd_build_inv_iec(d, false, (uint16_t)index);
		qi_submit(u, d);
		rc = qi_wait(u);
	}
	if (rc || !(e[0] & VTD_IRTE0_P))
		return rc;
	commit_entry(u, slot, e, VTD_IRTE_WORDS);
	vtd_build_inv_iec(d, false, (uint16_t)index);
	qi_submit(u, d);
	return qi_wait(u);
}

int vtd_irte_set(struct vtd_unit *u, unsigned index, uint8_t vector,
		 uint8_t dest, uint16_t sid)
{
	uint64_t e[VTD_IRTE_WORDS];
	int rc;

	/* Vectors 0-15 are illegal for fixed delivery (SDM Vol. 3A, 10.5.2). */
	if (index >= VTD_IRT_ENTRIES || vector < 16)
		return -XEN_EINVAL;
	vtd_build_irte(e, vector, dest, sid);
	spin_lock(&u->lock);
	rc = irte_write(u, index, e);
	spin_unlock(&u->lock);
	return rc;
}

int vtd_irte_clear(struct vtd_unit *u, unsigned index)
{
	const uint64_t none[VTD_IRTE_WORDS] = {0, 0};
	int rc;

	if (index >= VTD_IRT_ENTRIES)
		return -XEN_EINVAL;
	spin_lock(&u->lock);
	rc = irte_write(u, index, none);
	spin_unlock(&u->lock);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Faults (7.x primary fault logging, 11.4.9)                          */

int vtd_fault_next(struct vtd_unit *u, struct vtd_fault *out)
{
	unsigned nfr = (unsigned)VTD_FIELD_GET(VTD_CAP_NFR, u->cap) + 1;
	uint32_t base = (uint32_t)VTD_FIELD_GET(VTD_CAP_FRO, u->cap) * 16;
	uint32_t fsts = rd32(u, VTD_REG32_FSTS);
	unsigned fri = (unsigned)VTD_FIELD_GET(VTD_FSTS_FRI, fsts);

	if (fsts & VTD_FSTS_PFO)
		wr32(u, VTD_REG32_FSTS, VTD_FSTS_PFO);
	if (!(fsts & VTD_FSTS_PPF))
		return 0;
	for (unsigned i = 0; i < nfr; i++) {
		uint32_t off = base + ((fri + i) % nfr) * VTD_FRCD_SIZE;
		uint64_t hi = rd64(u, off + VTD_FRCD_HI_OFF);

		if (!(hi & VTD_FRCD_HI_F))
			continue;
		vtd_decode_fault(rd64(u, off + VTD_FRCD_LO_OFF), hi, out);
		wr32(u, off + VTD_FRCD_TOP_OFF, VTD_FRCD_TOP_F);
		u->stats.faults++;
		u->stats.irq_faults += out->interrupt;
		return 1;
	}
	return 0;
}

unsigned vtd_fault_drain(struct vtd_unit *u,
			 void (*route)(void *ctx, const struct vtd_fault *f),
			 void *ctx)
{
	struct vtd_fault f;
	unsigned n = 0;

	while (n < 256 && vtd_fault_next(u, &f)) {
		route(ctx, &f);
		n++;
	}
	return n;
}
