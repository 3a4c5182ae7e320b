/* SPDX-License-Identifier: MIT */
/*
 * Multiboot v1 boot information, the parts Paddock reads (Multiboot
 * Specification 0.6.96, 3.3 "Boot information format").
 */
#ifndef ASM_MULTIBOOT_H
#define ASM_MULTIBOOT_H

#include <paddock/types.h>

#define MB_INFO_MEMORY	  (1u << 0)
#define MB_INFO_CMDLINE	  (1u << 2)
#define MB_INFO_MMAP	  (1u << 6)
#define MB_MMAP_AVAILABLE 1
#define MB_MMAP_RESERVED  2

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

/* 3.3: `size` does not count itself; entries are size + 4 bytes apart. */
struct mb_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));

#define MEM_MAX_RANGES 32

/** RAM as the loader reported it, copied before the heap overwrites it. */
struct mem_range {
	uint64_t base, length;
	uint32_t type;
};

struct boot_memory {
	struct mem_range ranges[MEM_MAX_RANGES];
	unsigned nranges;
	char cmdline[128];
};

/** Copies what we need out of the info block; 0 or -1 with a message. */
int multiboot_read(uint64_t info_phys, struct boot_memory *out);

#endif
