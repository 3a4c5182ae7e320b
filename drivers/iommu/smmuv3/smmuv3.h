/* SPDX-License-Identifier: MIT */
/*
 * The Arm SMMUv3 driver: one struct smmu_unit per SMMU, exposing struct
 * pasid_iommu_ops to the PASID manager.  Paddock owns the stream table
 * and every context-descriptor (CD) table; each CD points at stage-1
 * tables the hypervisor built.  Memory and registers are reached only
 * through the ops below, so the same code runs in the hypervisor and
 * against the host tests' simulated SMMU.  See docs/smmuv3.md.
 */
#ifndef PADDOCK_SMMUV3_H
#define PADDOCK_SMMUV3_H

#include <paddock/iommu.h>
#include <paddock/spinlock.h>
#include <paddock/types.h>

/**
 * How the driver reaches memory: npages zeroed, physically contiguous,
 * 4-KiB-aligned pages (npages a power of two, at most 32) and their
 * host-physical address, or NULL.  flush(), when not NULL, cleans a CPU
 * cache range to memory; it is called after table and queue writes when
 * the SMMU's accesses are not coherent (IDR0.COHACC = 0).
 */
struct smmu_mem_ops {
	void *(*alloc)(void *ctx, unsigned npages, hpaddr_t *pa);
	void (*free)(void *ctx, void *va, unsigned npages);
	void *(*phys_to_virt)(void *ctx, hpaddr_t pa);
	void (*flush)(void *ctx, const void *va, size_t len);
};

/**
 * How the driver reaches the registers: 32-bit accesses only (QEMU 7.2
 * reads a 64-bit register as zero; IHI 0070 6.2 allows 32-bit halves).
 * relax() is called in every polling loop (may be NULL).
 */
struct smmu_reg_ops {
	uint32_t (*read32)(void *ctx, uint32_t off);
	void (*write32)(void *ctx, uint32_t off, uint32_t val);
	void (*relax)(void *ctx);
};

/** Per-platform knobs, as compiled configuration (docs/smmuv3.md). */
struct smmu_config {
	const char *name;
	/*
	 * PASIDs to keep CDs for when IDR1.SSIDSIZE is smaller (0: the
	 * hardware's width).  QEMU 7.2 has SSIDSIZE = 0: its CDs beyond
	 * CD 0 are reachable only through the default substream or the
	 * test-only redirect (smmu_test_redirect()).
	 */
	unsigned pasid_bits_override;
	/* Polls of a register or queue before giving up (0: 1e8). */
	unsigned long poll_limit;
	/* Enable the event and GERROR interrupts (IRQ_CTRL); else polled. */
	bool irqs;
};

/*
 * CD tables are at most 2^15 SubstreamIDs deep: a one-page L1 table of
 * 512 descriptors, each naming a 64-CD leaf (S1Fmt 0b01), or a linear
 * table of up to 2^SMMU_LINEAR_CD_BITS_MAX CDs without CD2L.
 */
#define SMMU_PASID_BITS_MAX	15
#define SMMU_LINEAR_CD_BITS_MAX 6
#define SMMU_CDS_PER_LEAF	64
#define SMMU_L1CD_MAX		512

#define SMMU_MAX_STREAMS 64
/* Invalidations left to the next wait (smmu_wait): one CMD_SYNC pair
 * covers a batch of CD changes. */
#define SMMU_MAX_TLBI	 8  /* ASIDs to TLBI_NH_ASID; beyond, TLBI_NSNH_ALL */
#define SMMU_MAX_RETIRED 64 /* emptied CD leaves awaiting a CMD_SYNC */
/* ASIDs for domain ids that do not fit the ASID width: the top ones. */
#define SMMU_ASID_REMAP 32

