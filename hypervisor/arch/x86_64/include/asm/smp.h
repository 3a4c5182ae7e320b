/* SPDX-License-Identifier: MIT */
/*
 * Starting the other CPUs (cpus.c, trampoline.S; docs/x86.md, "Every
 * CPU").  The boot CPU copies a real-mode trampoline into a page below
 * 1 MiB and sends each CPU INIT, then two start-up IPIs naming that page
 * (Intel SDM Vol. 3A, "MP Initialization Example", 8.4.4 in the editions
 * whose APIC chapter is 10; the APIC sections cited in apic.c are from the
 * later editions, where it is chapter 11 and this one 9.4.4).  The CPU
 * wakes in real mode at CS:IP = (page >> 4):0, and the trampoline takes
 * it through protected mode into long mode (SDM Vol. 3A, 9.8.5,
 * "Initializing IA-32e Mode") on tables that map the trampoline where it
 * is and the hypervisor's half as the hypervisor has it; x86_ap_start64
 * then loads the hypervisor's own CR3 and the CPU's stack.
 *
 * The parameter block below is shared with trampoline.S: its layout is
 * given by offsets, checked against the C struct.
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

/* Offsets into the trampoline's parameter block. */
#define TP_GDTR	  0  /* 16-bit limit, 32-bit base (LGDT operand) */
#define TP_PM32	  8  /* far pointer m16:32: 32-bit entry, selector */
#define TP_LM64	  16 /* far pointer m16:32: 64-bit entry, selector */
#define TP_CR3	  24 /* 32-bit: the trampoline's PML4 */
#define TP_HV_CR3 32 /* the hypervisor's own PML4 */
#define TP_STACK  40 /* the CPU's stack top (its block's end) */
#define TP_CPU	  48 /* its struct x86_cpu */
#define TP_SIZE	  56

/* The trampoline's GDT (trampoline.S). */
#define TRAMP_SEL_CODE32 0x08
#define TRAMP_SEL_DATA	 0x10
#define TRAMP_SEL_CODE64 0x18

#ifndef __ASSEMBLER__
#include <paddock/types.h>

struct x86_trampoline_params {
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint16_t pad0;
	uint32_t pm32_offset;
	uint16_t pm32_selector;
	uint16_t pad1;
	uint32_t lm64_offset;
	uint16_t lm64_selector;
	uint16_t pad2;
	uint32_t cr3;
	uint32_t pad3;
	uint64_t hv_cr3;
	uint64_t stack_top;
	uint64_t cpu;
} __attribute__((packed));

_Static_assert(__builtin_offsetof(struct x86_trampoline_params, gdt_limit) ==
		       TP_GDTR,
	       "trampoline.S");
_Static_assert(__builtin_offsetof(struct x86_trampoline_params, pm32_offset) ==
		       TP_PM32,
	       "trampoline.S");
_Static_assert(__builtin_offsetof(struct x86_trampoline_params, lm64_offset) ==
		       TP_LM64,
	       "trampoline.S");
_Static_assert(__builtin_offsetof(struct x86_trampoline_params, cr3) == TP_CR3,
	       "trampoline.S");
_Static_assert(__builtin_offsetof(struct x86_trampoline_params, hv_cr3) ==
		       TP_HV_CR3,
	       "trampoline.S");
_Static_assert(__builtin_offsetof(struct x86_trampoline_params, stack_top) ==
		       TP_STACK,
	       "trampoline.S");
_Static_assert(__builtin_offsetof(struct x86_trampoline_params, cpu) == TP_CPU,
	       "trampoline.S");
_Static_assert(sizeof(struct x86_trampoline_params) == TP_SIZE, "trampoline.S");

/* trampoline.S: the code and data copied to the low page, and labels in
 * it whose addresses in the copy the parameters name. */
extern char x86_trampoline_start[], x86_trampoline_end[];
extern char x86_trampoline_gdt[], x86_trampoline_pm32[], x86_trampoline_lm64[],
	x86_trampoline_params[];

struct x86_cpu;
struct hw_inventory;
struct acpi_info;

/**
 * Lists the CPUs of the MADT, the boot CPU first (at most CFG_MAX_CPUS);
 * prints what it leaves off.  After lapic_init().
 */
void x86_cpus_discover(const struct acpi_info *acpi);

/** What x86_cpus_discover() found, into the generic inventory. */
void x86_cpus_fill_inventory(struct hw_inventory *inv);

/**
 * Where started CPUs begin: the page the trampoline is copied to (from
 * x86_low_page_reserve()), or 0: no other CPU is started.
 */
void x86_cpus_set_trampoline(uint64_t page);

/** "paddock.test=hv-fault-ap": the started CPU that faults in hypervisor
 * mode once set up (0: none; setup.c). */
extern unsigned x86_test_fault_cpu;

/**
 * A started CPU's first C code (x86_ap_start64, on its own stack): its
 * CR0/CR4 features, descriptor tables, syscall MSRs, local APIC and
 * slice timer, then the generic secondary main.  Never returns.
 */
__attribute__((noreturn)) void x86_ap_main(struct x86_cpu *xc);

#endif

#endif
