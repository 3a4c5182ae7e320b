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
 * ring): only domain_lock() hands one out (spinlock.h, docs/design.md
 * "Lock order").
 */
struct domain_locked {
	struct domain *d;
};

static inline struct domain_locked domain_lock(struct domain *d)
{
	spin_lock(&d->fault_lock);
	return (struct domain_locked){d};
}

static inline void domain_unlock(struct domain_locked *dl)
{
	spin_unlock(&dl->d->fault_lock);
	dl->d = NULL;
}

/** The domain a witness stands for, checked in test builds. */
static inline struct domain *domain_held(struct domain_locked dl)
{
	spin_assert_held(&dl.d->fault_lock);
	return dl.d;
}

#endif
