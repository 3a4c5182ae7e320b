/* SPDX-License-Identifier: MIT */
/*
 * The Intel VT-d scalable-mode driver: one struct vtd_unit per DMA
 * remapping unit (DRHD), exposing struct pasid_iommu_ops to the PASID
 * manager.  Memory and registers are reached only through the ops below,
 * so the same code runs in the hypervisor and against the host tests'
 * simulated memory and register file.  See docs/vtd.md.
 */
#ifndef PADDOCK_VTD_H
#define PADDOCK_VTD_H

#include <paddock/iommu.h>
#include <paddock/spinlock.h>
#include <paddock/types.h>

/**
 * How the driver reaches memory.  alloc() returns npages zeroed,
 * physically contiguous, 4-KiB-aligned pages (npages is a power of two,
 * at most 32) and their host-physical address, or NULL.  flush(), when not
 * NULL, writes a CPU cache range back to memory; it is called after table
 * writes when the unit does not snoop its page walks (ECAP.C/SMPWCS = 0).
 */
struct vtd_mem_ops {
	void *(*alloc)(void *ctx, unsigned npages, hpaddr_t *pa);
	void (*free)(void *ctx, void *va, unsigned npages);
	void *(*phys_to_virt)(void *ctx, hpaddr_t pa);
	void (*flush)(void *ctx, const void *va, size_t len);
};

/**
 * How the driver reaches the unit's registers, each with its own width
 * (VTD_REG32_* with read32/write32, VTD_REG64_* with read64/write64).
 * relax() is called in every polling loop (may be NULL).
 */
struct vtd_reg_ops {
	uint32_t (*read32)(void *ctx, uint32_t off);
	uint64_t (*read64)(void *ctx, uint32_t off);
	void (*write32)(void *ctx, uint32_t off, uint32_t val);
	void (*write64)(void *ctx, uint32_t off, uint64_t val);
	void (*relax)(void *ctx);
};

/**
 * Per-platform knobs, as compiled configuration (docs/vtd.md, "Quirks").
 */
struct vtd_config {
	const char *name;
	uint16_t segment; /* PCI segment this unit serves */
	/*
	 * PASID width to use instead of ECAP.PSS + 1 (0: trust ECAP).  QEMU
	 * 7.2 reports PSS = 0 yet translates 20-bit PASIDs: its platform
	 * file sets 20 here.
	 */
	unsigned pasid_bits_override;
	/*
	 * Accept first-level entries although ECAP.FLTS = 0.  QEMU 7.2
	 * accepts PGTT = 1 (and walks it as second level); never set this
	 * on hardware.
	 */
	bool first_level_without_flts;
	/* Polls of a status register or word before giving up (0: 1e8). */
	unsigned long poll_limit;
};

/** A device with ATS enabled: device-TLB invalidations go to it. */
struct vtd_ats_dev {
	uint16_t sid;
	uint16_t pfsid; /* physical function's source id (SR-IOV) */
	uint8_t qdep;	/* invalidate queue depth, 0 = 32 */
};

#define VTD_MAX_ATS_DEVS 16
#define VTD_MAX_SEEN	 16
#define VTD_MAX_RETIRED	 64 /* emptied PASID tables awaiting a wait */
#define VTD_MAX_PENDING_BLOCKS                                                 \
	256 /* entries vtd_block() left to the next wait */
/*
 * Domain ids that do not fit the unit's DID width (CAP.ND), and domain 0
 * when CAP.CM reserves DID 0, borrow one of the top VTD_DID_REMAP DIDs;
 * the others are used as DIDs unchanged.
 */
#define VTD_DID_REMAP 32

/** A borrowed DID: did = did_limit - 1 - slot index. */
struct vtd_did_slot {
	domid_t dom;
	bool used;     /* dom holds it (kept after refs drops to 0) */
	uint32_t refs; /* present entries tagged with it */
};

/** A decoded primary fault record (9.x Fault Record). */
struct vtd_fault {
	uint16_t sid;	  /* source id: bus << 8 | devfn */
	bool pasid_valid; /* PP */
	uint32_t pasid;	  /* PV (valid when pasid_valid) */
	uint64_t addr;	  /* faulting page address */
	uint8_t reason;	  /* FR */
	bool write;	  /* request type was a write */
	bool exec, priv;
	/*
	 * An interrupt request the unit blocked (fault reasons 0x20-0x2F):
	 * `addr` and the PASID mean nothing; irq_index is the handle the
	 * request carried.  Charged to the device, never to a PASID.
	 */
	bool interrupt;
	uint16_t irq_index;
};

