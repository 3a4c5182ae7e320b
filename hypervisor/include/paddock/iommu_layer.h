/* SPDX-License-Identifier: MIT */
/*
 * The generic IOMMU layer (hypervisor/iommu/): what adapts an IOMMU
 * driver (VT-d today, SMMUv3 next) to the PASID manager.  A driver plugs
 * in through one table, struct iommu_driver_ops; the arch's discovery
 * (ACPI DMAR, IORT, the device tree) names the units and which devices
 * each serves, through iommu_unit_add().
 *
 * The manager names devices by bus:device.function; a unit sees the ID
 * their DMA carries (arch_device_requester_id(): a requester ID or a
 * StreamID).  So the manager is handed a view of each unit that
 * translates one into the other.  Two functions behind one PCIe-to-PCI
 * bridge share an alias, hence their entries: they are one isolation
 * group, always one domain's, so this never mixes domains.
 */
#ifndef PADDOCK_IOMMU_LAYER_H
#define PADDOCK_IOMMU_LAYER_H

#include <paddock/iommu.h>
#include <paddock/types.h>

#define IOMMU_MAX_UNITS 8

/** A fault record, decoded by the driver. */
struct iommu_fault {
	uint32_t source;  /* the requester ID / StreamID the request carried */
	bool pasid_valid; /* the request carried a PASID */
	uint32_t pasid;	  /* valid when pasid_valid */
	uint64_t addr;	  /* the faulting page address */
	uint8_t reason;	  /* the driver's reason code */
	bool write;
	/*
	 * A blocked interrupt request: addr and the PASID mean nothing,
	 * irq_index is the handle it carried.  Charged to the device.
	 */
	bool interrupt;
	uint16_t irq_index;
};

/** A unit's PASID-table memory and entries right now. */
struct iommu_table_counters {
	uint64_t dir_pages; /* pages of PASID directories */
	uint64_t leaves;    /* PASID-table leaf pages */
	uint64_t entries;   /* present PASID entries */
};

/** What the arch's discovery says about one unit. */
struct iommu_unit_desc {
	uint64_t reg_base; /* physical address of its registers */
	uint16_t segment;  /* the PCI segment it serves */
	/* Levels of the domains' DMA tables: filled in by the layer from
	 * iommu_layer_init(); a unit that cannot walk them stays off. */
	unsigned dma_levels;
	/* Whether the unit's scope names the device (may be NULL). */
	bool (*serves)(const void *scope, uint32_t device);
	const void *scope;
	bool catch_all; /* serves every device no other unit's scope names */
};

typedef void (*iommu_fault_sink)(void *ctx, const struct iommu_fault *f);

/**
 * A domain's first-level tables (docs/vtd.md, "First-level binds"): the
 * driver's format, but no unit's: any unit may be handed them.
 */
struct iommu_fl_ops {
	/* A copy of `levels`-level DMA tables; 0 and *fl_root, or an error. */
	int (*build)(hpaddr_t dma_root, unsigned levels, hpaddr_t *fl_root);
	void (*free)(hpaddr_t fl_root);
};

/** A unit's PASID-table figures, for the summary and `make bench`. */
struct iommu_table_figures {
	unsigned pages;	      /* directory + leaf pages now (at the peak) */
	unsigned dir_pages;   /* of its PASID directory */
	unsigned leaves_peak; /* most leaf pages it ever had */
	unsigned entries;     /* present PASID entries now (at the peak) */
	unsigned binds;	      /* entries installed over not-present ones */
	unsigned min_pages;   /* the format's minimum for those entries */
};

/**
 * One IOMMU driver.  Units are the driver's own state with a struct
 * pasid_iommu first; devices are named to the driver by requester ID.
 */
