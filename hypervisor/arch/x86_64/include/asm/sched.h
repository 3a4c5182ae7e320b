/* SPDX-License-Identifier: MIT */
/*
 * Round-robin scheduling of domains on the one CPU Paddock uses.  The
 * hypervisor never blocks: every entry saves the running domain's frame,
 * handles the event, and leaves into whichever domain should run next.
 */
#ifndef ASM_SCHED_H
#define ASM_SCHED_H

#include <asm/trap.h>

struct arch_domain;

void sched_add(struct arch_domain *ad);
struct arch_domain *sched_current(void);

/** The running domain's registers, from an entry frame. */
void sched_save(const struct trap_frame *f);

/** Asks for another domain at the next exit (yield, timer, stop). */
void sched_request_switch(void);

/** Fills f with the registers of the domain to run next. */
void sched_load_next(struct trap_frame *f);

/** Starts the first domain; never returns. */
__attribute__((noreturn)) void sched_start(void);

/** Called when no domain is left to run; never returns. */
__attribute__((noreturn)) void x86_all_domains_stopped(void);

#endif
