/* SPDX-License-Identifier: MIT */
/*
 * The translation-table walker (asm/mmu.h) and the hypervisor's own EL2
 * address space: the identity map of RAM and of the devices the device
 * tree names, with the image's sections at their permissions (W^X,
 * SCTLR_EL2.WXN).  The hypervisor runs at the physical address it was
 * loaded at, so the identity map is also its physmap.
 */
#include <paddock/mem.h>
#include <paddock/system.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>

#define ENTRIES 512

static uint64_t *table_va(uint64_t desc)
{
	return (uint64_t *)(uintptr_t)(desc & DESC_ADDR);
}

static uint64_t *new_table(void)
{
	return pd_zalloc(PAGE_SIZE);
}

int xlat_init(struct xlat *t, unsigned levels)
{
	uint64_t *root = new_table();

	if (!root)
		return -1;
	t->root = (uint64_t)(uintptr_t)root;
	t->levels = levels;
	return 0;
}

/* The size one entry of `level` maps (D8.2.7: 512 GiB, 1 GiB, 2 MiB, 4 KiB). */
static uint64_t level_size(unsigned level)
{
	return 1ull << (12 + 9 * (3 - level));
}

static unsigned level_index(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * (3 - level))) & (ENTRIES - 1);
}

static int map_level(uint64_t *table, unsigned level, uint64_t va, uint64_t pa,
		     uint64_t size, uint64_t attrs, bool blocks)
{
	while (size) {
		uint64_t span = level_size(level);
		uint64_t chunk = span - (va & (span - 1));
		uint64_t *e = &table[level_index(va, level)];

		if (chunk > size)
			chunk = size;
		if (level == 3) {
			if (!(*e & DESC_VALID))
				*e = (pa & DESC_ADDR) | attrs | DESC_PAGE;
		} else if (!(*e & DESC_VALID) && blocks && level >= 1 &&
			   chunk == span && !(pa & (span - 1))) {
			*e = (pa & DESC_ADDR) | attrs | DESC_BLOCK;
		} else if (!(*e & DESC_VALID) || (*e & 3) == DESC_TABLE) {
			if (!(*e & DESC_VALID)) {
				uint64_t *next = new_table();

				if (!next)
					return -1;
				*e = (uint64_t)(uintptr_t)next | DESC_TABLE;
			}
			if (map_level(table_va(*e), level + 1, va, pa, chunk,
				      attrs, blocks))
				return -1;
		} /* else a block already maps it: kept */
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

int xlat_map(struct xlat *t, uint64_t va, uint64_t pa, uint64_t size,
	     uint64_t attrs, bool blocks)
{
	return map_level(table_va(t->root), 4 - t->levels, va, pa, size, attrs,
			 blocks);
}

uint64_t *xlat_page(const struct xlat *t, uint64_t va)
{
	uint64_t *table = table_va(t->root);

	for (unsigned level = 4 - t->levels; level < 3; level++) {
		uint64_t e = table[level_index(va, level)];

		if ((e & 3) != DESC_TABLE)
			return NULL;
		table = table_va(e);
	}
	return &table[level_index(va, 3)];
}

static void free_level(uint64_t *table, unsigned level)
{
	for (unsigned i = 0; level < 3 && i < ENTRIES; i++) {
		if ((table[i] & 3) == DESC_TABLE)
			free_level(table_va(table[i]), level + 1);
	}
	pd_free(table);
}

void xlat_free(struct xlat *t)
{
	if (t->root)
		free_level(table_va(t->root), 4 - t->levels);
	t->root = 0;
}

#define CACHE_LINE 64

void dcache_clean_inval(const void *va, size_t len)
{
	uintptr_t p = (uintptr_t)va & ~(uintptr_t)(CACHE_LINE - 1);

	for (; p < (uintptr_t)va + len; p += CACHE_LINE)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb_sy();
}

void dcache_inval(const void *va, size_t len)
{
	uintptr_t p = (uintptr_t)va & ~(uintptr_t)(CACHE_LINE - 1);

	for (; p < (uintptr_t)va + len; p += CACHE_LINE)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	dsb_sy();
}

/* D13.2.97 MAIR_EL2: index 0 Normal write-back, 1 Device-nGnRE. */
#define MAIR_VALUE 0x04ffull
/* D13.2.131 TCR_EL2 (E2H == 0): T0SZ 16 (48-bit), IRGN0/ORGN0 write-back
 * write-allocate, SH0 inner, TG0 4 KiB, PS from PARange; RES1 31, 23. */
#define TCR_EL2_BASE                                                           \
	((1ull << 31) | (1ull << 23) | (16ull << 0) | (1ull << 8) |            \
	 (1ull << 10) | (3ull << 12))

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* The image first, at its sections' permissions; then everything else. */
static void map_hypervisor(struct xlat *t, const uint64_t (*ram)[2],
			   unsigned nram, const uint64_t (*dev)[2],
			   unsigned ndev)
{
	uint64_t text = addr(__image_start), text_end = addr(__text_end);
	uint64_t ro_end = addr(__rodata_end), end = addr(__image_end);
	int rc = 0;

	rc |= xlat_map(t, text, text, text_end - text, HV_NORMAL_RX, false);
	rc |= xlat_map(t, text_end, text_end, ro_end - text_end, HV_NORMAL_RO,
		       false);
	rc |= xlat_map(t, ro_end, ro_end, end - ro_end, HV_NORMAL_RW, false);
	for (unsigned i = 0; i < nram; i++)
		rc |= xlat_map(t, ram[i][0], ram[i][0], ram[i][1], HV_NORMAL_RW,
			       true);
	for (unsigned i = 0; i < ndev; i++)
		rc |= xlat_map(t, dev[i][0], dev[i][0], dev[i][1], HV_DEVICE,
			       true);
	if (rc)
		system_boot_failed("out of memory for the EL2 tables");
}

void mmu_init(const uint64_t (*ram)[2], unsigned nram, const uint64_t (*dev)[2],
	      unsigned ndev)
{
	static struct xlat hv;

	if (xlat_init(&hv, 4))
		system_boot_failed("out of memory for the EL2 tables");
	map_hypervisor(&hv, ram, nram, dev, ndev);
	/* The tables were written with the MMU and caches off: no stale
	 * line may shadow them once the walker looks in the caches. */
	dsb_sy();
	write_sysreg(mair_el2, MAIR_VALUE);
	write_sysreg(tcr_el2,
		     TCR_EL2_BASE | ((uint64_t)pa_range_field() << 16));
	write_sysreg(ttbr0_el2, hv.root);
	isb();
	__asm__ volatile("tlbi alle2\n dsb ish" ::: "memory");
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I |
					SCTLR_SA | SCTLR_WXN);
	isb();
}
