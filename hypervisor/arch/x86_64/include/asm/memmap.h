/* SPDX-License-Identifier: MIT */
/*
 * Placing the hypervisor's memory in the firmware's memory map, and
 * checking the result (memmap.c; pure, host-tested in tests/x86/).
 *
 * A byte is *free* when a usable entry of the map covers it (MEM_USABLE,
 * asm/bootinfo.h), no other entry does (an overlap of a usable and a
 * non-usable entry counts as not usable), and no claim holds it.  Every
 * piece of RAM Paddock takes (the image, the heap, the domain pool, the
 * low page) is a claim, placed in free memory only, and the claims are
 * checked once more, against the raw map, before anything is written.
 */
#ifndef ASM_MEMMAP_H
#define ASM_MEMMAP_H

#include <asm/bootinfo.h>

#define MEMMAP_MAX_CLAIMS 16

/** [lo, hi): a piece of RAM Paddock took, and for what. */
struct mem_claim {
	uint64_t lo, hi;
	const char *what;
};

struct memmap {
	const struct boot_info *bi;
	unsigned nclaims;
	struct mem_claim claims[MEMMAP_MAX_CLAIMS];
};

/** Whether every byte of [lo, hi) is free (above). */
bool memmap_is_free(const struct memmap *m, uint64_t lo, uint64_t hi);

/** Records [lo, hi) as taken for `what`; -1 when it is not free. */
int memmap_claim(struct memmap *m, uint64_t lo, uint64_t hi, const char *what);

/**
 * The lowest free [*lo, *lo + size) with *lo a multiple of `align`
 * (a power of two) inside [from, limit).  False when there is none.
 */
bool memmap_find_first(const struct memmap *m, uint64_t size, uint64_t align,
		       uint64_t from, uint64_t limit, uint64_t *lo);

/**
 * The largest free [*lo, *hi) inside [from, limit) whose ends are both
 * multiples of `align`.  False when no free piece holds one `align`.
 */
bool memmap_find_largest(const struct memmap *m, uint64_t align, uint64_t from,
			 uint64_t limit, uint64_t *lo, uint64_t *hi);

/** The highest free 4 KiB page inside [from, limit), or 0. */
uint64_t memmap_find_last_page(const struct memmap *m, uint64_t from,
			       uint64_t limit);

/**
 * Checks every claim against the map as the firmware gave it: wholly
 * inside usable entries, overlapping no entry of another kind and no
 * other claim.  0, or -1 with the first problem in `why` (which claim,
 * which firmware entry and its type).
 */
int memmap_check(const struct memmap *m, char *why, size_t why_bytes);

/** What the hypervisor asks of memory at boot (x86_memory_init()). */
struct memmap_request {
	uint64_t image_lo, image_hi; /* the loaded image, [lo, hi) */
	uint64_t heap_bytes;
	uint64_t limit; /* everything below this (the physmap's reach) */
};

/** Where it went. */
struct memmap_layout {
	uint64_t heap_lo, heap_hi;
	uint64_t pool_lo, pool_hi; /* 2 MiB aligned */
	uint64_t low_page;	   /* below 1 MiB, not page 0; 0 if none */
};

/**
 * Claims, in this order: the image; one low page for the application
 * processors' start-up (the highest free page below 1 MiB but page 0:
 * the real-mode trampoline must lie there, SDM Vol. 3A, 9.4.4.1 and
 * 11.6.1, SIPI vector); the heap, first fit at or after the image's end,
 * 2 MiB aligned; the domain pool, the largest free 2 MiB-aligned piece
 * left above 1 MiB.  Then memmap_check().  0, or -1 with why.
 */
int memmap_layout(struct memmap *m, const struct memmap_request *req,
		  struct memmap_layout *out, char *why, size_t why_bytes);

#endif
