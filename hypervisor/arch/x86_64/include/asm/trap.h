/* SPDX-License-Identifier: MIT */
/*
 * The register frame every entry into the hypervisor builds on its stack:
 * general registers pushed by entry.S, then the vector and error code,
 * then what the CPU pushes for an interrupt or exception in 64-bit mode
 * (Intel SDM Vol. 3A, 6.14.2 "64-Bit Mode Stack Frame").  A syscall entry
 * builds the same frame by hand, so one return path (iretq) serves all.
 */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <paddock/types.h>
#include <asm/layout.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector; /* IDT vector, or VEC_SYSCALL */
	uint64_t error;	 /* CPU error code, or 0 */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "entry.S layout");

/* Intel SDM Vol. 3A, Table 6-1: exception vectors. */
enum {
	EXC_DE = 0,
	EXC_DB = 1,
	EXC_NMI = 2,
	EXC_BP = 3,
	EXC_OF = 4,
	EXC_BR = 5,
	EXC_UD = 6,
	EXC_NM = 7,
	EXC_DF = 8,
	EXC_TS = 10,
	EXC_NP = 11,
	EXC_SS = 12,
	EXC_GP = 13,
	EXC_PF = 14,
	EXC_MF = 16,
	EXC_AC = 17,
	EXC_MC = 18,
	EXC_XM = 19,
	EXC_VE = 20,
	EXC_CP = 21,
	EXC_COUNT = 32,
};

/** C side of every entry (entry.S) but the native syscall's. */
void x86_trap(struct trap_frame *f);
/** C side of the native syscall entry: a hypercall (entry.S). */
void x86_syscall_trap(struct trap_frame *f);

/**
 * Fills f with the registers of the domain to run next (sched.c).  f
 * holds the running domain's registers (its entry frame); they are saved
 * into it only when another domain takes its place.
 */
void sched_load_next(struct trap_frame *f);

/**
 * A CPU's first entry into a domain (entry.S): moves RSP to `f` (the top
 * of its trap stack), has sched_load_next() fill it, leaves into it.
 */
__attribute__((noreturn)) void x86_start_on_frame(struct trap_frame *f);

extern char x86_vector_stubs[];
/* Each CPU's syscall entries, SYSCALL_STUB_SIZE apart (entry.S). */
extern char x86_syscall_stubs[];
extern char x86_compat_syscall_stubs[];

const char *exception_name(unsigned vector);
/** The end-of-run lines: stray interrupts per vector, NMIs, spurious. */
void x86_print_interrupt_counts(void);
void dump_frame(const struct trap_frame *f);

#endif