/** Counters the tests and the benchmark read. */
struct vtd_stats {
	uint64_t descs;			     /* descriptors submitted */
	uint64_t waits;			     /* wait descriptors completed */
	uint64_t leaves_alloc, leaves_freed; /* PASID-table pages */
	uint64_t dirs_alloc; /* PASID directories created (one per device) */
	uint64_t dirs_grown; /* directories replaced by a bigger one */
	uint64_t dir_pages;  /* pages of directories not freed */
	uint64_t entries;    /* present PASID-table entries */
	uint64_t faults;
	uint64_t irq_faults; /* of them, blocked interrupt requests */
	uint64_t quiesced;   /* devices whose context entry was retired */
};

/** One remapping unit.  `iommu` comes first: the manager sees only it. */
struct vtd_unit {
	struct pasid_iommu iommu;
	const struct vtd_mem_ops *mem;
	void *mem_ctx;
	const struct vtd_reg_ops *regs;
	void *reg_ctx;
	struct vtd_config cfg;
	struct spinlock lock; /* tables, queue, ATS list */

	uint32_t ver;
	uint64_t cap, ecap;
	unsigned pasid_bits; /* PASIDs [0, 2^pasid_bits) */
	/*
	 * Largest PDTS and directory the PASID width needs; each device's
	 * directory is sized to its highest PASID (docs/vtd.md).
	 */
	unsigned pdts_max;
	unsigned dir_pages_max;
	unsigned sl_aw;	    /* AW for second-level entries (9.6) */
	unsigned did_bits;  /* domain id width from CAP.ND */
	uint32_t did_limit; /* 2^did_bits */
	struct vtd_did_slot did_slot[VTD_DID_REMAP];
	bool coherent; /* page walks snoop CPU caches */

	uint64_t *root; /* 256 x 128-bit root entries */
	hpaddr_t root_pa;
	uint64_t *blocking; /* an empty second-level table */
	hpaddr_t blocking_pa;
	/*
	 * The interrupt remapping table (5.1, 9.9): VTD_IRT_ENTRIES entries,
	 * not present until the hypervisor writes one; remapping is on and
	 * compatibility-format requests blocked from vtd_unit_init() on.
	 */
	uint64_t *irt;
	hpaddr_t irt_pa;

	uint64_t *queue; /* invalidation queue, 256-bit slots */
	hpaddr_t queue_pa;
	unsigned queue_slots;
	unsigned desc_words;	   /* 2 (128-bit) or 4 (256-bit) */
	unsigned tail;		   /* next free slot */
	volatile uint32_t *status; /* wait descriptors' status word */
	hpaddr_t status_pa;
	uint32_t seq; /* last status value asked for */
	bool queued;  /* descriptors queued since the last wait */
	int error;    /* sticky: the queue failed (-XEN_EIO) */

	/* Flushes queued since the last wait, to skip duplicates. */
	struct {
		uint32_t device, pasid;
		uint16_t did;
	} seen[VTD_MAX_SEEN];
	unsigned nseen;

	struct vtd_ats_dev ats[VTD_MAX_ATS_DEVS];
	unsigned nats;
	struct vtd_stats stats;

	/* PASID tables vtd_clear() emptied and unhooked: freed after the
	 * next completed wait, so that one wait covers many (a domain's
	 * teardown clears thousands of entries). */
	void *retired[VTD_MAX_RETIRED];
	unsigned nretired;

	/* Entries vtd_block() made not present, to be written back blocked
	 * once the next wait has completed (a present entry is never changed
	 * in place, 9.6), so that one wait covers a batch of them. */
	struct vtd_pending_block {
		uint16_t sid;
		uint16_t did; /* the retired entry's, kept by the blocked one */
		uint32_t pasid;
	} pending_block[VTD_MAX_PENDING_BLOCKS];
	unsigned npending_blocks;
};

extern const struct pasid_iommu_ops vtd_pasid_ops;
/** Register ops for a mapped unit: pass its register page as reg_ctx. */
extern const struct vtd_reg_ops vtd_mmio_ops;

