/* SPDX-License-Identifier: MIT */
/*
 * What is aarch64 in the DMA self-test hooks (paddock/selftest.h): device
 * polling timed by the generic counter.  Arm has no RMRRs.
 */
#include <paddock/selftest.h>
#include <asm/devices.h>

#define POLL_WAIT_SECONDS 4

uint64_t arch_poll_deadline(void)
{
	return timer_counter() + POLL_WAIT_SECONDS * timer_freq();
}

bool arch_poll_expired(uint64_t deadline)
{
	if (timer_counter() > deadline)
		return true;
	__asm__ volatile("yield");
	return false;
}

bool arch_test_rmrr_page(uint32_t bdf, uint64_t *page)
{
	(void)bdf;
	(void)page;
	return false;
}
