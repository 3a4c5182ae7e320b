/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration over ECAM and isolation groups.
 *
 * A group is the set of functions the platform cannot keep apart for DMA,
 * so it must never be split between domains (config_validate refuses):
 * - functions behind a PCIe-to-PCI(-X) bridge or a conventional PCI
 *   bridge share the bridge's group: on a conventional bus requests carry
 *   the bridge's requester ID (PCIe to PCI/PCI-X Bridge Specification
 *   1.0, 2.3) and devices can reach each other without the IOMMU;
 * - the functions of one multi-function device share a group, since
 *   ACS is not checked (PCIe Base 5.0, 6.12: without ACS, peer-to-peer
 *   between functions is not prevented).
 * Behind a PCIe-to-PCI bridge the functions' DMA also carries the
 * bridge's alias requester ID, which pci_requester_id() reports.
 */
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/pci.h>

/* PCI Local Bus 3.0, 6.1: configuration header offsets. */
#define PCI_VENDOR	   0x00
#define PCI_STATUS_COMMAND 0x04
#define PCI_CLASS_REV	   0x08
#define PCI_HEADER_TYPE	   0x0c /* byte 2 of the dword */
#define PCI_BUS_NUMBERS	   0x18 /* primary, secondary, subordinate */
#define PCI_CAP_PTR	   0x34
#define STATUS_CAP_LIST	   (1u << 20) /* status bit 4, in the dword */
#define CAP_ID_PCIE	   0x10
/* PCIe Base 5.0, 7.5.3.2: Device/Port Type in PCIe Capabilities. */
#define PCIE_TYPE_PCIE_TO_PCI_BRIDGE 0x7
#define CLASS_BRIDGE_PCI	     0x0604
#define NO_GROUP		     0xffffffffu
#define NO_ALIAS		     0xffffffffu

/* The segment-0 windows pci_use_ecam() was given. */
static struct pci_ecam ecam[PCI_MAX_ECAM];
static unsigned necam;
static struct pci_inventory *inv;
static uint8_t buses_seen[256 / 8];
/* The host bridge's memory windows (pci_set_mem_windows()). */
static struct pci_mem_window mem_windows[PCI_MAX_MEM_WINDOWS];
static unsigned nmem_windows;

/* The physical address of the function's configuration dword at off. */
static bool cfg_phys(uint32_t bdf, unsigned off, uint64_t *pa)
{
	uint32_t bus = bdf >> 8;

	for (unsigned i = 0; i < necam; i++) {
		const struct pci_ecam *w = &ecam[i];

		if (bus < w->start_bus || bus > w->end_bus)
			continue;
		*pa = w->phys + ((uint64_t)(bus - w->start_bus) << 20) +
		      ((uint64_t)(bdf & 0xff) << 12) + (off & 0xffc);
		return true;
	}
	return false;
}

/*
 * The host test of the PCI code (tests/pci) builds this file with
 * PADDOCK_FAKE_ECAM and models configuration space behind these two
 * calls: BARs with size masks and read-only bits, and buses that only
 * bridges' bus numbers make reachable, which plain memory cannot show.
 */
#ifdef PADDOCK_FAKE_ECAM
uint32_t fake_ecam_read(uint64_t pa);
void fake_ecam_write(uint64_t pa, uint32_t v);
#endif

static uint32_t ecam_read(uint64_t pa)
{
#ifdef PADDOCK_FAKE_ECAM
	return fake_ecam_read(pa);
#else
	return *(volatile uint32_t *)arch_phys_to_virt(pa);
#endif
}

static void ecam_write(uint64_t pa, uint32_t v)
{
#ifdef PADDOCK_FAKE_ECAM
	fake_ecam_write(pa, v);
#else
	*(volatile uint32_t *)arch_phys_to_virt(pa) = v;
#endif
}

uint32_t pci_read32(uint32_t bdf, unsigned off)
{
	uint64_t pa;

	return cfg_phys(bdf, off, &pa) ? ecam_read(pa) : 0xffffffff;
}

void pci_write32(uint32_t bdf, unsigned off, uint32_t v)
{
	uint64_t pa;

	if (cfg_phys(bdf, off, &pa))
		ecam_write(pa, v);
}

/* A bus some window covers. */
static bool bus_reachable(unsigned bus)
{
	for (unsigned i = 0; i < necam; i++) {
		if (bus >= ecam[i].start_bus && bus <= ecam[i].end_bus)
			return true;
	}
	return false;
}

/*
 * PCI Local Bus 3.0, 6.2.2: the Command register is the low half of the
 * dword at 0x04; the high half is Status, whose error bits clear when
 * written with 1.  So the dword is written with the Status half zero.
 */
