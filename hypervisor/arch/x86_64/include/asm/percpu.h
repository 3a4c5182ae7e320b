/* SPDX-License-Identifier: MIT */
/* this_cpu() on x86_64 (paddock/percpu.h): one CPU until the others are
 * started (docs/x86.md). */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

static inline struct percpu *arch_this_cpu(void)
{
	extern struct percpu percpus[];

	return &percpus[0];
}

#endif
