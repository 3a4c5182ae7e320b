/* SPDX-License-Identifier: MIT */
/*
 * this_cpu() on x86_64 (paddock/percpu.h): RSP rounded down to the
 * per-CPU block size is the calling CPU's block, whose first word points
 * at its struct percpu (asm/cpu.h says why this holds on every path into
 * the hypervisor, and why not a GS base).  Three instructions, no memory
 * a domain can write, no serializing instruction.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <paddock/types.h>
#include <asm/layout.h>

static inline struct percpu *arch_this_cpu(void)
{
	uint64_t sp;

	/* Not volatile: any RSP in the block gives the same answer. */
	__asm__("mov %%rsp, %0" : "=r"(sp));
	return *(struct percpu **)(sp & ~(uint64_t)(CPU_BLOCK_SIZE - 1));
}

#endif
