/* SPDX-License-Identifier: MIT */
/* Private to hypervisor/iommu. */
#ifndef PADDOCK_IOMMU_INTERNAL_H
#define PADDOCK_IOMMU_INTERNAL_H

#include <paddock/iommu_layer.h>

/** What the PASID manager is given: a unit, seen through device names. */
struct unit_view {
	struct pasid_iommu iommu; /* first: the manager's pointer is ours */
	struct pasid_iommu *unit; /* the driver's, named by requester ID */
	struct iommu_unit_desc desc;
};

extern const struct iommu_driver_ops *iommu_driver;

struct unit_view *iommu_view_of(struct pasid_iommu *iommu);

/*
 * accounting.c: what one install or clear of the unit changed in its
 * counters, put down to the requester ID.  `before` is what the driver's
 * counters said before it.
 */
void iommu_account(struct pasid_iommu *unit, uint32_t rid,
		   const struct iommu_table_counters *before, bool bind);
void iommu_account_reset(void);

#endif
