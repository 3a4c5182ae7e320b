/* SPDX-License-Identifier: MIT */
/*
 * Test-only code (hypervisor/test/): the boot-time DMA self-test
 * ("paddock.test=dma", dmatest.c) and the test-only hypercall
 * (include/public/paddock/test_op.h, testop.c).  A test system's image
 * links testop.c, every other image notest.c (docs/abi.md, "Test-only
 * hypercall"); the arch part of each is beside the arch's code.
 */
#ifndef PADDOCK_SELFTEST_H
#define PADDOCK_SELFTEST_H

#include <paddock/domain.h>
#include <paddock/types.h>
#include <config/config.h>

/** What the DMA self-test needs to know of a domain. */
struct dma_test_domain {
	struct domain *d;
	const struct domain_cfg *cfg;
	/* Its DMA window: a guest address in it is the same I/O-virtual
	 * address (PASID_ENTRY_SECOND_LEVEL through dma_root). */
	uint64_t window, window_bytes;
	uint64_t mem_phys; /* host-physical address of the window's start */
	hpaddr_t dma_root;
};

/** "paddock.test=dma": the checks, one "DMA TEST PASS|FAIL" line each. */
void dma_selftest(const struct dma_test_domain *domains, unsigned n);

/**
 * __HYPERVISOR_paddock_test_op from domain d, configured as cfg (test
 * images only: the arch calls it from its arch_test_op()).
 */
long test_op(struct domain *d, const struct domain_cfg *cfg,
	     const uint64_t args[5]);
/**
 * A DMA fault from requester `source` was routed to `owner` (the IOMMU
 * layer's fault routing calls it: test images count it for WATCH, the
 * others do nothing).
 */
void test_dma_fault(uint32_t source, bool pasid_valid, uint32_t pasid,
		    domid_t owner);
/** Whether d left a WATCH for the end of the run. */
bool test_watching(const struct domain *d);
/**
 * The run is over, d stopped: the WATCH checks.  `device_idle` says
 * whether its device's DMA engine went idle (the arch waited for it).
 */
void test_check_watch(struct domain *d, bool device_idle);

/**
 * Waits for an edu device's DMA engine (its BAR0 at host-physical
 * bar_phys, bar_size bytes mapped; 0: none) to go idle; false on a
 * timeout or without registers.
 */
bool test_edu_idle(uint64_t bar_phys, uint64_t bar_size);

/**
 * STEER's arch part (test images only): point the device's requests
 * without PASID at its bound PASID's entry.  x86: RID_PASID through the
 * layer.  Arm: the same, then the STE at the PASID's own CD[n] (the SMMU
 * driver's test-only redirect), so that the DMA proves the CD built at
 * index n, not a copy of it.
 */
int arch_test_steer(uint32_t bdf, uint32_t pasid);

struct hv_system;
/**
 * Every CPU has stopped and every domain with it, just before the summary
 * (core/boot/summary.c): test images check the PASID manager as a whole,
 * its invariants (pasid_check_invariants()) and that no domain holds a
 * PASID any more, one "PASID TEST PASS|FAIL" line each; other images do
 * nothing.
 */
void test_end_of_run(struct hv_system *sys);

/* What test code needs from the arch. */

/** A moment a few seconds from now, for polling a device. */
uint64_t arch_poll_deadline(void);
/** Whether the deadline passed; relaxes the CPU when it has not. */
bool arch_poll_expired(uint64_t deadline);
/**
 * The page of a reserved region a test image injected for `bdf` (a
 * synthetic VT-d RMRR on x86), identity-mapped in its owner's DMA tables.
 */
bool arch_test_rmrr_page(uint32_t bdf, uint64_t *page);

#endif
