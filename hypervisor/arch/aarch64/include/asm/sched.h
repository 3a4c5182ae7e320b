/* SPDX-License-Identifier: MIT */
/* The aarch64 side of scheduling and the arch's own hooks between files. */
#ifndef ASM_SCHED_H
#define ASM_SCHED_H

#include <paddock/system.h>
#include <asm/sysreg.h>
#include <asm/trap.h>

/** Saves f into the leaving domain and loads the next one (sched.c). */
void sched_switch_domain(struct trap_frame *f);

/**
 * On the way out of EL2: switch domains if the scheduler says so, and
 * return to EL1 whatever the frame says, with its own interrupt masks
 * (they mask nothing of EL2's, D1.3.6).  Inline: every entry passes here.
 */
static inline void sched_load_next(struct trap_frame *f)
{
	if (sched_switch_due())
		sched_switch_domain(f);
	f->spsr = (f->spsr & ~(SPSR_MODE | SPSR_IL)) | SPSR_EL1H;
}

void aarch64_boot(uint64_t dtb_phys, uint64_t entry_sctlr);
void aarch64_note_first_hypercall(void);
void aarch64_print_interrupt_counts(void);

#endif
