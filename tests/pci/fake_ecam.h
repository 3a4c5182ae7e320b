/* SPDX-License-Identifier: MIT */
/*
 * A model of PCI configuration space for the host tests of
 * hypervisor/pci (pci.c built with PADDOCK_FAKE_ECAM calls
 * fake_ecam_read/fake_ecam_write for every ECAM access).  Unlike plain
 * memory it behaves like hardware where the enumeration depends on it:
 * - BARs answer sizing: the bits below their size read 0, the type bits
 *   are read-only, a 64-bit BAR's upper half has its own mask (PCI Local
 *   Bus 3.0, 6.2.5.1);
 * - a function below a bridge is reachable only at the bus number its
 *   bridges forward: type 0 on the secondary bus, [secondary,
 *   subordinate] passed down (PCI-to-PCI Bridge 1.2, 3.2.5.3); two
 *   siblings claiming one bus count as a conflict;
 * - bridge windows have their read-only low bits (1 MiB granularity, the
 *   64-bit prefetchable capability), Status is read-only.
 * The devices are QEMU's (hw/pci-bridge, hw/misc/edu.c): their IDs, BARs
 * and reset values as `info pci` shows them on the Arm virt machine.
 */
#ifndef PADDOCK_TESTS_PCI_FAKE_ECAM_H
#define PADDOCK_TESTS_PCI_FAKE_ECAM_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_MAX_FN 32
#define FAKE_ROOT   (-1) /* the parent of a function on the first bus */

enum fake_kind {
	FAKE_HOST_BRIDGE,     /* 1b36:0008, no BARs */
	FAKE_ROOT_PORT,	      /* pcie-root-port: BAR0 4 KiB, 64-bit pref */
	FAKE_PCIE_PCI_BRIDGE, /* pcie-pci-bridge: BAR0 64-bit 256 bytes */
	FAKE_EDU,	      /* edu: BAR0 1 MiB, 32-bit */
	FAKE_PLAIN,	      /* an endpoint without BARs (fake_bar adds) */
};

struct fake_fn {
	int parent; /* the bridge it sits below, or FAKE_ROOT */
	unsigned devfn;
	bool bridge, has_pref, pref64;
	uint64_t bar_size[6]; /* 0: not implemented */
	uint32_t bar_flags[6];
	bool bar_upper[6]; /* the upper half of the BAR before it */
	uint32_t cfg[1024];
};

/** Empties the model: ECAM at base, its first bus start_bus. */
void fake_ecam_reset(uint64_t base, unsigned start_bus);
/** Adds a function below parent (FAKE_ROOT or an index); its index. */
int fake_add(int parent, unsigned dev, unsigned fn, enum fake_kind kind);
/** Gives function idx a BAR: flags are its low bits (type, prefetch). */
void fake_bar(int idx, unsigned bar, uint64_t size, uint32_t flags);
struct fake_fn *fake_get(int idx);
unsigned fake_count(void);
/** Where function idx answers now (its bridges' numbers), or false. */
bool fake_bdf(int idx, uint32_t *bdf);
/** Accesses where two bridges claimed the same bus. */
unsigned fake_conflicts(void);

/** The BAR's address as programmed (both halves of a 64-bit one). */
uint64_t fake_bar_addr(int idx, unsigned bar);

/** QEMU's test topology (config/platforms/qemu-x86_64.mk) on Arm virt. */
struct fake_qemu {
	int host, rp1, edu1, pbr, edu2a, edu2b, rp2, edu3;
};
void fake_qemu_topology(struct fake_qemu *q);

uint32_t fake_ecam_read(uint64_t pa);
void fake_ecam_write(uint64_t pa, uint32_t v);

#endif
