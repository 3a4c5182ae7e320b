/* SPDX-License-Identifier: MIT */
/*
 * Waiting for a test domain's edu device to stop its DMA at the end of a
 * test run (the WATCH checks of testop.c): in test images only, with the
 * arch's poll deadline (paddock/selftest.h).
 */
#include <paddock/arch.h>
#include <paddock/selftest.h>

#define EDU_DMA_CMD 0x98 /* bit 0: busy (QEMU hw/misc/edu.c) */

bool test_edu_idle(uint64_t bar_phys, uint64_t bar_size)
{
	volatile uint64_t *cmd;
	uint64_t deadline = arch_poll_deadline();

	if (!bar_size)
		return false;
	cmd = arch_phys_to_virt(bar_phys + EDU_DMA_CMD);
	while (*cmd & 1) {
		if (arch_poll_expired(deadline))
			return false;
	}
	return true;
}
