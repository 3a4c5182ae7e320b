/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU state, reached only through this_cpu().  Paddock runs on one
 * CPU today; bringing up more changes this_cpu() (a per-CPU base register,
 * GS on x86_64, TPIDR_EL2 on aarch64) and nothing else.
 */
#ifndef PADDOCK_PERCPU_H
#define PADDOCK_PERCPU_H

#include <paddock/types.h>

struct domain;

struct percpu {
	struct domain *current; /* running now; NULL until the first runs */
	bool switch_wanted;	/* yield, timer or stop asked for another */
	unsigned id;		/* this CPU's index */
};

extern struct percpu percpu_boot_cpu;

/** The calling CPU's state.  Inline: every hypercall asks. */
static inline struct percpu *this_cpu(void)
{
	return &percpu_boot_cpu;
}

#endif