struct iommu_driver_ops {
	/* Brings a unit up, translation off; NULL (having said why) if not. */
	struct pasid_iommu *(*unit_init)(const struct iommu_unit_desc *desc);
	void (*unit_fini)(struct pasid_iommu *unit);
	/* Translation on; 0, or an error it has reported. */
	int (*enable)(struct pasid_iommu *unit);
	/* install, clear, invalidate, wait (paddock/iommu.h), by requester ID
	 */
	const struct pasid_iommu_ops *pasid;
	/* Where the requests without PASID of a requester ID go (VT-d
	 * RID_PASID, SMMUv3 substream 0). */
	int (*set_default_pasid)(struct pasid_iommu *unit, uint32_t rid,
				 uint32_t pasid);
	/* 0 and *pasid, or an error when the ID's requests are all blocked. */
	int (*get_default_pasid)(struct pasid_iommu *unit, uint32_t rid,
				 uint32_t *pasid);
	/* Blocks every request of the ID, with and without PASID. */
	int (*quiesce)(struct pasid_iommu *unit, uint32_t rid);
	/* Hands every pending fault record to sink; how many. */
	unsigned (*fault_drain)(struct pasid_iommu *unit, iommu_fault_sink sink,
				void *ctx);
	void (*counters)(const struct pasid_iommu *unit,
			 struct iommu_table_counters *out);
	const struct iommu_fl_ops *first_level; /* may be NULL */
	/* The address a blocked interrupt request is reported at. */
	uint64_t interrupt_window;
	/* Prints the demo's `bench:` lines of the table footprint at its
	 * peak, in the driver's own terms (may be NULL). */
	void (*bench_tables)(const struct iommu_table_figures *peak);
};

/** The driver every unit uses, and the depth of the domains' DMA tables. */
void iommu_layer_init(const struct iommu_driver_ops *driver,
		      unsigned dma_levels);
/** Brings a unit up and hands it to the manager; 0 or -1. */
int iommu_unit_add(const struct iommu_unit_desc *desc);
/** Forgets every unit (host tests). */
void iommu_layer_reset(void);

/* The driver's memory: heap pages, through the arch's hooks. */
void *iommu_mem_alloc(void *ctx, unsigned npages, hpaddr_t *pa);
void iommu_mem_free(void *ctx, void *va, unsigned npages);
void *iommu_mem_virt(void *ctx, hpaddr_t pa);
void iommu_mem_flush(void *ctx, const void *va, size_t len);

unsigned iommu_count(void);
struct pasid_iommu *iommu_get(unsigned i);
/** The unit serving a device: the one whose scope names it, else the
 * catch-all (VT-d 8.3, INCLUDE_PCI_ALL). */
struct pasid_iommu *iommu_for_device(uint32_t bdf);
/**
 * A domain's first-level tables (docs/vtd.md, "First-level binds"): a
 * copy, in hypervisor memory, of its DMA tables at dma_root, for
 * first-level binds.  0 and *fl_root set, or -1.
 */
/** Whether the driver builds first-level tables (NULL first_level:
 * first-level binds are refused, and no domain needs them). */
bool iommu_has_first_level(void);
int iommu_fl_tables(uint64_t dma_root, uint64_t *fl_root);
void iommu_fl_free(uint64_t fl_root);
/** Points a device's requests without PASID at `pasid` (VT-d 9.4). */
int iommu_set_rid_pasid(uint32_t bdf, uint32_t pasid);
/**
 * Quiesces a device whose domain stopped: bus mastering and INTx off,
 * then its requests blocked by the unit, so that neither DMA nor an
 * interrupt request of it reaches memory or a CPU (docs/x86.md).
 */
void iommu_quiesce_device(uint32_t bdf);
/** True when the unit blocks all the device's requests. */
bool iommu_device_blocked(uint32_t bdf);
/** Routes pending DMA fault records to their domains, waiting for a
 * drain another CPU runs to end first (GET_FAULTS, the end of the run). */
void iommu_poll_faults(void);
/** The same from a slice tick, unless another CPU is draining now. */
void iommu_poll_faults_tick(void);

/** PASID-table memory: a device's (or, at the peak, all devices').
 * The tables of the requester ID bdf's DMA carries (shared by every
 * function behind one PCIe-to-PCI bridge). */
void iommu_device_tables(uint32_t bdf, struct iommu_table_figures *out);
void iommu_table_peak(struct iommu_table_figures *out);
/** The driver's `bench:` lines of the peak footprint (none without one). */
void iommu_bench_tables(void);

#endif
