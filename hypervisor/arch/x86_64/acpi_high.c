/* SPDX-License-Identifier: MIT */
/*
 * "paddock.test=acpi-high" (suite-x86-uefi): ACPI tables above 4 GiB.
 *
 * Firmware may put its tables anywhere, above 4 GiB too, where the boot
 * physmap does not reach; OVMF never does, so this test moves them there
 * itself before acpi_init() reads them.  It copies the XSDT and every
 * table the XSDT names into free RAM above 4 GiB (claimed, asm/memory.h),
 * points the copy's entries at the copies and the loader's RSDP copy at
 * the new XSDT, fixing both checksums (ACPI 6.4, 5.2.5.3 and 5.2.6).
 * acpi.c must then find the MADT, MCFG and DMAR there through the pages
 * paging_map_phys() adds, or the machine has no VT-d and the run fails.
 * Tables other tables point to (the FADT's DSDT and FACS) stay where
 * they were: Paddock does not read them.
 */
#include <asm/acpi_high.h>
#include <asm/console.h>
#include <asm/memory.h>
#include <asm/paging.h>
#include <asm/string.h>

#define FOUR_GIB	 0x100000000ull
#define MAX_MOVED_TABLES 64
#define HEADER_BYTES	 36 /* ACPI 6.4, 5.2.6, Table 5.4 */
#define MAX_TABLE_BYTES	 (1u << 20)

/* ACPI 6.4, 5.2.5.3, Table 5.3: field offsets in the RSDP. */
#define RSDP_XSDT	  24
#define RSDP_EXT_CHECKSUM 32
#define RSDP_LENGTH	  36
/* ACPI 6.4, 5.2.6, Table 5.4: in the header. */
#define HDR_LENGTH   4
#define HDR_CHECKSUM 9

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint8_t sum_bytes(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* A table's bytes, if its length is sane and its checksum right. */
static const uint8_t *table(uint64_t phys)
{
	const uint8_t *h = paging_map_phys(phys, HEADER_BYTES, false);
	uint32_t len;

	if (!h)
		return NULL;
	len = rd32(h + HDR_LENGTH);
	if (len < HEADER_BYTES || len > MAX_TABLE_BYTES ||
	    !paging_map_phys(phys, len, false) || sum_bytes(h, len))
		return NULL;
	return h;
}

static uint64_t align16(uint64_t v)
{
	return (v + 15) & ~15ull;
}

/* Copies the XSDT's tables to `dst` (mapped at `lo`), then the XSDT
 * after them with its entries rewritten; returns the new XSDT's address. */
static uint64_t copy_tables(const uint8_t *xsdt, unsigned n, uint8_t *dst,
			    uint64_t lo)
{
	uint64_t off = 0, moved[MAX_MOVED_TABLES];
	uint32_t xlen = rd32(xsdt + HDR_LENGTH);
	uint8_t *copy;

	for (unsigned i = 0; i < n; i++) {
		uint64_t phys;
		const uint8_t *t;

		memcpy(&phys, xsdt + HEADER_BYTES + 8 * i, 8);
		t = table(phys);
		moved[i] = t ? lo + off : phys; /* a bad one stays as it is */
		if (t) {
			memcpy(dst + off, t, rd32(t + HDR_LENGTH));
			off = align16(off + rd32(t + HDR_LENGTH));
		}
	}
	copy = dst + off;
	memcpy(copy, xsdt, HEADER_BYTES);
	memcpy(copy + HEADER_BYTES, moved, 8 * n);
	copy[HDR_CHECKSUM] = 0;
	copy[HDR_CHECKSUM] = (uint8_t)-sum_bytes(copy, xlen);
	return lo + off;
}

void x86_test_acpi_high(struct boot_info *bi)
{
	uint64_t xsdt_phys, bytes = 0, lo, new_xsdt;
	const uint8_t *xsdt;
	unsigned n;
	uint8_t *dst;

	if (bi->rsdp_new_bytes < RSDP_LENGTH ||
	    sum_bytes(bi->rsdp_new, RSDP_LENGTH)) {
		hv_printf("x86: test: acpi-high: no valid ACPI 2.0 RSDP from "
			  "the loader (multiboot2 tag 15): nothing moved\n");
		return;
	}
	memcpy(&xsdt_phys, bi->rsdp_new + RSDP_XSDT, 8);
	xsdt = table(xsdt_phys);
	n = xsdt ? (rd32(xsdt + HDR_LENGTH) - HEADER_BYTES) / 8 : 0;
	if (!xsdt || n > MAX_MOVED_TABLES ||
	    rd32(xsdt + HDR_LENGTH) != HEADER_BYTES + 8 * n) {
		hv_printf("x86: test: acpi-high: XSDT at %lx unusable: nothing "
			  "moved\n",
			  xsdt_phys);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t phys;
		const uint8_t *t;

		memcpy(&phys, xsdt + HEADER_BYTES + 8 * i, 8);
		t = table(phys);
		bytes += t ? align16(rd32(t + HDR_LENGTH)) : 0;
	}
	bytes = (bytes + rd32(xsdt + HDR_LENGTH) + PAGE_SIZE - 1) &
		~(PAGE_SIZE - 1);
	if (x86_memory_claim_above(FOUR_GIB, bytes, "test: ACPI tables", &lo) ||
	    !(dst = paging_map_phys(lo, bytes, true))) {
		hv_printf("x86: test: acpi-high: no free RAM above 4 GiB for "
			  "%lu bytes: nothing moved\n",
			  bytes);
		return;
	}
	new_xsdt = copy_tables(xsdt, n, dst, lo);
	memcpy(bi->rsdp_new + RSDP_XSDT, &new_xsdt, 8);
	bi->rsdp_new[RSDP_EXT_CHECKSUM] = 0;
	bi->rsdp_new[RSDP_EXT_CHECKSUM] =
		(uint8_t)-sum_bytes(bi->rsdp_new, RSDP_LENGTH);
	hv_printf("x86: test: acpi-high: XSDT and %u tables copied to "
		  "%lx-%lx, XSDT now at %lx\n",
		  n, lo, lo + bytes - 1, new_xsdt);
}