void pci_command_update(uint32_t bdf, uint16_t set, uint16_t clear)
{
	uint16_t cmd = (uint16_t)pci_read32(bdf, PCI_COMMAND);

	pci_write32(bdf, PCI_COMMAND, (uint16_t)((cmd | set) & ~clear));
}

uint16_t pci_command(uint32_t bdf)
{
	return (uint16_t)pci_read32(bdf, PCI_COMMAND);
}

uint8_t pci_secondary_bus(uint32_t bridge_bdf)
{
	return (pci_read32(bridge_bdf, PCI_BUS_NUMBERS) >> 8) & 0xff;
}

uint8_t pci_subordinate_bus(uint32_t bridge_bdf)
{
	return (pci_read32(bridge_bdf, PCI_BUS_NUMBERS) >> 16) & 0xff;
}

/* The PCIe Device/Port Type, or -1 for a conventional PCI function. */
static int pcie_port_type(uint32_t bdf)
{
	unsigned ptr, guard = 48;

	if (!(pci_read32(bdf, PCI_STATUS_COMMAND) & STATUS_CAP_LIST))
		return -1;
	ptr = pci_read32(bdf, PCI_CAP_PTR) & 0xfc;
	while (ptr >= 0x40 && guard--) {
		uint32_t cap = pci_read32(bdf, ptr);

		if ((cap & 0xff) == CAP_ID_PCIE)
			return (cap >> 20) & 0xf;
		ptr = (cap >> 8) & 0xfc;
	}
	return -1;
}

static void scan_bus(unsigned bus, uint32_t inherited, uint32_t alias);

static uint32_t add_function(uint32_t bdf, uint32_t group, uint32_t alias)
{
	if (inv->ndevices == PCI_MAX_FUNCTIONS)
		return group;
	if (group == NO_GROUP)
		group = inv->ngroups++;
	inv->devices[inv->ndevices].bdf = bdf;
	inv->devices[inv->ndevices].group = group;
	inv->requester[inv->ndevices] = alias == NO_ALIAS ? bdf : alias;
	inv->ndevices++;
	return group;
}

uint32_t pci_requester_id(uint32_t bdf)
{
	for (unsigned i = 0; inv && i < inv->ndevices; i++) {
		if (inv->devices[i].bdf == bdf)
			return inv->requester[i];
	}
	return bdf;
}

static void scan_bridge(uint32_t bdf, uint32_t group, uint32_t alias)
{
	unsigned secondary = pci_secondary_bus(bdf);
	int type = pcie_port_type(bdf);
	/* A conventional bus below: one group with the bridge. */
	bool conventional = type < 0 || type == PCIE_TYPE_PCIE_TO_PCI_BRIDGE;

	/* The first PCIe-to-PCI bridge on the way down names the alias. */
	if (type == PCIE_TYPE_PCIE_TO_PCI_BRIDGE && alias == NO_ALIAS)
		alias = PCI_BDF(secondary, 0, 0);
	if (secondary != 0 && bus_reachable(secondary))
		scan_bus(secondary, conventional ? group : NO_GROUP, alias);
}

static void scan_function(uint32_t bdf, uint32_t *device_group,
			  uint32_t inherited, uint32_t alias)
{
	uint32_t id = pci_read32(bdf, PCI_VENDOR);
	uint32_t class_rev = pci_read32(bdf, PCI_CLASS_REV);
	uint32_t group;

	group = add_function(
		bdf, inherited != NO_GROUP ? inherited : *device_group, alias);
	*device_group = group;
	hv_printf("pci: %02x:%02x.%x %04x:%04x class %06x group %u%s\n",
		  bdf >> 8, (bdf >> 3) & 31, bdf & 7, id & 0xffff, id >> 16,
		  class_rev >> 8, group,
		  alias != NO_ALIAS ? " (DMA as the bridge's alias)" : "");
	if ((class_rev >> 16) == CLASS_BRIDGE_PCI)
		scan_bridge(bdf, group, alias);
}

static void scan_bus(unsigned bus, uint32_t inherited, uint32_t alias)
{
	if (buses_seen[bus / 8] & (1u << (bus % 8)))
		return; /* firmware loops must not recurse forever */
	buses_seen[bus / 8] |= 1u << (bus % 8);
	for (unsigned dev = 0; dev < 32; dev++) {
		uint32_t group = NO_GROUP;
		unsigned nfn = 1;

		if ((pci_read32(PCI_BDF(bus, dev, 0), PCI_VENDOR) & 0xffff) ==
		    0xffff)
			continue;
		if (pci_read32(PCI_BDF(bus, dev, 0), PCI_HEADER_TYPE) &
		    (0x80u << 16))
			nfn = 8;
		for (unsigned fn = 0; fn < nfn; fn++) {
			uint32_t bdf = PCI_BDF(bus, dev, fn);

			if ((pci_read32(bdf, PCI_VENDOR) & 0xffff) != 0xffff)
				scan_function(bdf, &group, inherited, alias);
		}
	}
}

