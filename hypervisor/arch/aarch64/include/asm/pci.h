/* SPDX-License-Identifier: MIT */
/*
 * What is aarch64 in PCI enumeration and the IOMMU layer: the ECAM window,
 * its memory window and the SMMUv3 come from the device tree.  The
 * generic interfaces are paddock/pci.h and paddock/iommu_layer.h.
 */
#ifndef ASM_PCI_H
#define ASM_PCI_H

#include <paddock/iommu_layer.h>
#include <paddock/pci.h>
#include <asm/platform.h>

/** Scans the ECAM window the tree names (if any). */
void pci_scan_dt(const struct arm_platform *p, struct pci_inventory *out);

/**
 * The IOMMU units the tree names (the SMMUv3, under its driver), and
 * every function found told to it with its StreamID and PASID width.
 * Without a usable unit, assigned devices stay unregistered with the
 * manager and their bus mastering off.
 */
void iommu_init_dt(const struct arm_platform *p,
		   const struct pci_inventory *pci);

#endif
