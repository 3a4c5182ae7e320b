/* SPDX-License-Identifier: MIT */
/*
 * The generic part of a guest domain.  Arch code embeds it (or points to
 * it) and keeps its own state behind `arch`.
 */
#ifndef PADDOCK_DOMAIN_H
#define PADDOCK_DOMAIN_H

#include <paddock/types.h>

#define HCALL_COUNTERS 64

enum domain_state {
	DOMAIN_RUNNING = 0,
	DOMAIN_SHUTDOWN, /* asked to stop (sched_op shutdown) */
	DOMAIN_CRASHED,  /* destroyed by the hypervisor after a fault */
};

struct arch_domain;

struct domain {
	domid_t id;
	const char *name;
	bool privileged;
	enum domain_state state;
	unsigned shutdown_code; /* SHUTDOWN_* from xen/sched.h */
	uint64_t hypercalls[HCALL_COUNTERS]; /* served, by call number */
	uint64_t hypercall_errors;
	struct arch_domain *arch;
};

#endif
