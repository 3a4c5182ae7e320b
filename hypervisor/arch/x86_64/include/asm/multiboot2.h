/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 (Multiboot2 Specification version 2.0): the header constants
 * boot.S uses and the boot information layouts multiboot2.c reads.  The
 * reader is pure (no hypervisor state), so the host tests run it on
 * malformed blocks (tests/x86/test_multiboot2.c).
 */
#ifndef ASM_MULTIBOOT2_H
#define ASM_MULTIBOOT2_H

/* 3.1.2: the header's magic; 3.3: EAX on entry. */
#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386	 0 /* 32-bit protected mode */
#define MB2_BOOT_MAGIC	 0x36d76289

#ifndef __ASSEMBLER__
#include <asm/bootinfo.h>
#include <paddock/efi_memory.h>
#include <paddock/types.h>

/* 3.6.2 and following: the tag types Paddock reads or refuses. */
enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,	  /* 3.6.5 */
	MB2_TAG_LOADER_NAME = 2,  /* 3.6.9 */
	MB2_TAG_MMAP = 6,	  /* 3.6.8 */
	MB2_TAG_ACPI_OLD = 14,	  /* 3.6.16: a copy of the ACPI 1.0 RSDP */
	MB2_TAG_ACPI_NEW = 15,	  /* 3.6.17: a copy of the ACPI 2.0+ RSDP */
	MB2_TAG_EFI_MMAP = 17,	  /* 3.6.19 */
	MB2_TAG_EFI_BS_LIVE = 18, /* 3.6.20: boot services not terminated */
};

/* 3.6.1: the fixed part; tags follow, each 8-byte aligned. */
struct mb2_info_header {
	uint32_t total_size; /* bytes, this header and the end tag included */
	uint32_t reserved;
};

/* 3.6.2: every tag starts so; `size` counts this header, not padding. */
struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

/* 3.6.8: the memory map tag, then entry_size-byte entries. */
struct mb2_mmap_tag {
	struct mb2_tag tag;
	uint32_t entry_size; /* a multiple of 8, at least 24 */
	uint32_t entry_version;
};

struct mb2_mmap_entry {
	uint64_t base_addr;
	uint64_t length;
	uint32_t type; /* E820 types: 1 available, 3 ACPI, 4 NVS, 5 bad */
	uint32_t reserved;
};

/* 3.6.19: the EFI memory map tag, then descriptor_size-byte descriptors. */
struct mb2_efi_mmap_tag {
	struct mb2_tag tag;
	uint32_t descriptor_size;
	uint32_t descriptor_version;
};

_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "Multiboot2 3.6.8");

/* Largest boot information block Paddock reads (GRUB's is a few KiB). */
#define MB2_MAX_INFO_BYTES (1u << 20)

/**
 * Reads a Multiboot2 information block at `info`, of which `readable`
 * bytes may be read, into `out`.  Every tag walk is bounded by
 * total_size and `readable`, every tag's size and alignment checked, and
 * the end tag required.  0, or -1 with the reason in `why` (a full
 * sentence naming the offset and the field); nothing outside
 * [info, info + readable) is ever read.
 */
int mb2_parse(const void *info, uint64_t readable, struct boot_info *out,
	      char *why, size_t why_bytes);

#endif /* __ASSEMBLER__ */
#endif
