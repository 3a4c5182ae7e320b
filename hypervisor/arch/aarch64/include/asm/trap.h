/* SPDX-License-Identifier: MIT */
/*
 * An entry into EL2: the registers entry.S saved, and the C it calls.
 */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <paddock/types.h>

/** What entry.S saves on the EL2 stack; the layout is entry.S's. */
struct trap_frame {
	uint64_t x[31];
	uint64_t elr, spsr;
	uint64_t pad;
};
_Static_assert(sizeof(struct trap_frame) == 34 * 8, "entry.S layout");

/* Which vector was taken (entry.S passes it). */
enum trap_kind {
	TRAP_HV_SYNC = 0, /* from EL2: a bug of ours */
	TRAP_HV_IRQ = 1,
	TRAP_HV_SERROR = 3,
	TRAP_GUEST_SYNC = 4, /* from EL1/EL0 in AArch64 */
	TRAP_GUEST_IRQ = 5,
	TRAP_GUEST_FIQ = 6,
	TRAP_GUEST_SERROR = 7,
	TRAP_GUEST_AARCH32 = 8,
};

/** FP/SIMD registers, switched with the domain (sched.c). */
struct fpsimd_state {
	uint64_t q[64]; /* q0-q31, low half first */
	uint64_t fpsr, fpcr;
};

void aarch64_trap(struct trap_frame *f, unsigned kind);
/** Leaves EL2 into the frame (entry.S). */
__attribute__((noreturn)) void aarch64_enter_frame(struct trap_frame *f);
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

extern char aarch64_stack_top[];

#endif
