/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's side of the EFI hand-off (asm/efi.h): whether the EFI
 * stub started it, what the firmware told the stub, and the memory the
 * firmware keeps after ExitBootServices(), which memory_init (setup.c)
 * never gives to the heap or to domains.
 */
#include <paddock/hypercall.h>
#include <asm/efi.h>
#include <asm/platform.h>

/* In .data, not .bss: the Image entry clears .bss, and the stub wrote this
 * into the image before entering it.  Zero when another loader started
 * the Image. */
struct efi_handoff efi_handoff __attribute__((section(".data")));

static bool efi_booted(void)
{
	return efi_handoff.magic == EFI_HANDOFF_MAGIC;
}

/* UEFI 2.10, 7.2 EFI_MEMORY_TYPE. */
const char *efi_memory_type_name(uint32_t type)
{
	static const char *const names[] = {
		[EFI_RESERVED_MEMORY] = "reserved",
		[EFI_LOADER_CODE] = "loader code",
		[EFI_LOADER_DATA] = "loader data",
		[EFI_BOOT_SERVICES_CODE] = "boot services code",
		[EFI_BOOT_SERVICES_DATA] = "boot services data",
		[EFI_RUNTIME_SERVICES_CODE] = "runtime services code",
		[EFI_RUNTIME_SERVICES_DATA] = "runtime services data",
		[EFI_CONVENTIONAL_MEMORY] = "free",
		[EFI_UNUSABLE_MEMORY] = "unusable",
		[EFI_ACPI_RECLAIM_MEMORY] = "ACPI tables",
		[EFI_ACPI_MEMORY_NVS] = "ACPI NVS",
		[EFI_MEMORY_MAPPED_IO] = "MMIO",
		[EFI_MEMORY_MAPPED_IO_PORT_SPACE] = "MMIO port space",
		[EFI_PAL_CODE] = "PAL code",
		[EFI_PERSISTENT_MEMORY] = "persistent",
		[EFI_UNACCEPTED_MEMORY] = "unaccepted",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown type";
}

bool efi_kept_overlap(uint64_t lo, uint64_t hi)
{
	if (!efi_booted())
		return false;
	for (unsigned i = 0; i < efi_handoff.nkept; i++) {
		const struct efi_kept_range *r = &efi_handoff.kept[i];

		if (r->base < hi && lo < r->base + r->size)
			return true;
	}
	return false;
}

void efi_take_handoff(struct arm_platform *p)
{
	const struct efi_handoff *h = &efi_handoff;

	if (!efi_booted())
		return;
	hv_printf("arm64: started by the EFI stub: firmware %s rev %x "
		  "(UEFI %u.%02u), device tree from the EFI configuration "
		  "table\n",
		  h->firmware_vendor, h->firmware_revision,
		  h->uefi_revision >> 16, h->uefi_revision & 0xffff);
	if (h->boot_services_gone)
		hv_printf("arm64: EFI boot services exited: the system table "
			  "has no boot services or console any more\n");
	else
		hv_printf("arm64: EFI boot services still in the system table: "
			  "the firmware may still own devices and memory\n");
	hv_printf("arm64: EFI memory map: %u ranges the firmware keeps after "
		  "ExitBootServices, never given out%s\n",
		  h->nkept,
		  h->kept_merged ? " (more, folded into their neighbours)"
				 : "");
	for (unsigned i = 0; i < h->nkept; i++)
		hv_printf("arm64:   %016lx-%016lx %s\n", h->kept[i].base,
			  h->kept[i].base + h->kept[i].size - 1,
			  efi_memory_type_name(h->kept[i].type));
	if (h->cmdline[0]) {
		size_t n = 0;

		while (h->cmdline[n] && n + 1 < sizeof(p->bootargs)) {
			p->bootargs[n] = h->cmdline[n];
			n++;
		}
		p->bootargs[n] = '\0';
		hv_printf("arm64: command line from the EFI stub: %s\n",
			  p->bootargs);
	}
}
