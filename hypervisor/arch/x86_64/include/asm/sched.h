/* SPDX-License-Identifier: MIT */
/*
 * Round-robin scheduling of domains on the one CPU Paddock uses.  The
 * hypervisor never blocks: every entry handles the event on the running
 * domain's entry frame and leaves into whichever domain should run next;
 * the frame is saved into the domain only when another one takes over.
 */
#ifndef ASM_SCHED_H
#define ASM_SCHED_H

#include <asm/trap.h>

struct arch_domain;

void sched_add(struct arch_domain *ad);
/* The domain running now; NULL until the first one starts.  Set only by
 * sched.c; read inline, as every hypercall asks. */
extern struct arch_domain *sched_running;

static inline struct arch_domain *sched_current(void)
{
	return sched_running;
}

/** Asks for another domain at the next exit (yield, timer, stop). */
void sched_request_switch(void);

/**
 * Fills f with the registers of the domain to run next.  f holds the
 * running domain's registers (its entry frame); they are saved into it
 * only when another domain takes its place.
 */
void sched_load_next(struct trap_frame *f);

/** Starts the first domain; never returns. */
__attribute__((noreturn)) void sched_start(void);

/** Called when no domain is left to run; never returns. */
__attribute__((noreturn)) void x86_all_domains_stopped(void);

#endif
