/* SPDX-License-Identifier: MIT */
/*
 * Test checks for PASID calls, on top of test.h: each prints the call, the
 * XEN_E* result, the reason code and the hypervisor's text when it fails,
 * so that a FAIL line says what the hypervisor actually answered.
 */
#ifndef PADDOCK_GUEST_PASID_CHECK_H
#define PADDOCK_GUEST_PASID_CHECK_H

#include "guest.h"
#include "test.h"

int expect_ok_(const char *file, int line, const char *expr, long ret,
	       const struct pasid_why *why);
int expect_refused_(const char *file, int line, const char *expr, long ret,
		    const struct pasid_why *why, uint32_t reason);

/**
 * The XEN_E* result docs/abi.md ("Failures") pairs with a reason code, as a
 * negative number; 0 where the ABI leaves it to the IOMMU driver.
 */
long abi_errno_of(uint32_t reason);

/* `call` must succeed (return 0). */
#define EXPECT_OK(call, why)                                                   \
	((void)expect_ok_(__FILE__, __LINE__, #call, (call), (why)))
#define ASSERT_OK(call, why)                                                   \
	do {                                                                   \
		if (!expect_ok_(__FILE__, __LINE__, #call, (call), (why)))     \
			return;                                                \
	} while (0)

/*
 * `call` must fail with reason code `reason`, the XEN_E* result the ABI
 * pairs with it, and a non-empty one-line reason text.
 */
#define EXPECT_REFUSED(call, why, reason)                                      \
	((void)expect_refused_(__FILE__, __LINE__, #call, (call), (why),       \
			       (reason)))

/**
 * True when a BIND on a device the start information lists was refused
 * with NO_DEVICE: the hypervisor could not register the device (no IOMMU
 * driver serves it), so binding tests have nothing to run on.
 */
static inline int device_unserved(long ret, const struct pasid_why *why)
{
	return ret == -XEN_ENODEV && why->code == PADDOCK_PASID_R_NO_DEVICE;
}

/**
 * The parts of a domain's QUERY figures that a refused request must leave
 * alone: everything but the refusal counters (which count it) and the
 * fault counters (which DMA traffic moves, not requests).
 */
void expect_same_state_(const char *file, int line,
			const struct paddock_pasid_info *before,
			const struct paddock_pasid_info *after);
#define EXPECT_SAME_STATE(before, after)                                       \
	expect_same_state_(__FILE__, __LINE__, (before), (after))

/*
 * After an attack that should have been refused: QUERY must show exactly
 * `refused` more refusals and nothing else of ours moved
 * (EXPECT_SAME_STATE), and our PASID `mine` must still hold `cookie`.
 * The red-team guests (attacker, hostile) check every attack with it.
 */
void expect_unharmed_(const char *file, int line,
		      const struct paddock_pasid_info *before, uint32_t refused,
		      uint32_t mine, uint64_t cookie);

/* QUERY that must succeed; the test ends if it does not. */
#define QUERY_OR_RETURN(info)                                                  \
	do {                                                                   \
		struct pasid_why qwhy_;                                        \
		ASSERT_OK(pasid_query((info), &qwhy_), &qwhy_);                \
	} while (0)

/*
 * A hostile first-level table (docs/vtd.md, "First-level binds"): what a
 * guest would hand a first-level BIND if the IOMMU walked guest tables.
 * Fills pages[0..4] with 4-level IA-32e tables (VT-d 9.7): PML4 entry 0
 * maps every host-physical address below 512 GiB with 1-GiB pages (the
 * VT-d root table, the hypervisor, every domain), PML4 entry 1 maps the
 * host-physical page `victim` (another domain's memory) at
 * HOSTILE_FL_VICTIM_IOVA.  Table pointers are the pages' own addresses.
 * Returns the root, pages[0].
 */
#define HOSTILE_FL_PAGES       5
#define HOSTILE_FL_VICTIM_IOVA (1ull << 39)
uint64_t hostile_fl_table(uint64_t (*pages)[512], uint64_t victim);

#endif
