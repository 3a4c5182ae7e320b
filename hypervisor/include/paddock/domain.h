/* SPDX-License-Identifier: MIT */
/*
 * The generic part of a guest domain.  Arch code embeds it (or points to
 * it) and keeps its own state behind `arch`.
 */
#ifndef PADDOCK_DOMAIN_H
#define PADDOCK_DOMAIN_H

#include <paddock/types.h>
#include <paddock/pasid_op.h>
#include <paddock/spinlock.h>
#include <paddock/start_info.h>

#define HCALL_COUNTERS	    64
#define DOMAIN_FAULT_RING   16
#define DOMAIN_CONSOLE_LINE 200

enum domain_state {
	DOMAIN_RUNNING = 0,
	DOMAIN_SHUTDOWN, /* asked to stop (sched_op shutdown) */
	DOMAIN_CRASHED,	 /* destroyed by the hypervisor after a fault */
};

struct arch_domain;
struct domain_cfg;

struct domain {
	domid_t id;
	const char *name;
	bool privileged;
	const struct domain_cfg *cfg; /* NULL in the host tests */
	enum domain_state state;
	bool runnable;		  /* the scheduler may pick it */
	bool ended_by_hypervisor; /* runs_forever, stopped at the end */
	uint64_t slices;	  /* times it was scheduled in */
	unsigned cpu;		  /* the CPU that runs it (percpus[]) */
	char why[96];		  /* crash reason, for the summary */
	/* Console output up to the next newline (core/boot/domain.c). */
	char line[DOMAIN_CONSOLE_LINE];
	size_t line_len;
	unsigned shutdown_code;		     /* SHUTDOWN_* from xen/sched.h */
	uint64_t hypercalls[HCALL_COUNTERS]; /* served, by call number */
	uint64_t hypercall_errors;
	/* DMA faults routed to this domain, oldest first (GET_FAULTS). */
	struct spinlock
		fault_lock; /* the ring: IOMMU interrupt vs GET_FAULTS */
	struct paddock_pasid_fault fault_ring[DOMAIN_FAULT_RING];
	unsigned fault_first, fault_count;
	uint64_t faults_dropped; /* ring was full */
	/* The domain's PASID figures as they stood when it stopped (its set
	 * is gone from LIST once torn down). */
	struct paddock_pasid_info final_pasids;
	/* Where the arch mapped each assigned device's registers (BAR0) for
	 * the domain: guest address, host-physical address, bytes (0: none);
	 * the start info and the test code read them. */
	struct {
		uint64_t addr, phys;
		uint32_t size;
	} dev_regs[PADDOCK_START_MAX_DEVICES]; /* == CFG_MAX_DEVICES */
	struct arch_domain *arch;
};

/**
 * [addr, addr + len) lies inside a domain's guest window [base, base +
 * bytes), without wrap-around (an empty range may sit at its very end).
 * Every arch's guest copies check this first (paddock/arch.h).  Inline:
 * every hypercall that touches guest memory asks.
 */
static inline bool guest_window_holds(uint64_t base, uint64_t bytes,
				      uint64_t addr, size_t len)
{
	uint64_t end = base + bytes; /* windows never wrap (arch-built) */

	if (addr < base || addr >= end)
		return len == 0 && addr == end;
	return len <= end - addr;
}

/*
 * What core/domain.c and core/hypercall.c ask of the running system:
 * core/boot implements them on the hypervisor, the host tests' fake
 * (tests/support/fake_arch.c) in their place.
 */
/** console_io write: out a line at a time, prefixed with its name. */
void domain_console_write(struct domain *d, const char *buf, size_t len);
/** sched_op yield: a reschedule at the next exit (it may return at once,
 * the switch happening when the hypercall returns; the guest cannot
 * tell). */
void domain_yield(struct domain *d);
/**
 * The domain has stopped (shutdown or crash), after generic teardown
 * (PASIDs parked): its devices are quiesced, its last console line
 * flushed, and the scheduler stops picking it.  May not return to a
 * hypercall of d's own: the switch happens when the hypercall returns.
 */
void domain_stopped(struct domain *d);

/*
 * Proof that the caller holds d->fault_lock (the state and the fault
 * ring): only domain_lock() hands one out, domain_unlock() spends it and
 * domain_held() checks it in test builds (spinlock.h, docs/design.md
 * "Lock order").
 */
SPIN_LOCK_WITNESS(domain_locked, struct domain, d, fault_lock, domain_lock,
		  domain_unlock, domain_held);

#endif
