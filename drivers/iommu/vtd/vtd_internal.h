/* SPDX-License-Identifier: MIT */
/*
 * What the pieces of the VT-d driver share (not an interface: only
 * drivers/iommu/vtd/vtd_*.c include it): register and memory access, the
 * ordered entry writers, PASID directory sizing, and the functions one
 * section offers the others.  The sections:
 *
 *   vtd_unit.c     unit bring-up and teardown, interrupt remapping set-up,
 *                  the ATS device list
 *   vtd_qi.c       queued invalidation: submission, waits, flush batches
 *   vtd_ctx.c      context entries and PASID directories, RID_PASID
 *   vtd_did.c      domain-id (DID) allocation
 *   vtd_pasid.c    PASID-table entries: struct pasid_iommu_ops
 *   vtd_isolate.c  interrupt remapping table entries, device quiescing
 *   vtd_fault.c    primary fault records
 *
 * Locking: each unit has one lock, taken by every entry point and held
 * across table walks, queue submission and waits.  It nests inside the
 * PASID manager's locks and takes none itself (docs/design.md, "Lock
 * order").
 */
#ifndef PADDOCK_VTD_INTERNAL_H
#define PADDOCK_VTD_INTERNAL_H

#include "vtd.h"
#include "vtd_regs.h"

#define POLL_DEFAULT   100000000UL
#define PASID_BITS_MAX 20

/* ------------------------------------------------------------------ */
/* Registers                                                           */

static inline uint32_t rd32(struct vtd_unit *u, uint32_t off)
{
	return u->regs->read32(u->reg_ctx, off);
}

static inline uint64_t rd64(struct vtd_unit *u, uint32_t off)
{
	return u->regs->read64(u->reg_ctx, off);
}

static inline void wr32(struct vtd_unit *u, uint32_t off, uint32_t v)
{
	u->regs->write32(u->reg_ctx, off, v);
}

static inline void wr64(struct vtd_unit *u, uint32_t off, uint64_t v)
{
	u->regs->write64(u->reg_ctx, off, v);
}

static inline void relax(struct vtd_unit *u)
{
	if (u->regs->relax)
		u->regs->relax(u->reg_ctx);
	else
		cpu_relax();
}

static inline unsigned long poll_limit(struct vtd_unit *u)
{
	return u->cfg.poll_limit ? u->cfg.poll_limit : POLL_DEFAULT;
}

/* ------------------------------------------------------------------ */
/* Memory                                                              */

static inline void *p2v(struct vtd_unit *u, uint64_t pa)
{
	return u->mem->phys_to_virt(u->mem_ctx, hpa(pa & ~(VTD_PAGE_SIZE - 1)));
}

static inline void flush(struct vtd_unit *u, const void *va, size_t len)
{
	if (!u->coherent && u->mem->flush)
		u->mem->flush(u->mem_ctx, va, len);
}

static inline void store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* Every earlier store is visible before this one (the present bit). */
static inline void store_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/**
 * Commits a multi-word entry whose word 0 holds the present bit: the other
 * words first, then word 0 (VT-d 4.x, 6.5.3 on ordering entry updates).
 */
static inline void commit_entry(struct vtd_unit *u, uint64_t *dst,
				const uint64_t *src, unsigned words)
{
	for (unsigned i = 1; i < words; i++)
		store(&dst[i], src[i]);
	flush(u, &dst[1], (words - 1) * sizeof(uint64_t));
	store_release(&dst[0], src[0]);
	flush(u, dst, sizeof(uint64_t));
}

/** Clears the present bit first, then the rest of the entry. */
static inline void retire_entry(struct vtd_unit *u, uint64_t *dst,
				unsigned words)
{
	store_release(&dst[0], 0);
	flush(u, dst, sizeof(uint64_t));
	for (unsigned i = 1; i < words; i++)
		store(&dst[i], 0);
	flush(u, &dst[1], (words - 1) * sizeof(uint64_t));
}

/* ------------------------------------------------------------------ */
/* Devices and PASID directories                                       */

static inline bool device_sid(struct vtd_unit *u, uint32_t device,
			      uint16_t *sid)
{
	if ((device >> 16) != u->cfg.segment)
		return false;
	*sid = (uint16_t)device;
	return true;
}

/*
 * PASID directory sizing (9.4): PDTS gives 2^(PDTS + 7) eight-byte entries,
 * 512 to a 4-KiB page.  A directory is one to u->dir_pages_max pages, and
 * its PDTS says exactly how many: 1 page = PDTS 2, 2^k pages = PDTS k + 2.
 */
#define DIR_ENTRIES_PER_PAGE (VTD_PAGE_SIZE / sizeof(uint64_t))
#define PDTS_ONE_PAGE	     2

