/* SPDX-License-Identifier: MIT */
/*
 * dmavictim: the dma domain's neighbour in the system dma-guest.
 * It holds two PASIDs of its own range, one bound to its own edu, for the
 * dma domain to meet: a live foreign PASID and a foreign device.  It posts
 * the bound PASID on the test image's board; the dma domain then makes
 * its own device emit that PASID (PADDOCK_TEST_STEER_ANY, what a device
 * on real hardware may do) and fault.  Those faults are the dma domain's:
 * this domain's fault counters and ring must not move while it waits for
 * the dma domain to say it is done (docs/design.md, "Fault routing").
 * Its own device does no DMA, so any fault charged here is a misroute.
 */
#include <string.h>

#include "pasid_check.h"
#include "testconf.h"

#define FAULT_BUF 16

static uint32_t held[2];
static struct paddock_pasid_info before;

static const struct paddock_start_info *si(void)
{
	return paddock_start_info;
}

/* Moves pending fault records out; how many there were. */
static uint32_t drain_faults(void)
{
	static struct paddock_pasid_fault buf[FAULT_BUF];
	struct pasid_why why;
	uint32_t n = 0, total = 0;

	do {
		n = 0;
		if (pasid_get_faults(buf, FAULT_BUF, &n, &why))
			break;
		total += n;
	} while (n);
	return total;
}

TEST(dmavictim, holds_a_bound_pasid)
{
	struct pasid_why why;

	ASSERT_GE(si()->ndevices, 1);
	ASSERT_OK(pasid_alloc(&held[0], &why), &why);
	ASSERT_OK(pasid_alloc(&held[1], &why), &why);
	ASSERT_OK(pasid_bind(held[0], si()->devices[0],
			     PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		  &why);
	EXPECT_EQ(drain_faults(), 0);
	QUERY_OR_RETURN(&before);
	EXPECT_EQ(before.bound, 1);
	ASSERT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_POST,
					     TESTCONF_SLOT_VICTIM_PASID,
					     held[0]),
		  0);
	test_note("posted bound PASID %u (and holds %u)", held[0], held[1]);
}

TEST(dmavictim, another_device_cannot_charge_our_pasid)
{
	struct paddock_pasid_info after;
	long done = -XEN_ENOENT;

	ASSERT_NE(held[0], 0);
	for (unsigned i = 0; i < TESTCONF_VICTIM_POLLS && done < 0; i++) {
		done = HYPERVISOR_paddock_test_op(PADDOCK_TEST_PEEK,
						  TESTCONF_SLOT_ATTACK_DONE, 0);
		if (done < 0)
			paddock_yield();
	}
	ASSERT_GE(done, 0); /* the dma domain is done */
	QUERY_OR_RETURN(&after);
	EXPECT_EQ(after.faults, before.faults);
	EXPECT_EQ(after.faults_foreign, before.faults_foreign);
	EXPECT_EQ(after.faults_suppressed, before.faults_suppressed);
	EXPECT_EQ(after.bound, 1);
	EXPECT_EQ(drain_faults(), 0);
	/* ... and its device did fault with our PASID meanwhile. */
	EXPECT_GE(done, 1);
	test_note("the dma domain saw %ld faults with PASID %u; ours stayed at "
		  "%u (%u foreign), ring empty",
		  done, held[0], after.faults, after.faults_foreign);
}