/** A StreamID the driver knows: its device's CD table and settings. */
struct smmu_stream {
	uint32_t sid;
	bool used;
	unsigned pasid_bits; /* the device's own PASID width */
	bool attached;	     /* its STE translates through the CD table */
	bool quiesced;	     /* its STE is invalid for good */
	bool cd_2lvl;	     /* L1 descriptors + 64-CD leaves */
	unsigned s1cdmax;    /* what the STE says: 0 without SSIDs */
	uint64_t *cd_table;  /* linear CDs, or the L1 descriptors */
	hpaddr_t cd_table_pa;
	unsigned cd_table_pages;
	uint32_t default_pasid; /* CD 0 mirrors this PASID's CD (0: none) */
	uint32_t redirect;	/* test-only: STE names CD[redirect] */
	unsigned entries;	/* valid CDs, CD 0's mirror not counted */
	unsigned leaves;	/* leaf pages held */
};

/** A borrowed ASID: asid = asid_limit - 1 - slot index. */
struct smmu_asid_slot {
	domid_t dom;
	bool used;
	uint32_t refs; /* valid CDs tagged with it */
};

/** A decoded event record (IHI 0070 7.3). */
struct smmu_event {
	uint8_t type; /* 7.3 event number */
	uint32_t sid;
	bool ssv; /* the transaction carried a SubstreamID */
	uint32_t ssid;
	uint64_t addr; /* InputAddr, for translation faults */
	bool write;
};

/** Counters the tests and the benchmark read. */
struct smmu_stats {
	uint64_t cmds, syncs;
	uint64_t cmd_errors;  /* CMDQ_ERR recovered */
	uint64_t cd_l1_pages; /* pages of CD tables or L1 tables held */
	uint64_t leaves_alloc, leaves_freed;
	uint64_t entries; /* valid CDs (default mirrors not counted) */
	uint64_t events, event_overflows;
	uint64_t gerrors;
	uint64_t quiesced;
	uint64_t timeouts;
};

/** One SMMU.  `iommu` comes first: the manager sees only it. */
struct smmu_unit {
	struct pasid_iommu iommu;
	const struct smmu_mem_ops *mem;
	void *mem_ctx;
	const struct smmu_reg_ops *regs;
	void *reg_ctx;
	struct smmu_config cfg;
	struct spinlock lock; /* tables, queues, streams, ASIDs */

	uint32_t idr[6];
	unsigned ssid_bits;  /* IDR1.SSIDSIZE */
	unsigned pasid_bits; /* PASIDs [0, 2^pasid_bits) get CDs */
	unsigned ips;	     /* CD.IPS from IDR5.OAS */
	uint32_t asid_limit; /* 2^8 or 2^16 (IDR0.ASID16) */
	struct smmu_asid_slot asid_slot[SMMU_ASID_REMAP];
	bool coherent; /* IDR0.COHACC */
	bool cd2l;     /* IDR0.CD2L */

	/* Stream table (5.1): linear, or L1 descriptors of 64-STE leaves. */
	bool st_2lvl;
	unsigned st_log2; /* StreamIDs covered: 2^st_log2 */
	uint64_t *strtab;
	hpaddr_t strtab_pa;
	void *strtab_mem; /* the allocation strtab is aligned inside */
	unsigned strtab_mem_pages;
	unsigned st_leaves;

	/* Command queue (3.5, 4): one page of 16-byte commands. */
	uint64_t *cmdq;
	hpaddr_t cmdq_pa;
	unsigned cmdq_log2;
	uint32_t cmdq_prod; /* index and wrap bit */
	bool queued;	    /* commands since the last completed CMD_SYNC */
	int error;	    /* sticky: the queue failed (-XEN_EIO/ETIMEDOUT) */

	/* Event queue (3.5, 7): one page of 32-byte records. */
	uint64_t *evtq;
	hpaddr_t evtq_pa;
	unsigned evtq_log2;

	/*
	 * CD changes whose CFGI_CD is queued: their old ASIDs' TLB entries
	 * are invalidated after the CMD_SYNC that completes the CFGIs
	 * (cmdq_complete), as 3.21.1 orders it, once for the whole batch.
	 */
	uint16_t tlbi_asid[SMMU_MAX_TLBI];
	unsigned ntlbi;
	bool tlbi_all;
	/* CD leaves smmu_clear() emptied and unhooked: freed after the next
	 * completed CMD_SYNC, which the caller's wait owes anyway. */
	void *retired[SMMU_MAX_RETIRED];
	unsigned nretired;

