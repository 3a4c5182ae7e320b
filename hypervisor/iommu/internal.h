/* SPDX-License-Identifier: MIT */
/* Private to hypervisor/iommu. */
#ifndef PADDOCK_IOMMU_INTERNAL_H
#define PADDOCK_IOMMU_INTERNAL_H

#include <paddock/iommu_layer.h>
#include <paddock/spinlock.h>

/** What the PASID manager is given: a unit, seen through device names. */
struct unit_view {
	struct pasid_iommu iommu; /* first: the manager's pointer is ours */
	struct pasid_iommu *unit; /* the driver's, named by requester ID */
	struct iommu_unit_desc desc;
	/*
	 * One install or clear at a time on the unit, with the driver's
	 * table counters read before and after it: their difference is
	 * then that call's alone, whichever CPUs install on the unit at
	 * once (docs/design.md, "Lock order").
	 */
	struct spinlock acct_lock;
};

/* Proof that the caller holds a view's acct_lock. */
SPIN_LOCK_WITNESS(unit_view_locked, struct unit_view, view, acct_lock,
		  view_lock, view_unlock, view_held);

extern const struct iommu_driver_ops *iommu_driver;

struct unit_view *iommu_view_of(struct pasid_iommu *iommu);

/*
 * accounting.c: what one install or clear of the view's unit changed in
 * its counters, put down to the requester ID.  `before` is what the
 * driver's counters said before it, read under the same hold of the
 * view's acct_lock.
 */
void iommu_account(struct unit_view_locked vl, uint32_t rid,
		   const struct iommu_table_counters *before, bool bind);
void iommu_account_reset(void);

#endif
