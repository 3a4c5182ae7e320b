/* SPDX-License-Identifier: MIT */
/*
 * What the boot loader told us, whichever loader it was: Multiboot v1
 * (QEMU -kernel, GRUB `multiboot`; multiboot.c) or Multiboot2 (GRUB
 * `multiboot2`, on UEFI; multiboot2.c).  Both readers fill one struct
 * boot_info, copied out of the loader's data before the heap overwrites
 * it, so that setup.c, memmap.c and acpi.c never ask which loader ran.
 */
#ifndef ASM_BOOTINFO_H
#define ASM_BOOTINFO_H

#include <paddock/types.h>

/*
 * Memory map entries kept.  Not merged: every entry keeps its firmware
 * type, so that a message can name the firmware's own type.  OVMF hands
 * over about 130 EFI descriptors with 512 MiB; servers a few hundred.
 */
#define BOOT_MAX_RANGES	   512
#define BOOT_CMDLINE_BYTES 256
#define BOOT_RSDP_BYTES	   36 /* ACPI 6.4, 5.2.5.3: an ACPI 2.0+ RSDP */
#define BOOT_LOADER_BYTES  48

/** What a range may be used for, as Paddock sees it (memmap.c). */
enum mem_kind {
	MEM_USABLE,   /* free RAM: the heap and the domain pool come from it */
	MEM_RESERVED, /* reserved, or a type Paddock does not know */
	MEM_ACPI_RECLAIM, /* ACPI tables (kept: Paddock reads them) */
	MEM_ACPI_NVS,	  /* firmware's, across sleep states */
	MEM_FW_RUNTIME,	  /* EFI runtime services code or data */
	MEM_MMIO,	  /* EFI memory-mapped I/O or port space */
	MEM_BAD,	  /* unusable / bad RAM */
	MEM_PERSISTENT,	  /* persistent memory */
	MEM_KINDS
};

/** Where the memory map came from: its firmware types' meaning. */
enum mem_map_source {
	MAP_NONE,
	MAP_E820, /* Multiboot v1 mmap, or Multiboot2 tag 6: E820 types */
	MAP_EFI,  /* Multiboot2 tag 17: EFI_MEMORY_TYPE and attributes */
};

/** One memory map entry: [base, base + length). */
struct mem_range {
	uint64_t base, length;
	uint32_t kind;	  /* enum mem_kind */
	uint32_t fw_type; /* the E820 or EFI type as the firmware gave it */
};

struct boot_info {
	unsigned multiboot;		/* 1 or 2: which protocol entered us */
	char loader[BOOT_LOADER_BYTES]; /* the loader's name, if it gave one */
	char cmdline[BOOT_CMDLINE_BYTES];
	bool cmdline_truncated;

	enum mem_map_source map_source;
	unsigned map_tag;     /* Multiboot2 tag it came from (6, 17), or 0 */
	unsigned map_entries; /* entries the firmware's map had */
	bool map_truncated;   /* more than BOOT_MAX_RANGES: the rest dropped */
	unsigned nranges;
	struct mem_range ranges[BOOT_MAX_RANGES];

	/*
	 * The RSDP as the loader copied it (Multiboot2 tags 14 and 15 hold
	 * a copy, not a pointer): ACPI takes the new one first.
	 */
	uint8_t rsdp_new[BOOT_RSDP_BYTES];
	unsigned rsdp_new_bytes; /* 0: no tag 15 */
	uint8_t rsdp_old[20];
	unsigned rsdp_old_bytes; /* 0: no tag 14 */
};

/** E820 types (ACPI 6.4, 15.1, Table 15.1) to what Paddock may use. */
enum mem_kind e820_mem_kind(uint32_t type);

/** EFI memory types and attributes (UEFI 2.10, 7.2) to the same. */
enum mem_kind efi_mem_kind(uint32_t type, uint64_t attribute);

/** A short name for a kind ("usable", "ACPI NVS", ...). */
const char *mem_kind_name(enum mem_kind kind);

/** A short name for a firmware type of `source` ("EFI RT-data", ...). */
const char *mem_fw_type_name(enum mem_map_source source, uint32_t type);

/**
 * Appends [base, base + length) to the map.  Zero-length entries are
 * skipped; once BOOT_MAX_RANGES are held the rest are counted and
 * dropped (map_truncated): a usable range dropped is only memory not
 * used.  -1 when base + length wraps (a malformed map).
 */
int boot_add_range(struct boot_info *bi, uint64_t base, uint64_t length,
		   enum mem_kind kind, uint32_t fw_type);

/** Copies a NUL-terminated string of at most `max` bytes into cmdline. */
void boot_set_cmdline(struct boot_info *bi, const char *s, size_t max);

/** Multiboot v1 (asm/multiboot.h): 0, or -1 with a message printed. */
int multiboot_read(uint64_t info_phys, struct boot_info *out);

/** Multiboot2 (asm/multiboot2.h): 0, or -1 with a message printed. */
int multiboot2_read(uint64_t info_phys, struct boot_info *out);

#endif