static inline unsigned dir_pages_of_pdts(unsigned pdts)
{
	return pdts >= PDTS_ONE_PAGE ? 1u << (pdts - PDTS_ONE_PAGE) : 1;
}

/** Directory entries a context entry's PDTS covers. */
static inline unsigned dir_entries_of(uint64_t ce0)
{
	return 1u << ((unsigned)VTD_FIELD_GET(VTD_SM_CTX0_PDTS, ce0) + 7);
}

/*
 * A quiesced device's context entry (vtd_quiesce_device()): not present
 * for the unit, its directory still attached for the driver's clears.
 * A context entry the driver never wrote is all zero.
 */
static inline bool ctx_quiesced(uint64_t ce0)
{
	return !(ce0 & VTD_SM_CTX0_P) && (ce0 & VTD_SM_CTX0_PASIDDIRPTR);
}

/* ------------------------------------------------------------------ */
/* The unit lock's witness                                             */

/**
 * Proof that the caller holds u->lock (tables, queue, DIDs, ATS list):
 * a function that needs the lock takes one of these instead of the unit.
 * Only vtd_unit_lock() makes one and vtd_unit_unlock() takes it back; in
 * test builds (PADDOCK_LOCK_CHECKS) vtd_held() asserts the lock is held
 * by the caller, so that a witness made up without the lock aborts the
 * test on every run.  In the hypervisor it is the unit pointer and nothing
 * more.
 */
SPIN_LOCK_WITNESS(vtd_unit_locked, struct vtd_unit, unit, lock, vtd_unit_lock,
		  vtd_unit_unlock, vtd_held);

/* vtd_unit.c */
int gcmd_update(struct vtd_unit *u, uint32_t cmd, bool set, uint32_t sts);

/* vtd_qi.c */
int qi_submit(struct vtd_unit_locked ul, const uint64_t d[4]);
int qi_wait(struct vtd_unit_locked ul);
const struct vtd_ats_dev *ats_of(struct vtd_unit_locked ul, uint16_t sid);
void queue_pasid_flush(struct vtd_unit_locked ul, uint16_t sid, uint32_t pasid,
		       uint16_t did, bool was_pt);
void queue_context_flush(struct vtd_unit_locked ul, uint16_t sid);
/* vtd_pasid.c: frees the tables vtd_clear() retired, once a wait has
 * completed (qi_wait), or when the unit is off (fini). */
void vtd_release_retired(struct vtd_unit *u);
void vtd_free_retired_at_fini(struct vtd_unit *u);

/* vtd_ctx.c */
uint64_t *context_entry(struct vtd_unit_locked ul, uint16_t sid, bool alloc);
bool device_quiesced(struct vtd_unit_locked ul, uint16_t sid);
uint64_t *pasid_dir(struct vtd_unit_locked ul, uint16_t sid, uint32_t pasid,
		    bool alloc, unsigned *entries);
uint64_t *pasid_entry(struct vtd_unit_locked ul, uint16_t sid, uint32_t pasid,
		      bool alloc);

/* vtd_did.c: domain ids (DID, 9.6 word 1) */
bool did_lookup_borrowed(struct vtd_unit_locked ul, domid_t dom, uint16_t *did);
int did_get_borrowed(struct vtd_unit_locked ul, domid_t dom, uint16_t *did);
void did_put_borrowed(struct vtd_unit_locked ul, uint16_t did);

/* A domain whose id is its DID: no slot to look up, count or give back. */
static inline bool did_identity(const struct vtd_unit *u, domid_t dom)
{
	if (dom == 0 && (u->cap & VTD_CAP_CM))
		return false; /* CM = 1 reserves DID 0 (6.1) */
	return dom < u->did_limit - VTD_DID_REMAP;
}

/** The DID that tags `dom`'s entries, if it has one on this unit. */
static inline bool did_lookup(struct vtd_unit_locked ul, domid_t dom,
			      uint16_t *did)
{
	if (!did_identity(vtd_held(ul), dom))
		return did_lookup_borrowed(ul, dom, did);
	*did = dom;
	return true;
}

/** Takes a reference on the DID for `dom` (one per present entry). */
static inline int did_get(struct vtd_unit_locked ul, domid_t dom, uint16_t *did)
{
	if (!did_identity(vtd_held(ul), dom))
		return did_get_borrowed(ul, dom, did);
	*did = dom;
	return 0;
}

static inline void did_put(struct vtd_unit_locked ul, uint16_t did)
{
	struct vtd_unit *u = vtd_held(ul);

	if (did >= u->did_limit - VTD_DID_REMAP)
		did_put_borrowed(ul, did);
}

#endif
