/* SPDX-License-Identifier: MIT */
/*
 * What Paddock takes from the ACPI tables: the local APIC (MADT), PCI
 * ECAM windows (MCFG) and the DMA remapping units (DMAR).  The DMAR part
 * is what the VT-d driver starts from: each DRHD's register base and
 * device scopes, and the RMRRs that must stay identity-mapped.
 *
 * References: ACPI 6.4, 5.2.5 (RSDP), 5.2.6 (header), 5.2.7/5.2.8
 * (RSDT/XSDT), 5.2.12 (MADT); PCI Firmware Specification 3.3, 4.1.2
 * (MCFG); Intel VT-d Specification 4.x, chapter 8 (DMAR).
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <paddock/types.h>

#define ACPI_MAX_DRHD	8
#define ACPI_MAX_RMRR	8
#define ACPI_MAX_SCOPES 16
#define ACPI_MAX_PATH	4

/* VT-d 8.3.1, Table 8-11: device scope entry types. */
enum dmar_scope_type {
	DMAR_SCOPE_PCI_ENDPOINT = 1,
	DMAR_SCOPE_PCI_SUBHIERARCHY = 2,
	DMAR_SCOPE_IOAPIC = 3,
	DMAR_SCOPE_HPET = 4,
	DMAR_SCOPE_ACPI_NAMESPACE = 5,
};

/** A device scope: start bus and the (device, function) hops under it. */
struct dmar_scope {
	uint8_t type;
	uint8_t enumeration_id;
	uint8_t start_bus;
	uint8_t npath;
	struct {
		uint8_t dev, fn;
	} path[ACPI_MAX_PATH];
};

/** VT-d 8.3: one DMA remapping hardware unit. */
struct dmar_drhd {
	uint64_t reg_base;
	uint16_t segment;
	bool include_pci_all; /* flags bit 0: every device not scoped elsewhere
			       */
	unsigned nscopes;
	struct dmar_scope scopes[ACPI_MAX_SCOPES];
};

/** VT-d 8.4: memory a device's firmware keeps using (identity-map it). */
struct dmar_rmrr {
	uint64_t base, limit; /* inclusive limit */
	uint16_t segment;
	unsigned nscopes;
	struct dmar_scope scopes[ACPI_MAX_SCOPES];
};

struct acpi_info {
	const char *rsdp_from;	/* "multiboot2 tag 15", "the BIOS scan", ... */
	unsigned acpi_revision; /* the RSDP's */
	const char *root_name;	/* "XSDT", "RSDT" or "no root table" */
	/* MADT */
	const uint8_t *madt; /* the table in place (physmap), or NULL */
	uint32_t madt_len;
	uint64_t lapic_phys;
	unsigned ncpus; /* CPU entries enabled or online capable */
	unsigned nioapics;
	/* MCFG: the segment 0 window */
	bool have_ecam;
	uint64_t ecam_phys;
	uint8_t ecam_start_bus, ecam_end_bus;
	/* DMAR */
	bool have_dmar;
	uint8_t dmar_haw;   /* host address width - 1, VT-d 8.1 */
	uint8_t dmar_flags; /* bit 0 INTR_REMAP, 1 X2APIC_OPT_OUT, 2 DMA_CTRL */
	unsigned ndrhd, nrmrr;
	struct dmar_drhd drhd[ACPI_MAX_DRHD];
	struct dmar_rmrr rmrr[ACPI_MAX_RMRR];
};

struct boot_info;

/**
 * Finds and parses the tables, printing what it found: from the RSDP the
 * loader copied (asm/bootinfo.h; Multiboot2 tag 15, else 14), else from
 * the BIOS areas' scan.  Tables are read wherever they are, above 4 GiB
 * too (paging_map_phys()).
 */
void acpi_init(const struct boot_info *bi, struct acpi_info *out);

/** The tables as parsed at boot (for drivers). */
const struct acpi_info *acpi_get(void);

/**
 * Appends an RMRR to the parsed tables (test images only: QEMU 7.2's DMAR
 * has none, test/testop.c adds a synthetic one before domains are built).
 * -1 when the table is full.
 */
int acpi_dmar_add_rmrr(const struct dmar_rmrr *r);

/** True when a DRHD scope names bus:dev.fn (endpoint or subhierarchy). */
bool dmar_scope_matches(const struct dmar_scope *s, uint32_t bdf);

#endif
