/* SPDX-License-Identifier: MIT */
/*
 * this_cpu() on aarch64 (paddock/percpu.h): TPIDR_EL2 holds the CPU's
 * struct percpu, set before any C that asks (setup.c for the boot CPU,
 * cpus.c for the others).  No EL1 or EL0 access can reach TPIDR_EL2
 * (Arm ARM D13.2.141), so a domain cannot point it elsewhere.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

static inline struct percpu *arch_this_cpu(void)
{
	struct percpu *c;

	__asm__("mrs %0, tpidr_el2" : "=r"(c));
	return c;
}

#endif
