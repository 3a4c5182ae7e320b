/* SPDX-License-Identifier: MIT */
/*
 * What the pieces of the SMMUv3 driver share (only drivers/iommu/smmuv3/
 * includes it): register and memory access, the ordered structure
 * writers, and the functions one section offers the others.  Sections:
 *
 *   smmuv3_unit.c    bring-up (GBPA, IDRs, CR0/CR0ACK), teardown
 *   smmuv3_cmdq.c    command queue, CMD_SYNC, CMDQ_ERR recovery
 *   smmuv3_strtab.c  stream table, STEs, quiesce, default substream
 *   smmuv3_cd.c      CD tables and CDs: struct pasid_iommu_ops
 *   smmuv3_asid.c    ASIDs, by the domain-id scheme VT-d uses for DIDs
 *   smmuv3_event.c   event queue, GERROR
 *   smmuv3_entry.c   pure builders
 *
 * Locking: one lock per unit, taken by every entry point and held across
 * table walks, commands and waits.  It nests inside the PASID manager's
 * locks and takes none itself (docs/design.md, "Lock order").
 */
#ifndef PADDOCK_SMMUV3_INTERNAL_H
#define PADDOCK_SMMUV3_INTERNAL_H

#include "smmuv3.h"
#include "smmuv3_regs.h"

#define SMMU_POLL_DEFAULT 100000000UL

static inline uint32_t rd32(struct smmu_unit *u, uint32_t off)
{
	return u->regs->read32(u->reg_ctx, off);
}

static inline void wr32(struct smmu_unit *u, uint32_t off, uint32_t v)
{
	u->regs->write32(u->reg_ctx, off, v);
}

/** A 64-bit register as two 32-bit halves, low first (6.2). */
static inline void wr64_halves(struct smmu_unit *u, uint32_t off, uint64_t v)
{
	wr32(u, off, (uint32_t)v);
	wr32(u, off + 4, (uint32_t)(v >> 32));
}

static inline void relax(struct smmu_unit *u)
{
	if (u->regs->relax)
		u->regs->relax(u->reg_ctx);
	else
		cpu_relax();
}

static inline unsigned long poll_limit(struct smmu_unit *u)
{
	return u->cfg.poll_limit ? u->cfg.poll_limit : SMMU_POLL_DEFAULT;
}

static inline void *p2v(struct smmu_unit *u, uint64_t pa)
{
	uint64_t page = pa & ~(SMMU_PAGE_SIZE - 1);
	uint8_t *va = u->mem->phys_to_virt(u->mem_ctx, hpa(page));

	return va + (pa - page);
}

static inline void flush(struct smmu_unit *u, const void *va, size_t len)
{
	if (!u->coherent && u->mem->flush)
		u->mem->flush(u->mem_ctx, va, len);
}

static inline void store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* Every earlier store is visible before this one (the V bit's word). */
static inline void store_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/**
 * Makes an STE or CD valid (3.21.1 "Structure access rules and update
 * procedures"): words 1..7 first, made visible to the SMMU, then word 0,
 * which holds V, with one single-copy-atomic 64-bit store.
 */
static inline void commit_struct(struct smmu_unit *u, uint64_t *dst,
				 const uint64_t *src)
{
	for (unsigned i = 1; i < 8; i++)
		store(&dst[i], src[i]);
	flush(u, &dst[1], 7 * sizeof(uint64_t));
	store_release(&dst[0], src[0]);
	flush(u, dst, sizeof(uint64_t));
}

/** Makes an STE or CD invalid: word 0 (V) first, then the rest. */
static inline void retire_struct(struct smmu_unit *u, uint64_t *dst,
				 uint64_t w0_invalid)
{
	store_release(&dst[0], w0_invalid);
	flush(u, dst, sizeof(uint64_t));
	for (unsigned i = 1; i < 8; i++)
		store(&dst[i], 0);
	flush(u, &dst[1], 7 * sizeof(uint64_t));
}

/* ------------------------------------------------------------------ */
/* The unit lock's witness                                             */

/**
 * Proof that the caller holds u->lock: a function that needs the lock
 * takes one of these.  Only smmu_lock() makes one; in test builds
 * (PADDOCK_LOCK_CHECKS) smmu_held() asserts the caller holds the lock.
 */
SPIN_LOCK_WITNESS(smmu_locked, struct smmu_unit, unit, lock, smmu_lock,
		  smmu_unlock, smmu_held);

/* smmuv3_unit.c */
void *alloc_aligned(struct smmu_unit *u, unsigned pages, hpaddr_t *pa,
		    void **mem, unsigned *mem_pages);

/* smmuv3_cmdq.c */
int cmdq_submit(struct smmu_locked ul, const uint64_t c[2]);
int cmdq_sync(struct smmu_locked ul);
void cmdq_recover(struct smmu_locked ul);
/* The ordered invalidations of a CD change (3.21, 4.3, 4.4). */
int cmdq_cd_changed(struct smmu_locked ul, uint32_t sid, uint32_t ssid,
		    bool mirror, bool have_asid, uint16_t asid);
int cmdq_ste_changed(struct smmu_locked ul, uint32_t sid);
/* The same, left to complete at the next cmdq_complete(): CFGI_CDs now,
 * one CMD_SYNC, the TLBIs, another CMD_SYNC there. */
void cmdq_cd_changed_later(struct smmu_locked ul, uint32_t sid, uint32_t ssid,
			   bool mirror, bool have_asid, uint16_t asid);
int cmdq_complete(struct smmu_locked ul);

/* smmuv3_strtab.c */
uint64_t *ste_of(struct smmu_locked ul, uint32_t sid, bool alloc);
struct smmu_stream *stream_of(struct smmu_locked ul, uint32_t sid, bool add);
int stream_attach(struct smmu_locked ul, struct smmu_stream *st);
void ste_write(struct smmu_locked ul, uint32_t sid, uint64_t *ste,
	       const uint64_t *val);
int stream_ste_restore(struct smmu_locked ul, struct smmu_stream *st);
void strtab_free(struct smmu_unit *u);

/* smmuv3_cd.c */
uint64_t *cd_of(struct smmu_locked ul, struct smmu_stream *st, uint32_t ssid,
		bool alloc);
int cd_table_alloc(struct smmu_locked ul, struct smmu_stream *st);
void cd_table_free(struct smmu_unit *u, struct smmu_stream *st);
void cd_mirror_default(struct smmu_locked ul, struct smmu_stream *st);
/* Frees the CD leaves smmu_clear() retired: a CMD_SYNC has completed
 * since (cmdq_sync), or the unit is off. */
void cd_release_retired(struct smmu_unit *u);
bool cd_pa_of(struct smmu_locked ul, struct smmu_stream *st, uint32_t ssid,
	      hpaddr_t *pa);

/* smmuv3_asid.c */
bool asid_lookup(struct smmu_locked ul, domid_t dom, uint16_t *asid);
int asid_get(struct smmu_locked ul, domid_t dom, uint16_t *asid);
void asid_put(struct smmu_locked ul, uint16_t asid);
/* The parked CDs' ASID, under which nothing is ever cached. */
uint16_t asid_blocked(const struct smmu_unit *u);

#endif