/**
 * Levels of the second-level tables this unit walks (AW from CAP.SAGAW,
 * 4 preferred, else 3, else 5): the depth the platform must give the
 * domains' DMA tables (PASID_ENTRY_SECOND_LEVEL sl_root).  QEMU 7.2 gives 3
 * unless started with aw-bits=48.
 */
static inline unsigned vtd_sl_levels(const struct vtd_unit *u)
{
	return u->sl_aw + 2;
}

/*
 * Brings a unit up: reads CAP/ECAP, checks scalable mode, allocates the
 * root table and the queue, sets the root table pointer (TTM = scalable)
 * and enables queued invalidation, then flushes every cache globally.
 * Translation stays off: vtd_enable_translation() turns it on.
 * 0, -XEN_ENODEV (no scalable mode/PASID/QI), -XEN_ENOMEM, -XEN_ETIMEDOUT.
 */
int vtd_unit_init(struct vtd_unit *u, const struct vtd_config *cfg,
		  const struct vtd_mem_ops *mem, void *mem_ctx,
		  const struct vtd_reg_ops *regs, void *reg_ctx);
int vtd_enable_translation(struct vtd_unit *u);
/** Disables translation and the queue and frees every table. */
void vtd_unit_fini(struct vtd_unit *u);

/* struct pasid_iommu_ops, also callable directly. */
void vtd_block(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid,
	       domid_t domain);
int vtd_install(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid,
		const struct pasid_entry_cfg *cfg);
void vtd_clear(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid);
void vtd_invalidate(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid,
		    domid_t domain);
void vtd_wait(struct pasid_iommu *iommu);

/**
 * Quiesces a device whose owner is gone (docs/vtd.md, "Teardown"): its
 * scalable-mode context entry is made not present, so that the unit
 * blocks its requests with and without PASID alike, then the context,
 * PASID and IOTLB caches are invalidated and waited for.  The PASID
 * directory stays attached for the manager's later clears; installs for
 * the device are refused from then on (-XEN_EPERM).  A device that never
 * had a context entry is blocked already.  0 or a queue error.
 */
int vtd_quiesce_device(struct vtd_unit *u, uint32_t device);

/**
 * Writes IRTE `index` (9.9) for a fixed, edge-triggered, physical-mode
 * interrupt to xAPIC `dest` with `vector`, accepted only from requester
 * `sid` (SVT = 01b, SQ = 0), then invalidates that entry's cache and
 * waits.  The only way a device interrupt reaches a CPU.  0, -XEN_EINVAL,
 * or a queue error.
 */
int vtd_irte_set(struct vtd_unit *u, unsigned index, uint8_t vector,
		 uint8_t dest, uint16_t sid);
/** Makes IRTE `index` not present again (then IEC invalidation, wait). */
int vtd_irte_clear(struct vtd_unit *u, unsigned index);

/** Marks a device's ATS as enabled (before its first install). */
int vtd_add_ats_device(struct vtd_unit *u, const struct vtd_ats_dev *dev);

/**
 * Sets the context entry's RID_PASID: requests without PASID from the
 * device are translated by that PASID's entry (9.4).  The device needs a
 * context entry (some install done).  Invalidates and waits.
 */
int vtd_set_rid_pasid(struct vtd_unit *u, uint32_t device, uint32_t pasid);

/**
 * The device's RID_PASID: the PASID whose entry translates its requests
 * without PASID.  A fault on such a request that the unit records without
 * PASID (QEMU 7.2 does so for PASID-entry faults, reason 0x58) concerns
 * that PASID.  0, or -XEN_ENOENT when the device has no context entry.
 */
int vtd_get_rid_pasid(struct vtd_unit *u, uint32_t device, uint32_t *pasid);

/**
 * Reads and clears the next pending primary fault record.  1 and *out set,
 * or 0 when no fault is pending.  Also clears FSTS.PFO.
 */
int vtd_fault_next(struct vtd_unit *u, struct vtd_fault *out);

/**
 * Drains every pending fault record, handing each to route(); returns
 * the number handled.  The platform passes a wrapper of
 * hv_report_fault(), which routes by source id and PASID together.
 */
unsigned vtd_fault_drain(struct vtd_unit *u,
			 void (*route)(void *ctx, const struct vtd_fault *f),
			 void *ctx);

