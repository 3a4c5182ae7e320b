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

#define HCALL_COUNTERS	  64
#define DOMAIN_FAULT_RING 16

enum domain_state {
	DOMAIN_RUNNING = 0,
	DOMAIN_SHUTDOWN, /* asked to stop (sched_op shutdown) */
	DOMAIN_CRASHED,	 /* destroyed by the hypervisor after a fault */
};

struct arch_domain;

struct domain {
	domid_t id;
	const char *name;
	bool privileged;
	enum domain_state state;
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
	struct arch_domain *arch;
};

/**
 * Proof that the caller holds d->fault_lock (the state and the fault
 * ring): only domain_lock() hands one out, domain_unlock() spends it and
 * domain_held() checks it in test builds (spinlock.h, docs/design.md
 * "Lock order").
 */
SPIN_LOCK_WITNESS(domain_locked, struct domain, d, fault_lock, domain_lock,
		  domain_unlock, domain_held);

#endif
