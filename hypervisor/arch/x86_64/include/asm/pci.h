/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration through ECAM (PCI Express Base 5.0, 7.2.2 "PCI Express
 * Enhanced Configuration Access Mechanism") and isolation groups.
 */
#ifndef ASM_PCI_H
#define ASM_PCI_H

#include <paddock/iommu_glue.h>
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
void iommu_init(const struct acpi_info *acpi);
/**
 * A domain's first-level tables (docs/vtd.md, "First-level binds"): a
 * copy, in hypervisor memory, of its 4-level DMA tables at dma_root, for
 * first-level binds.  0 and *fl_root set, or -1.
 */
int iommu_fl_tables(uint64_t dma_root, uint64_t *fl_root);
void iommu_fl_free(uint64_t fl_root);
/** Points a device's requests without PASID at `pasid` (VT-d 9.4). */
int iommu_set_rid_pasid(uint32_t bdf, uint32_t pasid);
/** True when the device's context entry blocks all its requests. */
bool iommu_device_blocked(uint32_t bdf);
/** Routes pending DMA fault records to their domains (timer tick). */
void iommu_poll_faults(void);

#endif
