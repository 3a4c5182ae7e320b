/* SPDX-License-Identifier: MIT */
/* The aarch64 side of scheduling and the arch's own hooks between files. */
#ifndef ASM_SCHED_H
#define ASM_SCHED_H

#include <asm/trap.h>

/** On the way out of EL2: switch domains if the scheduler says so, and
 * make sure the frame returns to EL1. */
void sched_load_next(struct trap_frame *f);

void aarch64_boot(uint64_t dtb_phys);
void aarch64_note_first_hypercall(void);
void aarch64_print_interrupt_counts(void);

#endif
