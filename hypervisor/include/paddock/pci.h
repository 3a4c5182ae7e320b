/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration through ECAM (PCI Express Base 5.0, 7.2.2 "PCI Express
 * Enhanced Configuration Access Mechanism") and isolation groups: the
 * same on every architecture.  Only where the ECAM windows come from
 * differs (ACPI MCFG on x86, the device tree on Arm): the arch hands them
 * to pci_scan().
 */
#ifndef PADDOCK_PCI_H
#define PADDOCK_PCI_H

#include <paddock/types.h>
#include <config/config.h>

#define PCI_BDF(bus, dev, fn) PD_BDF(bus, dev, fn)
#define PCI_MAX_FUNCTIONS     64
#define PCI_MAX_ECAM	      4

/** One ECAM window: buses [start_bus, end_bus] of a segment at phys. */
struct pci_ecam {
	uint64_t phys; /* the address of start_bus's configuration space */
	uint16_t segment;
	uint8_t start_bus, end_bus;
};

/** What the scan found; devices[] is what config_validate checks. */
struct pci_inventory {
	struct cfg_device devices[PCI_MAX_FUNCTIONS];
	uint32_t requester[PCI_MAX_FUNCTIONS]; /* the ID its DMA carries */
	unsigned ndevices;
	unsigned ngroups;
};

/**
 * Scans every bus reachable from the first bus of each segment-0 window
 * (Paddock names devices without a segment), printing each function.
 * Configuration accesses go through these windows from then on.
 */
void pci_scan(const struct pci_ecam *windows, unsigned nwindows,
	      struct pci_inventory *out);

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

#endif
