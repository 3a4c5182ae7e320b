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

#define HV_MAX_SOURCES 256

/**
 * Who owns a DMA source: the id a fault record carries in `device` (the
 * requester ID on VT-d, which behind a PCIe-to-PCI bridge is the bridge's
 * alias shared by every function behind it; the StreamID on SMMUv3), and
 * the domain that owns the device(s) issuing requests with it.
 */
struct hv_source {
	uint32_t id;
	domid_t owner;
};

/** The system the dispatcher serves. */
struct hv_system {
	struct pasid_mgr *pasids;
	struct domain **domains; /* indexed by domain id */
	unsigned ndomains;
	/* Sorted by id; filled at boot by the arch (hv_source_add()), read
	 * without a lock when a fault is routed. */
	struct hv_source sources[HV_MAX_SOURCES];
	unsigned nsources;
	/* Routes every fault record the IOMMUs hold now to its domain
	 * (iommu_poll_faults(), set at boot; NULL: no IOMMU layer, as in
	 * the host tests).  GET_FAULTS calls it first, so that a domain is
	 * told of what its device did before it asked, whichever CPU's
	 * slice tick would have routed it. */
	void (*collect_faults)(void);
};

/** The system the dispatcher serves (one per machine). */
struct hv_system *hv_system(void);

long hypercall_dispatch(struct hv_system *sys, struct domain *d, uint64_t op,
			const uint64_t args[5]);

/**
 * Stops a domain: parks and reclaims its PASIDs, marks it shut down or
 * crashed, and tells the arch.  `why` is printed for crashes.
 */
void domain_stop(struct hv_system *sys, struct domain *d,
		 enum domain_state state, unsigned code, const char *why);

/**
 * Declares that DMA source `id` (what fault records carry in `device`)
 * belongs to domain `owner`.  Called by the arch at boot, for every
 * device it assigns, before any fault is routed; several devices may
 * share one source (functions behind one PCIe-to-PCI bridge), always of
 * one owner.  0; -XEN_EEXIST when the source has another owner already;
 * -XEN_ENOSPC when the table is full.
 */
int hv_source_add(struct hv_system *sys, uint32_t id, domid_t owner);

/** The owner of DMA source `id`, or DOMID_HYPERVISOR when no domain owns
 * it.  A binary search of at most HV_MAX_SOURCES entries; no lock. */
domid_t hv_source_owner(const struct hv_system *sys, uint32_t id);

/**
 * Files a DMA fault the IOMMU driver decoded.  It is routed by its source
 * and its PASID together (pasid_route_fault()): charged to the PASID's
 * owner only when that domain also owns the device it came from, else to
 * the device's owner as a fault on a foreign PASID (to the hypervisor's
 * set for a device no domain owns).  The record is kept for the charged
 * domain's GET_FAULTS, so a domain's ring holds only its own devices'
 * faults.  Returns the domain charged, DOMID_HYPERVISOR for a device no
 * domain owns, or PASID_DOMID_NONE when no running domain is charged
 * (suppressed on a parked PASID, or the device's domain has stopped).
 */
domid_t hv_report_fault(struct hv_system *sys,
			const struct paddock_pasid_fault *fault);
/**
 * Files a fault that concerns no PASID (a blocked interrupt request, VT-d
 * 5.1.4: fault->pasid 0, reason 0x20-0x2F) for the device's owner alone
 * (pasid_charge_device_fault()), in its counters and ring.  Same returns
 * as hv_report_fault().
 */
domid_t hv_report_device_fault(struct hv_system *sys,
			       const struct paddock_pasid_fault *fault);

/** The hypervisor's own log line, on the console. */
void hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
