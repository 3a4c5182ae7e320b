/* SPDX-License-Identifier: MIT */
/*
 * The red-team suite (suite-x86-redteam; a test image: the .mk sets
 * SYSTEM_TEST_x86-redteam, so the attacker can STEER its device's DMA).
 * An unprivileged victim holds PASIDs in every state it can reach and
 * re-checks them while an unprivileged attacker, with a device of its
 * own, throws hostile arguments at every hypercall and aims its DMA at
 * the victim and the hypervisor.  A privileged referee starts and ends
 * the attack through quotas (guests/lib/testconf.h, docs/guests.md).
 *
 * The victim is domain 0: every other domain's probe_other_addr is its
 * first page.  Quotas are the markers the referee finds them by.
 */
#include <config/config.h>

/* guests/lib/testconf.h, TESTCONF_REDTEAM_* */
#define VICTIM_QUOTA   8
#define ATTACKER_QUOTA 5

static const struct domain_cfg domains[] = {
	{
		.name = "victim",
		.image = "victim",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = VICTIM_QUOTA,
		.pasid_range = {.lo = 0x200, .hi = 0x20f},
		.devices = {PD_BDF(1, 0, 0)}, /* edu behind a root port */
		.ndevices = 1,
	},
	{
		.name = "referee",
		.image = "referee",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 2,
		.privileged = true,
	},
	{
		.name = "attacker",
		.image = "attacker",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = ATTACKER_QUOTA,
		.devices = {PD_BDF(3, 0, 0)}, /* edu behind another root port */
		.ndevices = 1,
	},
};

const struct system_cfg system_config = {
	.name = "x86-redteam",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
