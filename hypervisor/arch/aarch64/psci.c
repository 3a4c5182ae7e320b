/* SPDX-License-Identifier: MIT */
/*
 * Power-off through PSCI (Arm DEN0022 D, 5.1.9 SYSTEM_OFF), over the
 * conduit the device tree's psci node names: SMC when EL3 firmware
 * provides it (QEMU's virtualization=on), HVC only where a hypervisor
 * below us would, which at EL2 means none: then the CPU halts.
 */
#include <asm/devices.h>

#define PSCI_SYSTEM_OFF 0x84000008u

static enum { CONDUIT_NONE, CONDUIT_SMC, CONDUIT_HVC } conduit;

void psci_init(bool smc)
{
	conduit = smc ? CONDUIT_SMC : CONDUIT_HVC;
}

void psci_system_off(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	/* From EL2 an HVC would trap to ourselves: only SMC goes out. */
	if (conduit == CONDUIT_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0)
				 :
				 : "x1", "x2", "x3", "memory");
	for (;;)
		__asm__ volatile("wfi");
}
