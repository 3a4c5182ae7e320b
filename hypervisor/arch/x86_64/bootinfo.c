/* SPDX-License-Identifier: MIT */
/*
 * The loader-neutral boot information (asm/bootinfo.h): firmware memory
 * types turned into what Paddock may do with the memory, conservatively,
 * and the helpers both Multiboot readers fill it with.  Pure: the host
 * tests link it (tests/x86/).
 */
#include <asm/bootinfo.h>
#include <asm/multiboot2.h>

/*
 * ACPI 6.4, 15.1, Table 15.1 (the E820 address range types): only
 * AddressRangeMemory (1) is free RAM.  Anything unknown is reserved.
 */
enum mem_kind e820_mem_kind(uint32_t type)
{
	switch (type) {
	case 1:
		return MEM_USABLE;
	case 3:
		return MEM_ACPI_RECLAIM;
	case 4:
		return MEM_ACPI_NVS;
	case 5:
		return MEM_BAD;
	case 7:
		return MEM_PERSISTENT;
	default:
		return MEM_RESERVED;
	}
}

/*
 * UEFI 2.10, 7.2 (EFI_MEMORY_TYPE, and the table "Memory Type Usage
 * after ExitBootServices()", which GRUB has called before entering us): loader
 * code and data, boot services code and data and conventional memory are free;
 * everything else stays the firmware's. Runtime services regions are used by
 * the firmware for as long as the machine runs, ACPI reclaim memory holds the
 * tables Paddock reads, NVS must survive, MMIO is not RAM, unaccepted memory
 * (confidential computing) cannot be touched before it is accepted.  A
 * descriptor with the RUNTIME attribute must stay mapped for the runtime
 * services and one with SP (specific purpose) is not general RAM, whatever its
 * type. Unknown and OEM or OS-vendor types (0x70000000 and up) are reserved.
 */
enum mem_kind efi_mem_kind(uint32_t type, uint64_t attribute)
{
	if (attribute & EFI_MEMORY_RUNTIME)
		return type == EFI_MEMORY_MAPPED_IO ||
				       type == EFI_MEMORY_MAPPED_IO_PORT_SPACE
			       ? MEM_MMIO
			       : MEM_FW_RUNTIME;
	switch (type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return attribute & EFI_MEMORY_SP ? MEM_RESERVED : MEM_USABLE;
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
	case EFI_PAL_CODE:
		return MEM_FW_RUNTIME;
	case EFI_UNUSABLE_MEMORY:
		return MEM_BAD;
	case EFI_ACPI_RECLAIM_MEMORY:
		return MEM_ACPI_RECLAIM;
	case EFI_ACPI_MEMORY_NVS:
		return MEM_ACPI_NVS;
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
		return MEM_MMIO;
	case EFI_PERSISTENT_MEMORY:
		return MEM_PERSISTENT;
	default: /* reserved, unaccepted, OEM, OS vendor, unknown */
		return MEM_RESERVED;
	}
}

const char *mem_kind_name(enum mem_kind kind)
{
	static const char *const names[MEM_KINDS] = {
		[MEM_USABLE] = "usable",
		[MEM_RESERVED] = "reserved",
		[MEM_ACPI_RECLAIM] = "ACPI tables",
		[MEM_ACPI_NVS] = "ACPI NVS",
		[MEM_FW_RUNTIME] = "firmware runtime",
		[MEM_MMIO] = "MMIO",
		[MEM_BAD] = "bad",
		[MEM_PERSISTENT] = "persistent",
	};

	return (unsigned)kind < MEM_KINDS ? names[kind] : "?";
}

const char *mem_fw_type_name(enum mem_map_source source, uint32_t type)
{
	static const char *const efi[] = {
		"EFI reserved",	    "EFI loader code",	"EFI loader data",
		"EFI BS code",	    "EFI BS data",	"EFI RT code",
		"EFI RT data",	    "EFI conventional", "EFI unusable",
		"EFI ACPI reclaim", "EFI ACPI NVS",	"EFI MMIO",
		"EFI MMIO port",    "EFI PAL code",	"EFI persistent",
		"EFI unaccepted",
	};
	static const char *const e820[] = {
		"E820 ?",   "E820 RAM",	     "E820 reserved", "E820 ACPI",
		"E820 NVS", "E820 unusable", "E820 disabled", "E820 persistent",
	};

	if (source == MAP_EFI)
		return type < ARRAY_SIZE(efi) ? efi[type] : "EFI other";
	return type < ARRAY_SIZE(e820) ? e820[type] : "E820 other";
}

int boot_add_range(struct boot_info *bi, uint64_t base, uint64_t length,
		   enum mem_kind kind, uint32_t fw_type)
{
	if (length && base + length - 1 < base)
		return -1;
	if (!length)
		return 0;
	if (bi->nranges == BOOT_MAX_RANGES) {
		bi->map_truncated = true;
		return 0;
	}
	bi->ranges[bi->nranges++] = (struct mem_range){
		.base = base,
		.length = length,
		.kind = kind,
		.fw_type = fw_type,
	};
	return 0;
}

void boot_set_cmdline(struct boot_info *bi, const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	bi->cmdline_truncated = n >= sizeof(bi->cmdline);
	if (n >= sizeof(bi->cmdline))
		n = sizeof(bi->cmdline) - 1;
	__builtin_memcpy(bi->cmdline, s, n);
	bi->cmdline[n] = 0;
}
