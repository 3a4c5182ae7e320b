/* SPDX-License-Identifier: MIT */
/*
 * 4-level paging (Intel SDM Vol. 3A, 4.5 "4-Level Paging"), the
 * hypervisor's own tables and per-domain address spaces.
 */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include <asm/layout.h>
#include <paddock/types.h>

#define PAGE_SIZE	4096ull
#define LARGE_PAGE_SIZE 0x200000ull

/* SDM Vol. 3A, 4.5, Tables 4-15..4-20: entry bits. */
#define PTE_P	 (1ull << 0)
#define PTE_RW	 (1ull << 1)
#define PTE_US	 (1ull << 2)
#define PTE_PWT	 (1ull << 3) /* with PCD: uncached (SDM Vol. 3A, 11.12.3) */
#define PTE_PCD	 (1ull << 4)
#define PTE_PS	 (1ull << 7)
#define PTE_NX	 (1ull << 63) /* needs EFER.NXE */
#define PTE_ADDR 0x000ffffffffff000ull

/* VT-d 3.x, 9.8 "Second-Level Paging Entries": read and write bits. */
#define SLPTE_R (1ull << 0)
#define SLPTE_W (1ull << 1)

static inline uint64_t virt_to_phys(const void *p)
{
	uint64_t v = (uint64_t)p;

	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PHYSMAP_BASE;
}

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(pa + PHYSMAP_BASE);
}

/**
 * Finishes the hypervisor tables: drops the boot identity map, makes the
 * physmap no-execute and the kernel window the image alone.
 */
void paging_init(uint64_t image_end_phys);

/** Unmaps [lo, hi) (2 MiB aligned) from the physmap: the domain pool. */
void paging_hide_range(uint64_t lo, uint64_t hi);

/* The physmap is PML4 entry 256: at most the first 512 GiB. */
#define PHYSMAP_REACH (512ull << 30)

/**
 * A hypervisor pointer to host-physical [phys, phys + len), at
 * phys_to_virt(phys), for memory that is neither the hypervisor's nor a
 * domain's: firmware tables.  Below 4 GiB that is boot.S's physmap, and
 * NULL when part of the range lies in the domain pool (removed from it).
 * Above, 2 MiB pages are added to the physmap, read-only unless
 * `writable`, no-execute like all of it; their directories come from the
 * heap.  NULL past PHYSMAP_REACH or when the heap is exhausted.
 */
void *paging_map_phys(uint64_t phys, uint64_t len, bool writable);

/** The hypervisor's own PML4, host-physical. */
uint64_t paging_hv_root(void);

/**
 * A new address space whose upper half is the hypervisor's (supervisor
 * only) and whose lower half is empty.  0 on allocation failure.
 */
uint64_t paging_new_space(void);

/**
 * Maps [va, va + size) to [pa, pa + size) in the 4-level tables at root,
 * with 4 KiB leaves.  Non-leaf entries get `table_flags`, leaves
 * `leaf_flags`.  0 or -1 when table memory runs out.
 */
int paging_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t size,
	       uint64_t table_flags, uint64_t leaf_flags);

/** The 4 KiB leaf entry for va, or NULL when a level is missing. */
uint64_t *paging_leaf(uint64_t root, uint64_t va);

/** Frees the tables of the lower half (and root itself). */
void paging_free_space(uint64_t root, bool shares_upper_half);

#endif