	struct smmu_stream streams[SMMU_MAX_STREAMS];
	bool enabled;
	struct smmu_stats stats;
};

extern const struct pasid_iommu_ops smmu_pasid_ops;
/** Register ops for a mapped SMMU: pass its register frame as reg_ctx. */
extern const struct smmu_reg_ops smmu_mmio_ops;

/*
 * Brings an SMMU up with SMMUEN = 0: GBPA.ABORT first, so that nothing
 * passes while it is off; then IDRs (32-bit reads), the stream table
 * (every STE an abort STE, or no L2 yet), the command and event queues,
 * and a global invalidation.  smmu_enable() sets SMMUEN.  0,
 * -XEN_ENODEV (no stage 1, no AArch64 tables or 4-KiB granule, or
 * big-endian only tables), -XEN_ENOMEM, -XEN_ETIMEDOUT.
 */
int smmu_unit_init(struct smmu_unit *u, const struct smmu_config *cfg,
		   const struct smmu_mem_ops *mem, void *mem_ctx,
		   const struct smmu_reg_ops *regs, void *reg_ctx);
int smmu_enable(struct smmu_unit *u);
/** SMMUEN off (GBPA still aborting), then every table freed. */
void smmu_unit_fini(struct smmu_unit *u);

/**
 * Declares a device's StreamID (from the device tree's iommu-map) and
 * its own PASID width (0: none; capped by the unit's): its STE becomes an
 * abort STE, and PASIDs at or above 2^pasid_bits are refused for it.
 * Devices not declared get the unit's width at their first install.
 */
int smmu_add_stream(struct smmu_unit *u, uint32_t sid, unsigned pasid_bits);

/* struct pasid_iommu_ops, also callable directly; devices are SIDs. */
int smmu_install(struct pasid_iommu *iommu, uint32_t sid, uint32_t pasid,
		 const struct pasid_entry_cfg *cfg);
void smmu_clear(struct pasid_iommu *iommu, uint32_t sid, uint32_t pasid);
void smmu_invalidate(struct pasid_iommu *iommu, uint32_t sid, uint32_t pasid,
		     domid_t domain);
void smmu_wait(struct pasid_iommu *iommu);
void smmu_block(struct pasid_iommu *iommu, uint32_t sid, uint32_t pasid,
		domid_t domain);

/**
 * Quiesces a StreamID whose owner is gone: its STE is made invalid (V =
 * 0), so every request is aborted and reported (C_BAD_STE, 5.2), then
 * CFGI_STE and CMD_SYNC.  The CD table stays for the manager's clears;
 * installs are refused from then on (-XEN_EPERM).
 */
int smmu_quiesce_stream(struct smmu_unit *u, uint32_t sid);

/**
 * Where the StreamID's requests without SubstreamID go: CD 0 (STE.S1DSS
 * = SUBSTREAM0, or the only CD when S1CDMAX = 0) is kept a copy of
 * `pasid`'s CD; 0 makes CD 0 invalid (aborted, C_BAD_CD).  The stream
 * needs a CD table (some install done).  Invalidates and waits.
 */
int smmu_set_default_pasid(struct smmu_unit *u, uint32_t sid, uint32_t pasid);
/** 0 and *pasid, or -XEN_ENOENT when all the stream's requests abort. */
int smmu_get_default_pasid(struct smmu_unit *u, uint32_t sid, uint32_t *pasid);

/**
 * TEST IMAGES ONLY (smmuv3_testop.c, SMMUV3_TESTOP_SRCS): points the
 * StreamID's STE straight at CD[pasid] with S1CDMAX = 0, then CFGI_STE
 * and CMD_SYNC, so that a DMA without SubstreamID proves that CD's
 * translation on an SMMU without SubstreamIDs (QEMU 7.2); pasid 0 puts
 * the normal STE back.  -XEN_ENOENT when CD[pasid] is not valid.
 */
