/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 translation tables, 4 KiB granule (Arm ARM D8.3): the
 * hypervisor's own EL2 tables, each domain's stage-2 tables and each
 * domain's DMA tables (stage-1 format, walked by the SMMU) are all built
 * by the one walker in mmu.c; only the leaf attributes differ.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <paddock/types.h>

#define PAGE_SIZE 4096ull
#define BLOCK_2M  0x200000ull

/* D8.3.1 descriptor types (bits 1:0). */
#define DESC_VALID    (1ull << 0)
#define DESC_TABLE    (3ull << 0) /* levels 0-2 */
#define DESC_PAGE     (3ull << 0) /* level 3 */
#define DESC_BLOCK    (1ull << 0) /* levels 1-2 */
#define DESC_ADDR     0x0000fffffffff000ull
#define DESC_AF	      (1ull << 10)
#define DESC_SH_INNER (3ull << 8)

/* D8.4.1 stage-1 attributes: AttrIndx into MAIR (mmu.c sets MAIR_EL2),
 * AP[2:1], execute-never. */
#define S1_ATTR_NORMAL (0ull << 2)
#define S1_ATTR_DEVICE (1ull << 2) /* Device-nGnRE */
#define S1_AP_RW_ANY   (1ull << 6) /* AP[1]: EL0 too (a device's view) */
#define S1_AP_RO       (2ull << 6)
#define S1_PXN	       (1ull << 53)
#define S1_XN	       (1ull << 54) /* UXN at EL1&0, XN at EL2 */

/* D8.4.2 stage-2 attributes: MemAttr, S2AP, XN. */
#define S2_MEM_NORMAL_WB (0xfull << 2)
#define S2_MEM_DEVICE	 (0x1ull << 2) /* Device-nGnRE */
#define S2_AP_RO	 (1ull << 6)
#define S2_AP_WO	 (2ull << 6)
#define S2_AP_RW	 (3ull << 6)
#define S2_XN		 (1ull << 54)

/* Leaf attributes of each kind of mapping. */
#define HV_NORMAL_RW (S1_ATTR_NORMAL | DESC_SH_INNER | DESC_AF | S1_XN)
#define HV_NORMAL_RO (HV_NORMAL_RW | S1_AP_RO)
#define HV_NORMAL_RX (S1_ATTR_NORMAL | DESC_SH_INNER | DESC_AF | S1_AP_RO)
#define HV_DEVICE    (S1_ATTR_DEVICE | DESC_AF | S1_XN)
#define S2_RAM_RW                                                              \
	(S2_MEM_NORMAL_WB | DESC_SH_INNER | DESC_AF | S2_AP_RW | S2_XN)
#define S2_DEVICE_RW (S2_MEM_DEVICE | DESC_AF | S2_AP_RW | S2_XN)
#define DMA_RAM_RW                                                             \
	(S1_ATTR_NORMAL | DESC_SH_INNER | DESC_AF | S1_AP_RW_ANY | S1_XN |     \
	 S1_PXN)

/**
 * One set of tables.  levels = 4 starts the walk at level 0 (48-bit input,
 * EL2 and DMA tables), 3 at level 1 (39-bit input: stage 2, VTCR_EL2.SL0
 * = 1, one root page without concatenation).
 */
struct xlat {
	uint64_t root; /* physical address of the root table */
	unsigned levels;
};

/** A new, empty set of tables; 0, or -1 when the heap is out. */
int xlat_init(struct xlat *t, unsigned levels);
/**
 * Maps [va, va + size) to pa with `attrs` where nothing is mapped yet
 * (existing leaves are kept: the caller maps what needs finer pages
 * first).  Blocks where alignment allows and `blocks` is set.  0, or -1.
 */
int xlat_map(struct xlat *t, uint64_t va, uint64_t pa, uint64_t size,
	     uint64_t attrs, bool blocks);
/** The level-3 entry of va, or NULL (not mapped with pages). */
uint64_t *xlat_page(const struct xlat *t, uint64_t va);
/** Frees every table (not what they map). */
void xlat_free(struct xlat *t);

/** The hypervisor's EL2 tables: built by mmu_init(), then in use. */
void mmu_init(const uint64_t (*ram)[2], unsigned nram, const uint64_t (*dev)[2],
	      unsigned ndev);

/** Cache maintenance by VA to the point of coherency (D7.5.9). */
void dcache_clean_inval(const void *va, size_t len);
void dcache_inval(const void *va, size_t len);

#endif
