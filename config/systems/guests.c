/* SPDX-License-Identifier: MIT */
/*
 * Every test guest of guests/tests/ in one system (docs/guests.md,
 * "Systems for the test guests"): control and watch together, crash
 * expected to crash, spin never ending by itself.
 */
#include <config/config.h>

#define TESTCONF_WATCH_QUOTA 11 /* guests/lib/testconf.h */

static const struct domain_cfg domains[] = {
	{
		.name = "control",
		.image = "control",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 16,
		.privileged = true,
	},
	{
		.name = "watch",
		.image = "watch",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = TESTCONF_WATCH_QUOTA,
	},
	{
		.name = "basic",
		.image = "basic",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 8,
		.pasid_range = {.lo = 0x1000, .hi = 0x10ff},
		.devices = {PD_BDF(1, 0, 0)}, /* edu behind a root port */
		.ndevices = 1,
	},
	{
		.name = "quota",
		.image = "quota",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 5,
	},
	{
		.name = "hostile",
		.image = "hostile",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 4,
		.devices = {PD_BDF(3, 0,
				   0)}, /* edu behind a second root port */
		.ndevices = 1,
	},
	{
		.name = "crash",
		.image = "crash",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 4,
		.devices = {PD_BDF(2, 1, 0)}, /* edu behind the PCI bridge */
		.ndevices = 1,
		.expect_crash = true,
	},
	{
		.name = "spin",
		.image = "spin",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 2, /* two live PASIDs for hostile's scan */
		.runs_forever = true,
	},
};

const struct system_cfg system_config = {
	.name = "guests",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
