/* SPDX-License-Identifier: MIT */
/*
 * The demo system `make run` boots: a privileged control domain, an
 * ordinary one with its own PASID range, a domain that spins forever
 * in user mode without yielding, and one that faults on purpose.
 */
#include "../config.h"

static const struct domain_cfg domains[] = {
	{
		.name = "selftest",
		.image = "x86-selftest",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 16,
		.privileged = true,
	},
	{
		.name = "selftest-ranged",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 8,
		.pasid_range = {.lo = 0x200, .hi = 0x20f},
	},
	{
		.name = "spin",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
	},
	{
		.name = "fault-pf-hv",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.expect_crash = true,
	},
};

const struct system_cfg system_config = {
	.name = "demo",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
