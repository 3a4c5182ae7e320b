/* SPDX-License-Identifier: MIT */
/*
 * The arch-neutral hypercall dispatcher.  Arch trap code decodes the
 * registers of its calling convention into (op, args[5]) and calls
 * hypercall_dispatch(); the result goes back in the return register.
 */
#ifndef PADDOCK_HYPERCALL_H
#define PADDOCK_HYPERCALL_H

#include <paddock/domain.h>
#include <paddock/pasid.h>

/** The system the dispatcher serves. */
struct hv_system {
	struct pasid_mgr *pasids;
	struct domain **domains; /* indexed by domain id */
	unsigned ndomains;
};

long hypercall_dispatch(struct hv_system *sys, struct domain *d, uint64_t op,
			const uint64_t args[5]);

/**
 * Stops a domain: parks and reclaims its PASIDs, marks it shut down or
 * crashed, and tells the arch.  `why` is printed for crashes.
 */
void domain_stop(struct hv_system *sys, struct domain *d,
		 enum domain_state state, unsigned code, const char *why);

/**
 * Files a DMA fault the IOMMU driver decoded: routes it through the PASID
 * manager's O(1) lookup and, when a running domain owns the PASID, keeps
 * the record for that domain's GET_FAULTS.  Returns the owner or
 * PASID_DOMID_NONE (free or parked PASID).
 */
domid_t hv_report_fault(struct hv_system *sys,
			const struct paddock_pasid_fault *fault);

/** The hypervisor's own log line, on the console. */
void hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
