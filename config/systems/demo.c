/* SPDX-License-Identifier: MIT */
/*
 * The demo system `make run` boots: the platform's self-test as the
 * privileged domain, the guests' basic PASID life cycle with a device of
 * its own and its own PASID range, a quota test, a domain that crashes on
 * purpose while holding PASIDs and a device binding, and one that spins
 * forever in user mode without yielding.
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
		.name = "basic",
		.image = "basic",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 8,
		.pasid_range = {.lo = 0x200, .hi = 0x2ff},
		.devices = {PD_BDF(1, 0, 0)},
		.ndevices = 1,
	},
	{
		.name = "quota",
		.image = "quota",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 5,
	},
	{
		.name = "crash",
		.image = "crash",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 4,
		.devices = {PD_BDF(3, 0, 0)},
		.ndevices = 1,
		.expect_crash = true,
	},
	{
		.name = "spin",
		.image = "spin",
		.mem_bytes = 8 * CFG_MIB,
		.runs_forever = true,
	},
};

const struct system_cfg system_config = {
	.name = "demo",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
