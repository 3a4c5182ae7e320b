/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's RAM on x86_64 (memory.c): where the heap and the domain
 * pool go in the firmware's memory map, the low page kept for the
 * application processors, and the claims later boot code makes.
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include <asm/bootinfo.h>

/**
 * Prints the memory map in a compact form (one line per run of adjacent
 * entries of one kind), places the heap, the domain pool and the low page
 * (asm/memmap.h, memmap_layout()) and checks every claim against the map.
 * Fills the pool bounds and the heap base.  0, or -1 with a message.
 */
int x86_memory_init(const struct boot_info *bi, uint64_t image_end_phys,
		    uint64_t heap_bytes, uint64_t *heap_lo, uint64_t *pool_lo,
		    uint64_t *pool_hi);

/**
 * One 4 KiB page of RAM below 1 MiB for the application processors'
 * real-mode start-up trampoline (a SIPI's vector is the page number of
 * where the AP starts, SDM Vol. 3A, 11.6.1): its physical address, or 0
 * when the memory map (Multiboot v1 or 2, BIOS or UEFI) marks no whole
 * page below 1 MiB usable.
 *
 * The page is chosen once, at boot, before the heap and the domain pool
 * are placed: the highest page below 1 MiB that the map calls usable,
 * never page 0 (the real-mode interrupt vector table and BIOS data area
 * live there on a BIOS machine). It is claimed (asm/memmap.h), so nothing
 * else Paddock places, the heap, the domain pool, a test's RMRR page,
 * ever overlaps it, and the boot-time check of the claims covers it. The
 * page is not cleared and stays mapped in the physmap (writable,
 * no-execute there). Every call returns the same page: it is the AP
 * start-up's, one for the whole run.
 */
uint64_t x86_low_page_reserve(void);

/**
 * Takes [lo, hi) of free RAM (usable in the map, claimed by nothing) for
 * `what`, for as long as the machine runs.  0, or -1 if it is not free.
 */
int x86_memory_claim(uint64_t lo, uint64_t hi, const char *what);

/**
 * The lowest free [*lo, *lo + bytes) at or above `from` (page aligned),
 * claimed for `what`: 0, or -1 if there is none.  For test code that
 * needs RAM outside everything else (paddock.test=acpi-high).
 */
int x86_memory_claim_above(uint64_t from, uint64_t bytes, const char *what,
			   uint64_t *lo);

#endif