/**
 * First-level tables for a domain (vtd_fl.c, docs/vtd.md "First-level
 * binds"): builds, from pages of `m`, 4-level first-level tables (9.7)
 * that map exactly what the second-level tables at sl_root (9.8, 3 or 4
 * levels) map readable, with the same write permission, user-accessible,
 * and nothing else.  These, never a guest's tables, are what a
 * PASID_ENTRY_FIRST_LEVEL entry's fl_root names.  The copy is taken once:
 * later changes to the second-level tables are not seen.  0 and *fl_root
 * set; -XEN_ENOMEM (nothing kept) or -XEN_EINVAL (bad root or levels, or
 * a mapping at or above 2^47, which has no canonical first-level address).
 */
int vtd_fl_from_sl(const struct vtd_mem_ops *m, void *ctx, hpaddr_t sl_root,
		   unsigned sl_levels, hpaddr_t *fl_root);
/** Frees tables made by vtd_fl_from_sl() (no entry may name them). */
void vtd_fl_free(const struct vtd_mem_ops *m, void *ctx, hpaddr_t fl_root);

/* ------------------------------------------------------------------ */
/* Pure entry builders (vtd_entry.c): no side effects, testable alone. */

/** What a PASID-table entry builder needs from the unit. */
struct vtd_pe_params {
	unsigned sl_aw;	   /* AW field for second-level entries */
	bool pwsnp;	   /* set PWSNP (page walks snoop) */
	hpaddr_t blocking; /* empty second-level table for BLOCKED */
	/*
	 * QEMU 7.2 walks first-level entries as second level from SLPTPTR
	 * and ignores FLPTR: point SLPTPTR (and AW) of first-level entries
	 * at the domain's second-level tables (cfg->sl_root), of which the
	 * hypervisor's first-level tables are a copy, or at `blocking` when
	 * none is given, so that such a walk never reads page 0.
	 */
	bool fl_qemu_slptptr;
};

/**
 * Builds a PASID-table entry (9.6) into pe[8].  BLOCKED: present, FPD set,
 * second-level over the empty `blocking` table.  0, or -XEN_EINVAL for an
 * unaligned root or an unknown kind.
 */
int vtd_build_pasid_entry(uint64_t pe[8], const struct pasid_entry_cfg *cfg,
			  const struct vtd_pe_params *p);
/** 9.7 first-level entry naming a next-level table: P, R/W, U/S, A. */
uint64_t vtd_build_fl_table_entry(hpaddr_t table);
/** 9.7 first-level leaf: 4-KiB PTE, or 2-MiB PDE when `large`. */
uint64_t vtd_build_fl_leaf(hpaddr_t page, bool write, bool large);
/** 9.5 PASID directory entry for the PASID table at `table`. */
uint64_t vtd_build_pasid_dir_entry(hpaddr_t table);
/** 9.4 scalable-mode context entry into ce[4]. */
void vtd_build_context_entry(uint64_t ce[4], hpaddr_t pasid_dir, unsigned pdts,
			     uint32_t rid_pasid, bool ats);
/** 9.2 root entry half (lower or upper) pointing at a context table. */
uint64_t vtd_build_root_half(hpaddr_t ctx_table);

/* 6.5.2 descriptors into d[4]. */
void vtd_build_inv_cc(uint64_t d[4], unsigned g, domid_t did, uint16_t sid);
void vtd_build_inv_pc(uint64_t d[4], unsigned g, domid_t did, uint32_t pasid);
void vtd_build_inv_iotlb(uint64_t d[4], unsigned g, domid_t did);
void vtd_build_inv_piotlb(uint64_t d[4], domid_t did, uint32_t pasid);
void vtd_build_inv_devtlb(uint64_t d[4], const struct vtd_ats_dev *dev);
void vtd_build_inv_pdevtlb(uint64_t d[4], const struct vtd_ats_dev *dev,
			   uint32_t pasid);
void vtd_build_inv_wait(uint64_t d[4], hpaddr_t status, uint32_t data);
/** 6.5.2.7: the whole interrupt entry cache, or the entry `index`. */
void vtd_build_inv_iec(uint64_t d[4], bool global, uint16_t index);
/** 9.9 IRTE into e[2] (see vtd_irte_set()). */
void vtd_build_irte(uint64_t e[2], uint8_t vector, uint8_t dest, uint16_t sid);

/** Decodes a 128-bit fault record (lo = bits 63:0, hi = 127:64). */
void vtd_decode_fault(uint64_t lo, uint64_t hi, struct vtd_fault *out);

#endif
