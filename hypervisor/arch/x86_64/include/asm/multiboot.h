/* SPDX-License-Identifier: MIT */
/*
 * Multiboot v1 boot information, the parts Paddock reads (Multiboot
 * Specification 0.6.96, 3.3 "Boot information format").  multiboot.c
 * turns it into struct boot_info (asm/bootinfo.h).
 */
#ifndef ASM_MULTIBOOT_H
#define ASM_MULTIBOOT_H

#include <paddock/types.h>

#define MB_BOOT_MAGIC 0x2badb002 /* 3.2: EAX on entry */

#define MB_INFO_MEMORY	    (1u << 0)
#define MB_INFO_CMDLINE	    (1u << 2)
#define MB_INFO_MMAP	    (1u << 6)
#define MB_INFO_LOADER_NAME (1u << 9)

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

/* 3.3: `size` does not count itself; entries are size + 4 bytes apart. */
struct mb_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t length;
	uint32_t type; /* E820 types */
} __attribute__((packed));

#endif
