/* SPDX-License-Identifier: MIT */
/* "paddock.test=acpi-high": ACPI tables moved above 4 GiB (acpi_high.c). */
#ifndef ASM_ACPI_HIGH_H
#define ASM_ACPI_HIGH_H

#include <asm/bootinfo.h>

/**
 * Copies the XSDT and its tables into free RAM above 4 GiB and points the
 * loader's RSDP copy in `bi` at them, before acpi_init() reads them.
 * Prints what it did, or why it did nothing (then the run's own checks
 * of the XSDT's address fail).
 */
void x86_test_acpi_high(struct boot_info *bi);

#endif
