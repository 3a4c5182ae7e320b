/* SPDX-License-Identifier: MIT */
/*
 * crash: allocates PASIDs (and binds one when it has a device), then
 * faults on purpose.  The hypervisor must stop only this domain, and park
 * and reclaim its PASIDs; the system that runs it marks it expect_crash.
 * It prints no "passed/failed" summary: its only success is to be killed.
 */
#include <stdio.h>

#include "guest.h"

int main(int argc, char **argv)
{
	const struct paddock_start_info *si = paddock_start_info;
	struct pasid_why why;
	uint32_t p[3];
	long ret;

	for (int i = 0; i < 3; i++) {
		ret = pasid_alloc(&p[i], &why);
		if (ret) {
			/*
			 * Any crash passes for this domain, so a failed set-up
			 * must not end in one: a clean power-off makes the run
			 * fail, as it should.
			 */
			printf("crash: ALLOC failed: %ld %s \"%s\"; powering "
			       "off instead of crashing\n",
			       ret, pasid_reason_str(why.code), why.text);
			fflush(stdout);
			paddock_shutdown(SHUTDOWN_poweroff);
		}
		pasid_set_data(p[i], 0xc7a5000000000000ull | i, NULL);
	}
	printf("crash: holding PASIDs %u %u %u\n", p[0], p[1], p[2]);
	if (si->ndevices) {
		ret = pasid_bind(p[0], si->devices[0],
				 PADDOCK_BIND_SECOND_LEVEL, 0, &why);
		printf("crash: bound PASID %u to device %#x: %ld %s\n", p[0],
		       si->devices[0], ret, pasid_reason_str(why.code));
	}

	/* A ring-3 write to hypervisor memory: a page fault. */
	printf("crash: writing to %#lx now\n",
	       (unsigned long)si->probe_hv_addr);
	fflush(stdout);
	if (si->probe_hv_addr)
		*(volatile uint64_t *)(uintptr_t)si->probe_hv_addr = 0xbad;
	/* Still alive: an invalid opcode, which cannot be survived. */
	printf("crash: the write did not fault; executing ud2\n");
	fflush(stdout);
	__builtin_trap();
}
