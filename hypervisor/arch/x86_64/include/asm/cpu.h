/* SPDX-License-Identifier: MIT */
/*
 * Each CPU's own x86 state and stacks, in one block per CPU (layout
 * constants in asm/layout.h; docs/x86.md, "Every CPU").
 *
 * Finding it: every stack a CPU runs hypervisor code on is in its block,
 * which is aligned to its size, so RSP with the low bits cleared is the
 * block's start, where struct x86_cpu lies.  That holds on every path
 * into the hypervisor: an interrupt or exception from a domain switches
 * to TSS.RSP0, NMI, #DB, #DF and #MC to an IST stack of the CPU's own TSS
 * (SDM Vol. 3A, 6.14.5), the syscall entry of each CPU (its own LSTAR
 * stub) loads its own block's stack, and the boot code of each CPU runs
 * on that same stack.  Nothing a domain controls is involved: a GS base
 * would be, since a domain can load any data selector and the base only
 * stays the hypervisor's with SWAPGS on every crossing (and, for an NMI
 * or #MC that lands between SYSCALL and the SWAPGS, a check of which
 * base is loaded).
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <paddock/types.h>
#include <asm/desc.h>
#include <asm/layout.h>

struct percpu;
struct domain;

/*
 * Interrupts that arrived with no handler, per vector, and where (traps.c):
 * the end-of-run summary adds up every CPU's.  Only counted, never printed
 * where they happen: an NMI may arrive while this CPU holds the console
 * lock.
 */
struct x86_irq_counts {
	uint32_t stray[256];	       /* in service: acknowledged, ignored */
	const char *stray_during[256]; /* the domain that ran the last one */
	uint64_t stray_tsc[256];       /* when: the latest over all CPUs */
	uint32_t spurious;	       /* not in service: nothing to ack */
	uint32_t nmis;
	uint64_t nmi_rip, nmi_tsc;
};

struct x86_cpu {
	struct percpu *cpu;	    /* first: arch_this_cpu() reads it */
	uint64_t syscall_guest_rsp; /* CPU_SYSCALL_RSP_OFFSET: entry.S */
	unsigned id;		    /* logical index, 0: the boot CPU */
	uint32_t apic_id;
	/* SDM Vol. 3A, 3.5.1: the GDT is per CPU because the TSS descriptor
	 * in it is (LTR marks it busy, 7.2.2). */
	uint64_t gdt[8] __attribute__((aligned(16)));
	struct tss64 tss __attribute__((aligned(16)));
	struct x86_irq_counts irq;
};

_Static_assert(__builtin_offsetof(struct x86_cpu, cpu) == 0,
	       "asm/percpu.h reads the block's first word");
_Static_assert(__builtin_offsetof(struct x86_cpu, syscall_guest_rsp) ==
		       CPU_SYSCALL_RSP_OFFSET,
	       "entry.S saves the domain's RSP there");

struct x86_cpu_block {
	union {
		struct x86_cpu cpu;
		uint8_t header[CPU_HEADER_SIZE];
	};
	uint8_t nmi_stack[CPU_IST_STACK_SIZE];
	uint8_t debug_stack[CPU_IST_STACK_SIZE];
	uint8_t critical_stack[CPU_IST_STACK_SIZE];
	uint8_t trap_stack[CPU_TRAP_STACK_SIZE]; /* top = the block's end */
};

_Static_assert(sizeof(struct x86_cpu) <= CPU_HEADER_SIZE, "header fits");
_Static_assert(sizeof(struct x86_cpu_block) == CPU_BLOCK_SIZE,
	       "one block per CPU_BLOCK_SIZE");

/* Every CPU's block, index = logical CPU number (cpus.c). */
extern struct x86_cpu_block x86_cpu_blocks[X86_MAX_CPUS];

/**
 * The calling CPU's state.  Not volatile: the result is the same wherever
 * in its block RSP points, so the compiler may reuse it.
 */
static inline struct x86_cpu *this_x86_cpu(void)
{
	uint64_t sp;

	__asm__("mov %%rsp, %0" : "=r"(sp));
	return (struct x86_cpu *)(sp & ~(uint64_t)(CPU_BLOCK_SIZE - 1));
}

/** The top of CPU `xc`'s trap stack: TSS.RSP0 and its syscall stack. */
static inline uint64_t x86_cpu_stack_top(const struct x86_cpu *xc)
{
	return (uint64_t)xc + CPU_BLOCK_SIZE;
}

/**
 * Prepares CPU `id`'s block before the CPU runs on it: its number, APIC
 * ID and generic state, which then points back at the block (pc->arch).
 */
struct x86_cpu *x86_cpu_block_init(unsigned id, uint32_t apic_id,
				   struct percpu *pc);

#endif
