/* SPDX-License-Identifier: MIT */
/*
 * The VT-d driver as the generic IOMMU layer sees it (paddock/
 * iommu_layer.h): one ops table, for the arch's DMAR discovery to hand to
 * iommu_layer_init().
 */
#ifndef VTD_GLUE_H
#define VTD_GLUE_H

#include <paddock/iommu_layer.h>

extern const struct iommu_driver_ops vtd_driver_ops;

#endif
