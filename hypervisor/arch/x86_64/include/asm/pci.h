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
	unsigned ndevices;
	unsigned ngroups;
};

/** Scans every bus of the segment-0 ECAM window, printing each function. */
void pci_scan(const struct acpi_info *acpi, struct pci_inventory *out);

uint32_t pci_read32(uint32_t bdf, unsigned off);
uint8_t pci_secondary_bus(uint32_t bridge_bdf);
uint8_t pci_subordinate_bus(uint32_t bridge_bdf);

/* The IOMMU units found at boot (iommu.c). */
struct pasid_iommu;
void iommu_init(const struct acpi_info *acpi);
unsigned iommu_count(void);
struct pasid_iommu *iommu_get(unsigned i);
struct pasid_iommu *iommu_for_device(uint32_t bdf);
/** Routes pending DMA fault records to their domains (timer tick). */
void iommu_poll_faults(void);

#endif
