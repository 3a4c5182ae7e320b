/* SPDX-License-Identifier: MIT */
/*
 * The PASID manager's view of an IOMMU.  A driver (VT-d, SMMUv3, or the
 * host tests' recording mock) fills in struct pasid_iommu_ops; the manager
 * never touches a table itself.
 *
 * Contract for drivers:
 * - install() writes the entry for (device, pasid).  It may allocate table
 *   memory and so may fail, but it must never fail when an entry for the
 *   same (device, pasid) is already present.
 * - clear() removes the entry and may free tables that become empty (at
 *   the next wait() at the latest: the hardware may walk them until
 *   then).
 * - invalidate() queues the cache invalidations that make a changed entry
 *   visible to the hardware, in the order the spec requires.
 * - block() switches the present entry of (device, pasid) to
 *   PASID_ENTRY_BLOCKED, tagged `domain`, and queues every invalidation
 *   the switch needs.  It never fails and never allocates; it may leave
 *   part of the switch to the next wait(), so that one wait covers a
 *   batch (a domain's teardown blocks thousands).  Once that wait()
 *   returns, the entry blocks every request with its fault suppressed
 *   and no cache holds its old translation.  An entry that is not
 *   present is left alone.
 * - wait() returns once every queued invalidation has completed, and
 *   every block() before it has taken effect.
 */
#ifndef PADDOCK_IOMMU_H
#define PADDOCK_IOMMU_H

#include <paddock/types.h>

enum pasid_entry_kind {
	/* Present, but every request is blocked and its fault suppressed. */
	PASID_ENTRY_BLOCKED,
	/* Translate through the owning domain's DMA (second-level) tables. */
	PASID_ENTRY_SECOND_LEVEL,
	/*
	 * Translate through first-level tables rooted at fl_root: tables the
	 * hypervisor built and owns, never a guest's (docs/vtd.md).
	 */
	PASID_ENTRY_FIRST_LEVEL,
	/* Identity: privileged domains only. */
	PASID_ENTRY_PASSTHROUGH,
};

struct pasid_entry_cfg {
	enum pasid_entry_kind kind;
	domid_t domain;	  /* tags the IOTLB (VT-d DID, SMMU ASID/VMID) */
	hpaddr_t sl_root; /* the domain's DMA tables (SECOND_LEVEL) */
	hpaddr_t fl_root; /* hypervisor-built tables (FIRST_LEVEL) */
};

struct pasid_iommu;

struct pasid_iommu_ops {
	int (*install)(struct pasid_iommu *iommu, uint32_t device,
		       uint32_t pasid, const struct pasid_entry_cfg *cfg);
	void (*clear)(struct pasid_iommu *iommu, uint32_t device,
		      uint32_t pasid);
	void (*invalidate)(struct pasid_iommu *iommu, uint32_t device,
			   uint32_t pasid, domid_t domain);
	void (*wait)(struct pasid_iommu *iommu);
	void (*block)(struct pasid_iommu *iommu, uint32_t device,
		      uint32_t pasid, domid_t domain);
};

/** One remapping unit.  Drivers embed it in their own state. */
struct pasid_iommu {
	const struct pasid_iommu_ops *ops;
	const char *name;
	unsigned pasid_bits; /* PASID width this unit translates */
};

#endif
