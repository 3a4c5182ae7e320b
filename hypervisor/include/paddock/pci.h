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
#define PCI_MAX_MEM_WINDOWS   2

/** One ECAM window: buses [start_bus, end_bus] of a segment at phys. */
struct pci_ecam {
	uint64_t phys; /* the address of start_bus's configuration space */
	uint16_t segment;
	uint8_t start_bus, end_bus;
};

/**
 * A memory window of the host bridge, from the device tree's `ranges`:
 * CPU physical addresses [cpu, cpu + size) reach PCI bus addresses
 * [pci, pci + size).  BARs and bridge windows hold bus addresses.
 */
struct pci_mem_window {
	uint64_t cpu;
	uint64_t pci;
	uint64_t size;
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
 * Configuration accesses (pci_read32() and the rest) go through these
 * segment-0 windows from now on.  pci_scan() and pci_assign() call it.
 */
void pci_use_ecam(const struct pci_ecam *windows, unsigned nwindows);

/*
 * Resources when the firmware did not assign them (docs/pci.md).  QEMU's
 * Arm virt machine booted with -kernel has no firmware that enumerates
 * PCI: bridges' bus numbers are 0, BARs and bridge windows unassigned.
 * The arch then calls, before pci_scan():
 *
 *	if (pci_needs_assign(&ecam))
 *		pci_assign(&ecam, &mmio32, mmio64_or_NULL);
 *	else
 *		pci_set_mem_windows(windows, n);
 *	pci_scan(&ecam, 1, &inventory);
 */

/**
 * Whether the hierarchy below ecam's first bus is unconfigured: a
 * PCI-to-PCI bridge on that bus has secondary bus 0, or there is no bridge
 * and no function on it decodes memory or I/O.  Firmware that enumerates
 * (SeaBIOS, U-Boot's `pci enum`) numbers every bridge and enables what it
 * placed, so this is false after it.  Reads configuration space only.
 */
bool pci_needs_assign(const struct pci_ecam *ecam);

/**
 * Configures the hierarchy below ecam's first bus, depth first: bus
 * numbers for every PCI-to-PCI bridge, every function's memory BARs from
 * mmio32 (which must lie below 4 GiB in bus addresses) or, for 64-bit
 * prefetchable BARs, from mmio64 (NULL: none; everything goes in mmio32),
 * each bridge's memory windows around what is below it, and Memory Space
 * + Bus Master on bridges, Memory Space on functions whose BARs all fit.
 * I/O BARs stay disabled, and so do expansion ROMs.  Each assignment is
 * a "pci: " line; what does not fit is a message and that function, or
 * that bridge with everything below it, is left disabled.  Registers the
 * windows for pci_bus_to_cpu().  Returns 0, the number of functions or
 * bridges left disabled, or -1 when the arguments are unusable.
 */
int pci_assign(const struct pci_ecam *ecam, const struct pci_mem_window *mmio32,
	       const struct pci_mem_window *mmio64);

/** The host bridge's memory windows, for pci_bus_to_cpu() (at most 2). */
void pci_set_mem_windows(const struct pci_mem_window *windows, unsigned n);

/**
 * The CPU address of bus addresses [bus_addr, bus_addr + size): through
 * the window that holds them whole, false if none does; identity when no
 * window was registered (x86: the firmware's windows map 1:1).
 */
bool pci_bus_to_cpu(uint64_t bus_addr, uint64_t size, uint64_t *cpu);

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
/** BAR0's CPU address and size, when it is a placed memory BAR. */
bool pci_bar0(uint32_t bdf, uint64_t *base, uint64_t *size);
/** The function's Max PASID Width from its PASID extended capability
 * (PCIe Base 5.0, 7.8.9), 0 without one. */
unsigned pci_pasid_width(uint32_t bdf);
uint8_t pci_secondary_bus(uint32_t bridge_bdf);
uint8_t pci_subordinate_bus(uint32_t bridge_bdf);

#endif
