/* SPDX-License-Identifier: MIT */
/*
 * What the aarch64 code needs to know about the machine, filled from the
 * device tree at boot (dt.c) and printed there: nothing here is a
 * constant of a board.
 */
#ifndef ASM_PLATFORM_H
#define ASM_PLATFORM_H

#include <paddock/arch.h>
#include <paddock/types.h>

#define ARM_MAX_RAM	 8
#define ARM_MAX_RESERVED 16
#define ARM_MAX_PCI_MAP	 4
#define ARM_MAX_CPUS	 HW_MAX_CPUS

struct arm_range {
	uint64_t base, size;
};

/** One iommu-map entry of the PCIe host (RID -> StreamID). */
struct arm_rid_map {
	uint32_t rid_base, sid_base, length;
};

struct arm_platform {
	struct arm_range ram[ARM_MAX_RAM];
	unsigned nram;
	struct arm_range reserved[ARM_MAX_RESERVED]; /* incl. the tree */
	unsigned nreserved;
	struct arm_range uart;
	struct arm_range gicd, gicr, gits; /* gits.size 0: no ITS */
	unsigned timer_hyp_intid;	   /* CNTHP: the slice timer */
	bool psci_smc;			   /* conduit: SMC, else HVC */
	bool have_psci;
	struct arm_range ecam;
	uint8_t bus_first, bus_last;
	struct arm_range pci_mmio32; /* CPU address of the 32-bit window */
	uint64_t pci_mmio32_bus;     /* its PCI bus address */
	struct arm_range smmu;	     /* size 0: none */
	struct arm_rid_map rid_map[ARM_MAX_PCI_MAP];
	unsigned nrid_map;
	uint32_t rid_map_mask;
	char bootargs[256];
	/* CPUs PSCI can start, by MPIDR affinity; the boot CPU first. */
	uint64_t cpu_mpidr[ARM_MAX_CPUS];
	unsigned ncpus;
};

/** Reads the tree at dtb_phys into *p; prints what it found.  0 or -1
 * after printing why. */
int arm_discover(uint64_t dtb_phys, struct arm_platform *p);

/** The machine found at boot. */
extern struct arm_platform arm_plat;

#endif
