/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU units found at boot and the PCI facts generic code needs
 * about them (implemented today by hypervisor/arch/x86_64/iommu.c and
 * pci.c; the generic IOMMU layer takes them over).
 */
#ifndef PADDOCK_IOMMU_GLUE_H
#define PADDOCK_IOMMU_GLUE_H

#include <paddock/types.h>

struct pasid_iommu;

unsigned iommu_count(void);
struct pasid_iommu *iommu_get(unsigned i);
struct pasid_iommu *iommu_for_device(uint32_t bdf);

/**
 * The requester ID a function's DMA reaches the IOMMU with: its own, or,
 * behind a PCIe-to-PCI bridge, the bridge's secondary bus with device and
 * function 0 (PCI Express to PCI/PCI-X Bridge Specification 1.0, 2.3).
 */
uint32_t pci_requester_id(uint32_t bdf);

/**
 * Quiesces a device whose domain stopped: bus mastering and INTx off,
 * then its context entry made not present, so that neither DMA nor an
 * interrupt request of it reaches memory or a CPU (docs/x86.md).
 */
void iommu_quiesce_device(uint32_t bdf);

/** PASID-table memory: a device's (or, at the peak, all devices'). */
struct iommu_table_figures {
	unsigned pages;	      /* directory + leaf pages now (at the peak) */
	unsigned dir_pages;   /* of its PASID directory */
	unsigned leaves_peak; /* most leaf pages it ever had */
	unsigned entries;     /* present PASID entries now (at the peak) */
	unsigned binds;	      /* entries installed over not-present ones */
	unsigned min_pages;   /* the format's minimum for those entries */
};
/** The tables of the requester ID bdf's DMA carries (shared by every
 * function behind one PCIe-to-PCI bridge). */
void iommu_device_tables(uint32_t bdf, struct iommu_table_figures *out);
void iommu_table_peak(struct iommu_table_figures *out);

#endif
