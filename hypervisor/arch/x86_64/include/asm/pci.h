/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration through ECAM (PCI Express Base 5.0, 7.2.2 "PCI Express
 * Enhanced Configuration Access Mechanism") and isolation groups.
 */
#ifndef ASM_PCI_H
#define ASM_PCI_H

#include <asm/acpi.h>
#include <config/config.h>

#define PCI_BDF(bus, dev, fn) PD_BDF(bus, dev, fn)
#define PCI_MAX_FUNCTIONS     64

/** What the scan found; devices[] is what config_validate checks. */
struct pci_inventory {
	struct cfg_device devices[PCI_MAX_FUNCTIONS];
	uint32_t requester[PCI_MAX_FUNCTIONS]; /* the ID its DMA carries */
	unsigned ndevices;
	unsigned ngroups;
};

/** Scans every bus of the segment-0 ECAM window, printing each function. */
void pci_scan(const struct acpi_info *acpi, struct pci_inventory *out);

/**
 * The requester ID a function's DMA reaches the IOMMU with: its own, or,
 * behind a PCIe-to-PCI bridge, the bridge's secondary bus with device and
 * function 0 (PCI Express to PCI/PCI-X Bridge Specification 1.0, 2.3).
 */
uint32_t pci_requester_id(uint32_t bdf);

uint32_t pci_read32(uint32_t bdf, unsigned off);
void pci_write32(uint32_t bdf, unsigned off, uint32_t v);

/* PCI Local Bus 3.0, 6.2.2 Command register (offset 0x04, 16 bits). */
#define PCI_COMMAND		 0x04
#define PCI_COMMAND_MEMORY	 0x0002
#define PCI_COMMAND_MASTER	 0x0004 /* bus mastering: DMA and MSI writes */
#define PCI_COMMAND_INTX_DISABLE 0x0400
/** Sets then clears Command bits, leaving Status untouched. */
void pci_command_update(uint32_t bdf, uint16_t set, uint16_t clear);
uint16_t pci_command(uint32_t bdf);
bool pci_bar0(uint32_t bdf, uint64_t *base, uint64_t *size);
uint8_t pci_secondary_bus(uint32_t bridge_bdf);
uint8_t pci_subordinate_bus(uint32_t bridge_bdf);

/* The IOMMU units found at boot (iommu.c). */
struct pasid_iommu;
void iommu_init(const struct acpi_info *acpi);
unsigned iommu_count(void);
struct pasid_iommu *iommu_get(unsigned i);
struct pasid_iommu *iommu_for_device(uint32_t bdf);
/**
 * A domain's first-level tables (docs/vtd.md, "First-level binds"): a
 * copy, in hypervisor memory, of its 4-level DMA tables at dma_root, for
 * first-level binds.  0 and *fl_root set, or -1.
 */
int iommu_fl_tables(uint64_t dma_root, uint64_t *fl_root);
void iommu_fl_free(uint64_t fl_root);
/** Points a device's requests without PASID at `pasid` (VT-d 9.4). */
int iommu_set_rid_pasid(uint32_t bdf, uint32_t pasid);
/**
 * Quiesces a device whose domain stopped: bus mastering and INTx off,
 * then its context entry made not present, so that neither DMA nor an
 * interrupt request of it reaches memory or a CPU (docs/x86.md).
 */
void iommu_quiesce_device(uint32_t bdf);
/** True when the device's context entry blocks all its requests. */
bool iommu_device_blocked(uint32_t bdf);
/** Routes pending DMA fault records to their domains (timer tick). */
void iommu_poll_faults(void);

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