void pci_use_ecam(const struct pci_ecam *windows, unsigned nwindows)
{
	necam = 0;
	for (unsigned i = 0; i < nwindows && necam < PCI_MAX_ECAM; i++) {
		if (windows[i].segment == 0)
			ecam[necam++] = windows[i];
	}
}

void pci_scan(const struct pci_ecam *windows, unsigned nwindows,
	      struct pci_inventory *out)
{
	inv = out;
	out->ndevices = 0;
	out->ngroups = 0;
	for (unsigned i = 0; i < sizeof(buses_seen); i++)
		buses_seen[i] = 0; /* a second scan walks them again */
	pci_use_ecam(windows, nwindows);
	if (!necam) {
		hv_printf("pci: no ECAM window; no devices\n");
		return;
	}
	for (unsigned i = 0; i < necam; i++)
		scan_bus(ecam[i].start_bus, NO_GROUP, NO_ALIAS);
	hv_printf("pci: %u functions in %u isolation groups\n", out->ndevices,
		  out->ngroups);
}

void pci_set_mem_windows(const struct pci_mem_window *windows, unsigned n)
{
	nmem_windows = 0;
	for (unsigned i = 0; i < n && i < PCI_MAX_MEM_WINDOWS; i++)
		mem_windows[nmem_windows++] = windows[i];
}

/*
 * A BAR holds a PCI bus address; the CPU reaches it at the address the
 * host bridge's window maps it from (the device tree's ranges).  Without
 * windows (x86: the firmware's windows are identity) the two are equal.
 */
bool pci_bus_to_cpu(uint64_t bus_addr, uint64_t size, uint64_t *cpu)
{
	if (!nmem_windows) {
		*cpu = bus_addr;
		return true;
	}
	for (unsigned i = 0; i < nmem_windows; i++) {
		const struct pci_mem_window *w = &mem_windows[i];

		if (bus_addr < w->pci || bus_addr - w->pci >= w->size ||
		    size > w->size - (bus_addr - w->pci))
			continue;
		*cpu = w->cpu + (bus_addr - w->pci);
		return true;
	}
	return false;
}

/**
 * BAR0 of a function when it is a memory BAR the firmware (or
 * pci_assign()) placed: its CPU address and size (PCI Local Bus 3.0,
 * 6.2.5.1: write all ones, read back the size mask, restore).  Memory
 * decoding is off while it is sized.  The BAR holds a bus address,
 * translated through the host bridge's windows (pci_bus_to_cpu()).
 */
bool pci_bar0(uint32_t bdf, uint64_t *base, uint64_t *size)
{
	uint32_t cmd = pci_read32(bdf, 0x04), lo = pci_read32(bdf, 0x10);
	uint32_t hi = 0, mlo, mhi = 0xffffffffu;
	bool is64 = (lo & 0x6) == 0x4;

	if (lo & 1)
		return false; /* an I/O BAR */
	if (is64)
		hi = pci_read32(bdf, 0x14);
	pci_write32(bdf, 0x04, cmd & ~0x2u);
	pci_write32(bdf, 0x10, 0xffffffffu);
	mlo = pci_read32(bdf, 0x10) & ~0xfu;
	pci_write32(bdf, 0x10, lo);
	if (is64) {
		pci_write32(bdf, 0x14, 0xffffffffu);
		mhi = pci_read32(bdf, 0x14);
		pci_write32(bdf, 0x14, hi);
	}
	pci_write32(bdf, 0x04, cmd);
	uint64_t bus_addr = ((uint64_t)hi << 32) | (lo & ~0xfu);

	*size = ~(((uint64_t)mhi << 32) | mlo) + 1;
	return bus_addr && mlo && !(bus_addr & (*size - 1)) &&
	       pci_bus_to_cpu(bus_addr, *size, base);
}

/* PCIe Base 5.0, 7.6.3 extended capability header; 7.8.9.2 the PASID
 * Capability register's Max PASID Width (bits 12:8). */
#define PCI_EXT_CAP_START 0x100
#define PCI_EXT_CAP_PASID 0x001b
#define PCI_EXT_CAP_LIMIT 64 /* headers followed at most */

unsigned pci_pasid_width(uint32_t bdf)
{
	unsigned off = PCI_EXT_CAP_START;

	for (unsigned n = 0; n < PCI_EXT_CAP_LIMIT && off >= PCI_EXT_CAP_START;
	     n++) {
		uint32_t hdr = pci_read32(bdf, off);

		if (hdr == 0 || hdr == 0xffffffffu)
			return 0;
		if ((hdr & 0xffff) == PCI_EXT_CAP_PASID)
			return (pci_read32(bdf, off + 4) >> 8) & 0x1f;
		off = (hdr >> 20) & 0xffc;
	}
	return 0;
}
