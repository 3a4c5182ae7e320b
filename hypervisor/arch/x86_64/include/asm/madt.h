/* SPDX-License-Identifier: MIT */
/*
 * The CPUs of the MADT (ACPI 6.4, 5.2.12): which local APICs Paddock
 * starts, in which order.  Pure: it reads a table in memory and reports
 * through a function it is given, so the host tests run it on tables of
 * their own (tests/x86/test_madt.c), x2APIC entries included, which QEMU
 * 7.2 under TCG never produces.
 */
#ifndef ASM_MADT_H
#define ASM_MADT_H

#include <paddock/types.h>

/* ACPI 6.4, 5.2.12, Table 5.19: the interrupt controller structures. */
#define MADT_HEADER_BYTES 44 /* the common header, APIC address, flags */
#define MADT_TYPE_LAPIC	  0  /* 5.2.12.2, Table 5.21: 8 bytes */
#define MADT_TYPE_X2APIC  9  /* 5.2.12.12, Table 5.35: 16 bytes */
/* Table 5.22 (and 5.35 for x2APIC): Local APIC flags. */
#define MADT_CPU_ENABLED	(1u << 0)
#define MADT_CPU_ONLINE_CAPABLE (1u << 1) /* ACPI 6.3+, if not ENABLED */

struct madt_cpu_list {
	uint64_t ids[64]; /* APIC IDs; ids[0] is the boot CPU's */
	unsigned n;
	unsigned entries;     /* CPU entries in the table */
	unsigned disabled;    /* neither enabled nor online capable */
	unsigned duplicates;  /* an APIC ID listed before */
	unsigned unreachable; /* IDs an xAPIC-mode IPI cannot name */
	unsigned over_cap;    /* left off: more than `cap` */
};

/** How the list reports what it leaves off (hv_printf in the hypervisor). */
typedef void (*madt_say_fn)(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/**
 * Fills `out` from the MADT at `table` (`len` bytes, the header's length):
 * the boot CPU (`boot_id`, its own APIC ID) first whether or not the table
 * lists it, then every Processor Local APIC and Processor Local x2APIC
 * entry that is enabled or online capable, in table order, skipping IDs
 * already listed and, when `x2apic` is false, IDs above 0xFE, which an
 * xAPIC-mode IPI cannot address (8-bit destinations, 0xFF the broadcast).
 * At most `cap` (and at most the array's size) are kept.  Entries running
 * past the table's end are not read.
 */
void madt_cpus(const uint8_t *table, size_t len, uint32_t boot_id, bool x2apic,
	       unsigned cap, struct madt_cpu_list *out, madt_say_fn say);

#endif
