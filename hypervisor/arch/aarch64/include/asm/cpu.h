/* SPDX-License-Identifier: MIT */
/* One aarch64 CPU's own state (cpus.c, boot.S). */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <paddock/types.h>

/*
 * What a secondary CPU's entry (boot.S, aarch64_secondary_entry) reads
 * with its MMU off: the offsets are boot.S's A64_CPU_* and must not move.
 */
struct a64_cpu {
	uint64_t stack_top; /* 0: its EL2 stack */
	uint64_t percpu;    /* 8: its struct percpu, into TPIDR_EL2 */
	uint64_t mair;	    /* 16: the boot CPU's EL2 regime */
	uint64_t tcr;	    /* 24 */
	uint64_t ttbr0;	    /* 32 */
	uint64_t sctlr;	    /* 40 */
};

void a64_cpu_boot_init(void);
/** The top of the calling CPU's EL2 stack. */
uint64_t a64_stack_top(void);
/** EL2's configuration of EL1 on the calling CPU (setup.c). */
void el2_init(void);

#endif
