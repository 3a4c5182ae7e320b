/* SPDX-License-Identifier: MIT */
/*
 * Page tables.  The hypervisor keeps the tables boot.S built (physmap and
 * kernel window with 2 MiB pages) minus the identity map and minus the
 * domain pool.  A domain's address space is a fresh PML4 whose upper half
 * points at those same hypervisor tables, which are supervisor-only
 * (U/S = 0 at every level, SDM Vol. 3A, 4.6.1), and whose lower half maps
 * only the domain's own memory, user-accessible.
 *
 * Execution: the physmap is no-execute as a whole (NX in its PML4 entry,
 * SDM Vol. 3A, 4.6.2), and the kernel window is cut down to the image's
 * own 2 MiB pages, so the only executable hypervisor mapping is the
 * image.  SMEP keeps domain pages out as well.
 */
#include <paddock/mem.h>
#include <asm/paging.h>
#include <asm/x86.h>

extern uint64_t boot_pml4[512];
extern uint64_t boot_pd[4 * 512];
extern uint64_t boot_pdpt_high[512];
extern uint64_t boot_pdpt_low[512];

#define PML4_PHYSMAP	   256
#define PDPT_KERNEL_WINDOW 510

#define ENTRIES		   512
#define LOWER_HALF_ENTRIES 256

static uint64_t *table_virt(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/* The boot tables live in the identity-mapped low image; reach them via
 * the physmap so that dropping the identity map is safe. */
static uint64_t *hv_pml4(void)
{
	return phys_to_virt((uint64_t)boot_pml4);
}

/* The kernel window's directory: the image's 2 MiB pages only. */
static uint64_t kernel_window_pd[ENTRIES] __attribute__((aligned(4096)));

void paging_init(uint64_t image_end_phys)
{
	const uint64_t *pd = phys_to_virt((uint64_t)boot_pd);
	uint64_t *pdpt = phys_to_virt((uint64_t)boot_pdpt_high);
	uint64_t pages =
		(image_end_phys + LARGE_PAGE_SIZE - 1) / LARGE_PAGE_SIZE;

	for (uint64_t i = 0; i < pages && i < ENTRIES; i++)
		kernel_window_pd[i] = pd[i];
	pdpt[PDPT_KERNEL_WINDOW] =
		virt_to_phys(kernel_window_pd) | PTE_P | PTE_RW;
	hv_pml4()[PML4_PHYSMAP] |= PTE_NX;
	hv_pml4()[0] = 0; /* the boot identity map */
	write_cr3(read_cr3());
}

uint64_t paging_hv_root(void)
{
	return (uint64_t)boot_pml4;
}

void paging_hide_range(uint64_t lo, uint64_t hi)
{
	uint64_t *pd = phys_to_virt((uint64_t)boot_pd);

	for (uint64_t a = lo; a < hi && a < PHYSMAP_SIZE; a += LARGE_PAGE_SIZE)
		pd[a / LARGE_PAGE_SIZE] = 0;
	write_cr3(read_cr3()); /* flush: SDM Vol. 3A, 4.10.4.1 */
}

static uint64_t new_table(void)
{
	void *t = pd_zalloc(PAGE_SIZE);

	return t ? virt_to_phys(t) : 0;
}

/* The physmap's page directory for the GiB at `gib`, made on demand
 * (above 4 GiB: boot.S mapped only the first four). */
static uint64_t *physmap_directory(uint64_t gib)
{
	uint64_t *pdpt = phys_to_virt((uint64_t)boot_pdpt_low);

	if (!(pdpt[gib] & PTE_P)) {
		uint64_t t = new_table();

		if (!t)
			return NULL;
		pdpt[gib] = t | PTE_P | PTE_RW;
	}
	return table_virt(pdpt[gib]);
}

void *paging_map_phys(uint64_t phys, uint64_t len, bool writable)
{
	const uint64_t *low_pd = phys_to_virt((uint64_t)boot_pd);
	uint64_t end, a;

	if (!len || phys >= PHYSMAP_REACH || len > PHYSMAP_REACH - phys)
		return NULL;
	end = phys + len;
	for (a = phys & ~(LARGE_PAGE_SIZE - 1); a < end; a += LARGE_PAGE_SIZE) {
		uint64_t *pd;

		if (a < PHYSMAP_SIZE) {
			/* boot.S's map; a hole is the domain pool */
			if (!(low_pd[a / LARGE_PAGE_SIZE] & PTE_P))
				return NULL;
			continue;
		}
		pd = physmap_directory(a >> 30);
		if (!pd)
			return NULL;
		/* SDM Vol. 3A, 4.5, Table 4-17: a 2 MiB page; no RW bit
		 * means read-only to the hypervisor too, under CR0.WP. */
		pd[(a >> 21) & 511] =
			a | PTE_P | PTE_PS |
			(writable ? PTE_RW : pd[(a >> 21) & 511] & PTE_RW);
	}
	write_cr3(read_cr3()); /* an RW bit may have been added */
	return phys_to_virt(phys);
}

uint64_t paging_new_space(void)
{
	uint64_t root = new_table();
	uint64_t *pml4, *hv = hv_pml4();

	if (!root)
		return 0;
	pml4 = phys_to_virt(root);
	for (unsigned i = LOWER_HALF_ENTRIES; i < ENTRIES; i++)
		pml4[i] = hv[i];
	return root;
}

/* The next-level table under entry *e, made on demand. */
static uint64_t *next_level(uint64_t *e, uint64_t table_flags)
{
	if (!(*e & (PTE_P | SLPTE_R | SLPTE_W))) {
		uint64_t t = new_table();

		if (!t)
			return NULL;
		*e = t | table_flags;
	}
	return table_virt(*e);
}

int paging_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t size,
	       uint64_t table_flags, uint64_t leaf_flags)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t v = va + off;
		uint64_t *t = phys_to_virt(root);

		for (unsigned shift = 39; shift > 12; shift -= 9) {
			t = next_level(&t[(v >> shift) & 511], table_flags);
			if (!t)
				return -1;
		}
		t[(v >> 12) & 511] = (pa + off) | leaf_flags;
	}
	return 0;
}

uint64_t *paging_leaf(uint64_t root, uint64_t va)
{
	uint64_t *t = phys_to_virt(root);

	for (unsigned shift = 39; shift > 12; shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];

		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		t = table_virt(e);
	}
	return &t[(va >> 12) & 511];
}

static void free_level(uint64_t table, unsigned level)
{
	uint64_t *t = phys_to_virt(table);

	if (level > 1) {
		for (unsigned i = 0; i < ENTRIES; i++) {
			if (t[i])
				free_level(t[i] & PTE_ADDR, level - 1);
		}
	}
	pd_free(t);
}

void paging_free_space(uint64_t root, bool shares_upper_half)
{
	uint64_t *pml4 = phys_to_virt(root);
	unsigned n = shares_upper_half ? LOWER_HALF_ENTRIES : ENTRIES;

	for (unsigned i = 0; i < n; i++) {
		if (pml4[i])
			free_level(pml4[i] & PTE_ADDR, 3);
	}
	pd_free(pml4);
}