int smmu_test_redirect(struct smmu_unit *u, uint32_t sid, uint32_t pasid);

/**
 * Reads the next event record, if any, and handles global errors (a
 * command error is repaired and the queue restarted).  1 and *out, or 0.
 */
int smmu_event_next(struct smmu_unit *u, struct smmu_event *out);
/** Every pending event to route(); returns how many. */
unsigned smmu_event_drain(struct smmu_unit *u,
			  void (*route)(void *ctx, const struct smmu_event *e),
			  void *ctx);
/** Acknowledges active GERROR bits, repairing CMDQ_ERR; which were on. */
uint32_t smmu_gerror_handle(struct smmu_unit *u);

/* ------------------------------------------------------------------ */
/* Pure builders (smmuv3_entry.c): no side effects, testable alone.    */

/** What a CD builder needs from the unit. */
struct smmu_cd_params {
	unsigned ips;  /* CD.IPS, from IDR5.OAS */
	uint16_t asid; /* the domain's ASID */
	bool coherent; /* walks are cacheable inner shareable */
};

/**
 * Builds a CD (5.4) into cd[8].  SECOND_LEVEL: TTB0 = cfg->sl_root,
 * 4 KiB granule, T0SZ 16 (4 levels from level 0), EPD1, AA64, R (faults
 * recorded), A (aborted), MAIR index 0 write-back.  BLOCKED: valid, both
 * walks disabled (EPD0, EPD1: every access a translation fault) and R
 * clear, so that its faults are not recorded.  0, or -XEN_EINVAL for an
 * unaligned root, -XEN_EOPNOTSUPP for FIRST_LEVEL or PASSTHROUGH.
 */
int smmu_build_cd(uint64_t cd[8], const struct pasid_entry_cfg *cfg,
		  const struct smmu_cd_params *p);

/** What an STE builder needs. */
struct smmu_ste_params {
	hpaddr_t ctx_ptr; /* the CD table, or one CD when s1cdmax = 0 */
	unsigned s1cdmax; /* log2 of the CDs; 0: no SubstreamIDs */
	bool cd_2lvl;	  /* S1Fmt 0b01 */
	bool coherent;
};

/** 5.2 STE with Config = abort (V = 1: no event recorded). */
void smmu_build_ste_abort(uint64_t ste[8]);
/** 5.2 STE with V = 0: every request aborted, C_BAD_STE recorded. */
void smmu_build_ste_invalid(uint64_t ste[8]);
/** 5.2 stage-1 STE: S1DSS = SUBSTREAM0 when s1cdmax > 0. */
int smmu_build_ste_s1(uint64_t ste[8], const struct smmu_ste_params *p);
/** 5.1 L1 stream table descriptor naming a 64-STE leaf (SPAN 7). */
uint64_t smmu_build_l1std(hpaddr_t l2);
/** 5.3 L1CD naming a 64-CD leaf. */
uint64_t smmu_build_l1cd(hpaddr_t leaf);

/* 4.x commands into c[2]. */
void smmu_build_cfgi_ste(uint64_t c[2], uint32_t sid);
void smmu_build_cfgi_all(uint64_t c[2]);
void smmu_build_cfgi_cd(uint64_t c[2], uint32_t sid, uint32_t ssid);
void smmu_build_cfgi_cd_all(uint64_t c[2], uint32_t sid);
void smmu_build_tlbi_nh_asid(uint64_t c[2], uint16_t asid);
void smmu_build_tlbi_nh_all(uint64_t c[2]);
void smmu_build_tlbi_nsnh_all(uint64_t c[2]);
void smmu_build_atc_inv(uint64_t c[2], uint32_t sid, bool ssv, uint32_t ssid);
void smmu_build_sync(uint64_t c[2]);

/** Decodes an event record (7.3) from e[4]. */
void smmu_decode_event(const uint64_t e[4], struct smmu_event *out);

#endif
