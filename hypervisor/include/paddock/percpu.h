/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU state.  Each CPU the hypervisor runs on has one struct percpu
 * (percpus[], index = the CPU's logical number, 0 = the boot CPU), with
 * its own run queue: a domain runs on one CPU only (domain_cfg.cpu), so
 * a domain's registers and its slice bookkeeping are only ever touched by
 * that CPU.  The calling CPU's struct is this_cpu(), which the arch
 * provides inline in <asm/percpu.h> (TPIDR_EL2 on aarch64, the per-CPU
 * stack block on x86_64); host builds, which have no asm/ directory on
 * their include path, use one pointer the test sets.
 */
#ifndef PADDOCK_PERCPU_H
#define PADDOCK_PERCPU_H

#include <paddock/types.h>
#include <stdatomic.h>

/* == CFG_MAX_CPUS and CFG_MAX_DOMAINS (config/config.h, which generic
 * headers do not include; core/boot/cpus.c checks). */
#define PERCPU_MAX_CPUS	   8
#define PERCPU_MAX_DOMAINS 32

struct domain;

struct percpu {
	struct domain *current; /* running now; NULL until the first runs */
	bool switch_wanted;	/* yield, timer or stop asked for another */
	unsigned id;		/* logical index into percpus[] */
	uint64_t hw_id;		/* x86: APIC ID; aarch64: MPIDR affinity */
	/* This CPU's round robin (core/boot/sched.c). */
	struct domain *queue[PERCPU_MAX_DOMAINS];
	unsigned nqueued, cur;
	atomic_uint state; /* enum cpu_state (core/boot/cpus.c) */
	void *arch;	   /* the arch's own per-CPU state */
};

/*
 * A CPU's life.  The boot CPU starts each other one and waits, bounded;
 * the started CPU moves STARTING -> ONLINE and the boot CPU, if it gives
 * up first, STARTING -> ABANDONED: one compare-and-swap each, so a CPU
 * that comes up too late never runs (its domains were already crashed).
 */
enum cpu_state { CPU_OFF, CPU_STARTING, CPU_ONLINE, CPU_ABANDONED };

/** True once c runs its scheduler (or is about to). */
static inline bool cpu_online(struct percpu *c)
{
	return atomic_load(&c->state) == CPU_ONLINE;
}

extern struct percpu percpus[PERCPU_MAX_CPUS];
/** CPUs the firmware listed, capped at CFG_MAX_CPUS (1 until known). */
extern unsigned cpus_found;

#if __has_include(<asm/percpu.h>)
#include <asm/percpu.h>
#else
/* Host tests: each thread is a CPU. */
extern _Thread_local struct percpu *host_this_cpu;
static inline struct percpu *arch_this_cpu(void)
{
	return host_this_cpu;
}
#endif

/** The calling CPU's state.  Inline: every hypercall asks. */
static inline struct percpu *this_cpu(void)
{
	return arch_this_cpu();
}

#endif
