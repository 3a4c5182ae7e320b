/* SPDX-License-Identifier: MIT */
/*
 * The UEFI memory map's vocabulary (UEFI 2.10, 7.2), as both firmware
 * paths read it: x86's from GRUB's Multiboot2 tag 17 (multiboot2.c), the
 * aarch64 EFI stub's from GetMemoryMap() (efi_stub.c).  A spec's layout,
 * the same on every arch, so one copy.
 */
#ifndef PADDOCK_EFI_MEMORY_H
#define PADDOCK_EFI_MEMORY_H

#include <paddock/types.h>

/* 7.2 EFI_MEMORY_TYPE. */
enum efi_memory_type {
	EFI_RESERVED_MEMORY = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
};

/* 7.2 EFI_BOOT_SERVICES.GetMemoryMap(): EFI_MEMORY_DESCRIPTOR.  Its
 * stride is the map's descriptor size, which may grow beyond these 40
 * bytes. */
struct efi_memory_descriptor {
	uint32_t type; /* enum efi_memory_type */
	uint32_t pad;
	uint64_t physical_start; /* 4 KiB aligned */
	uint64_t virtual_start;
	uint64_t number_of_pages; /* 4 KiB pages */
	uint64_t attribute;
};

_Static_assert(sizeof(struct efi_memory_descriptor) == 40, "UEFI 7.2");

/* 7.2: memory attribute bits that make RAM not Paddock's. */
#define EFI_MEMORY_SP	   (1ull << 18) /* specific purpose: not general RAM */
#define EFI_MEMORY_RUNTIME (1ull << 63) /* runtime services need it mapped */

#define EFI_PAGE_SIZE 4096ull

#endif
