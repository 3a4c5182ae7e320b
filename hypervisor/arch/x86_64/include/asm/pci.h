/* SPDX-License-Identifier: MIT */
/*
 * What is x86 in PCI enumeration and the IOMMU layer: the ECAM window and
 * the VT-d units come from ACPI (MCFG, DMAR).  The generic interfaces are
 * paddock/pci.h and paddock/iommu_layer.h.
 */
#ifndef ASM_PCI_H
#define ASM_PCI_H

#include <paddock/iommu_layer.h>
#include <paddock/pci.h>
#include <asm/acpi.h>

/** Scans the segment-0 ECAM window the MCFG names (if any). */
static inline void pci_scan_acpi(const struct acpi_info *acpi,
				 struct pci_inventory *out)
{
	struct pci_ecam w = {
		.phys = acpi->ecam_phys,
		.start_bus = acpi->ecam_start_bus,
		.end_bus = acpi->ecam_end_bus,
	};

	pci_scan(&w, acpi->have_ecam ? 1 : 0, out);
}

/** Brings up the IOMMU layer with a VT-d unit per DMAR DRHD. */
void iommu_init(const struct acpi_info *acpi);

#endif
