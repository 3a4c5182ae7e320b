/* SPDX-License-Identifier: MIT */
/*
 * linger: a privileged domain that waits, yielding, until domain 0 is gone
 * (its PASID set leaves LIST), stays about a second more, then powers off.
 * In suite-x86-irq domain 0 is the storm, which powers off with a DMA into
 * the interrupt window still pending on its device (irqstorm's parting
 * shot): lingering keeps domains running, interrupts on, past the DMA's
 * moment, so that had the teardown not quiesced the device its interrupt
 * would be taken then and counted as a stray.
 */
#include <stdbool.h>

#include "edu.h" /* guest_cycles() */
#include "guest.h"
#include "pasid_check.h"
#include "test.h"

#define MAX_SETS   8
#define MAX_ROUNDS 2000000u

/* About a second of TSC ticks on these machines (x86-irq is an x86
 * system; on aarch64's 62.5 MHz generic timer it would be far longer);
 * edu runs a DMA 100 ms after its command. */
#define LINGER_TICKS 3000000000ull

static bool domain0_listed(void)
{
	struct paddock_pasid_info sets[MAX_SETS];
	struct pasid_why why;
	uint32_t count = 0;

	if (pasid_list(sets, MAX_SETS, &count, &why) < 0)
		return false;
	for (uint32_t i = 0; i < count && i < MAX_SETS; i++)
		if (sets[i].domain == 0)
			return true;
	return false;
}

TEST(linger, waits_for_domain_0_to_stop)
{
	unsigned rounds = 0;

	while (domain0_listed() && rounds < MAX_ROUNDS) {
		paddock_yield();
		rounds++;
	}
	ASSERT_FALSE(domain0_listed());
	test_note("domain 0 gone after %u rounds", rounds);
}

TEST(linger, outlives_the_parting_shot)
{
	uint64_t t0 = guest_cycles();
	unsigned long yields = 0;

	while (guest_cycles() - t0 < LINGER_TICKS) {
		paddock_yield();
		yields++;
	}
	test_note("lingered %lu yields", yields);
	EXPECT_TRUE(yields > 0);
}
