/* SPDX-License-Identifier: MIT */
/*
 * A system the boot check must refuse, one mistake per domain, against
 * the QEMU machine of config/platforms/qemu-x86_64.mk (edu at 01:00.0
 * behind a root port; two edu functions at 02:01.0 and 02:02.0 behind one
 * PCIe-to-PCI bridge).
 * suite-x86-badconfig expects each message and a boot that stops.
 */
#include <config/config.h>

static const struct domain_cfg domains[] = {
	{
		.name = "ranged",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 4,
		.pasid_range = {.lo = 0x100, .hi = 0x1ff},
		.devices = {PD_BDF(1, 0, 0), PD_BDF(2, 1, 0)},
		.ndevices = 2,
	},
	{
		.name = "overlap",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 4,
		.pasid_range = {.lo = 0x180, .hi = 0x27f},
	},
	{
		.name = "greedy",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 64,
		.pasid_range = {.lo = 0x300, .hi = 0x30f},
	},
	{
		.name = "twice",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.devices = {PD_BDF(1, 0, 0)},
		.ndevices = 1,
	},
	{
		.name = "splitter",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.devices = {PD_BDF(2, 2, 0)},
		.ndevices = 1,
	},
	{
		.name = "phantom",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.devices = {PD_BDF(7, 0, 0)},
		.ndevices = 1,
	},
	{
		.name = "huge",
		.image = "x86-selftest",
		.mem_bytes = 4096 * CFG_MIB,
	},
};

const struct system_cfg system_config = {
	.name = "x86-badconfig",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
