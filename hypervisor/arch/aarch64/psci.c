/* SPDX-License-Identifier: MIT */
/*
 * Power-off through PSCI (Arm DEN0022 D, 5.1.9 SYSTEM_OFF), over the
 * conduit the device tree's psci node names: SMC when EL3 firmware
 * provides it (QEMU's virtualization=on), HVC only where a hypervisor
 * below us would, which at EL2 means none: then the CPU halts.
 */
#include <asm/devices.h>

#define PSCI_SYSTEM_OFF	   0x84000008u
#define PSCI_CPU_ON_64	   0xc4000003u /* 5.1.4, SMC64 */
#define PSCI_NOT_SUPPORTED (-1)

static enum { CONDUIT_NONE, CONDUIT_SMC, CONDUIT_HVC } conduit;

void psci_init(bool smc)
{
	conduit = smc ? CONDUIT_SMC : CONDUIT_HVC;
}

long psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	register uint64_t x0 __asm__("x0") = PSCI_CPU_ON_64;
	register uint64_t x1 __asm__("x1") = mpidr;
	register uint64_t x2 __asm__("x2") = entry;
	register uint64_t x3 __asm__("x3") = context;

	if (conduit != CONDUIT_SMC)
		return PSCI_NOT_SUPPORTED;
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "memory");
	return (long)(int32_t)x0;
}

/* DEN0022 D, 5.2.2, Table 6: the return codes. */
const char *psci_error_name(long rc)
{
	static const char *const names[] = {
		"success",	    "NOT_SUPPORTED", "INVALID_PARAMETERS",
		"DENIED",	    "ALREADY_ON",    "ON_PENDING",
		"INTERNAL_FAILURE", "NOT_PRESENT",   "DISABLED",
		"INVALID_ADDRESS",
	};

	if (rc > 0 || -rc >= (long)(sizeof(names) / sizeof(names[0])))
		return "unknown error";
	return names[-rc];
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
