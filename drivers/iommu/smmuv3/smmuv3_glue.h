/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv3 driver as the generic IOMMU layer sees it (paddock/
 * iommu_layer.h): one ops table for the arch to hand to
 * iommu_layer_init(driver, 4), and what the arch's device-tree discovery
 * tells the driver about each device.
 */
#ifndef SMMUV3_GLUE_H
#define SMMUV3_GLUE_H

#include <paddock/iommu_layer.h>

extern const struct iommu_driver_ops smmuv3_driver_ops;

/**
 * A device's StreamID (the device tree's iommu-map) and its own PASID
 * width (its PCIe PASID capability's Max PASID Width; 0 without one), on
 * the SMMU whose registers are at reg_base: PASIDs beyond the width are
 * refused for it.  Before the device's first bind.  0 or -XEN_E*.
 */
int smmuv3_declare_device(uint64_t reg_base, uint32_t sid, unsigned pasid_bits);

/** Host tests: register ops other than MMIO (NULL: MMIO again). */
struct smmu_reg_ops;
void smmuv3_glue_set_reg_ops(const struct smmu_reg_ops *ops);

/** The i-th SMMU brought up, or NULL (for smmuv3_glue_testop.c). */
struct smmu_unit *smmuv3_glue_unit(unsigned i);

/**
 * TEST IMAGES ONLY (smmuv3_glue_testop.c): the arch's test op points the
 * StreamID's STE at CD[pasid] with S1CDMAX = 0 (CFGI_STE + CMD_SYNC), on
 * whichever SMMU has a CD table for it; pasid 0 undoes it.
 */
int smmuv3_test_redirect(uint32_t sid, uint32_t pasid);

#endif
