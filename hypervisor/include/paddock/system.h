/* SPDX-License-Identifier: MIT */
/*
 * The system as a whole, built and run by hypervisor/core/boot on any
 * architecture: the PASID manager and the domains from the configuration,
 * the scheduler's policy, the end-of-run summary.  The arch's boot code
 * calls system_build() then system_start() (paddock/arch.h).
 */
#ifndef PADDOCK_SYSTEM_H
#define PADDOCK_SYSTEM_H

#include <paddock/arch.h>
#include <paddock/domain.h>
#include <paddock/percpu.h>

/* ---- Building the system (core/boot/system.c) ---- */

/** Hands [base, base + bytes) to the heap, with the corruption handler
 * that stops the machine. */
void system_heap_init(void *base, size_t bytes);

/**
 * Checks the configuration against the inventory, starts the PASID
 * manager, creates one set per domain, builds the domains and gives them
 * their devices.  Never returns on failure (system_boot_failed()).
 */
void system_build(const struct hw_inventory *inv);

/**
 * Starts the boot CPU's slice timer and every other CPU found, then the
 * boot CPU's first domain; never returns.
 */
__attribute__((noreturn)) void system_start(void);

/* ---- CPUs (core/boot/cpus.c) ---- */

/** Where a domain runs: its configured CPU, or the next of a round robin
 * over the CPUs found for CFG_CPU_ANY. */
struct percpu *system_cpu_for(const struct domain_cfg *cfg);

/** The boot CPU starts the others (arch_cpu_start()), crashing the
 * domains of any that does not come up, then lets them all run. */
void system_cpus_start(void);

/**
 * A started CPU, its own arch state set (stacks, traps, timer): marks it
 * online, waits for the boot CPU's go, runs its domains.  Never returns.
 */
__attribute__((noreturn)) void system_secondary_main(void);

/**
 * This CPU has nothing left to run (its domains stopped, or the run is
 * over).  The last CPU to get here prints the summary and ends the run
 * (system_all_stopped()); the others park (arch_cpu_park()), so the
 * summary is printed once, after every CPU has stopped.  Never returns.
 */
__attribute__((noreturn)) void cpu_finished(void);

/** CPUs running domains: the boot CPU and every one that came up. */
unsigned system_cpus_online(void);

/** Boot failed before any domain ran: says so and leaves. */
__attribute__((noreturn)) void system_boot_failed(const char *what);

/* ---- The end of the run (core/boot/summary.c) ---- */

/** No domain the run waits for is left: stops the rest, prints the
 * summary and exits with the verdict.  Never returns. */
__attribute__((noreturn)) void system_all_stopped(void);

/* ---- Domains (core/boot/domain.c) ---- */

/** A guest image embedded in the hypervisor (images.S, generated). */
struct guest_image {
	const char *name;
	const uint8_t *start;
	const uint8_t *end;
};

extern const struct guest_image guest_images[];
extern const unsigned guest_image_count;

const struct guest_image *guest_image_find(const char *name);

/**
 * Builds a domain from its configuration (core/boot/domain_build.c): the
 * generic struct domain, the arch's address space, the checked ELF image,
 * the start info page.  probe_other is another domain's memory, given to
 * the hostile tests.  NULL with a message.
 */
struct domain *domain_build(domid_t id, const struct domain_cfg *cfg,
			    uint64_t mem_phys, uint64_t probe_other);

/** Kills a domain after a fault it caused; `why` goes in the summary. */
void domain_crash(struct domain *d, const char *why);

/* ---- Scheduling policy (core/boot/sched.c) ---- */

/** Queues a built domain on CPU c for round-robin scheduling. */
void sched_add(struct domain *d, struct percpu *c);

/** A domain stopped: the run waits for one fewer (unless it never did). */
void sched_domain_ended(struct domain *d);

/** True while some domain the run waits for has not stopped. */
bool sched_awaited_left(void);

/** Asks for another domain at the next exit (yield, timer, stop). */
static inline void sched_request_switch(void)
{
	this_cpu()->switch_wanted = true;
}

/** True when the next exit must pick a domain: none runs yet, a switch
 * was asked for, or the running one stopped.  Inline: every exit asks. */
static inline bool sched_switch_due(void)
{
	struct percpu *c = this_cpu();

	return !c->current || c->switch_wanted || !c->current->runnable;
}

/**
 * Picks the domain to run next and makes it this CPU's current one,
 * counting its slice when it is another.  The arch then switches
 * registers and address space if the result differs from the domain that
 * ran.  When this CPU has nothing left to run, or no domain the run
 * waits for is left anywhere, finishes the CPU (cpu_finished()) instead
 * of returning.
 */
struct domain *sched_pick_next(void);

/**
 * sched_pick_next() for the arch's switch: the domain to load when it is
 * another than the one running (*leaving is then the one to save, NULL
 * before the first), else NULL: the running one goes on.
 */
struct domain *sched_next_other(struct domain **leaving);

#endif
