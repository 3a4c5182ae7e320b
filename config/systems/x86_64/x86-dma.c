/* SPDX-License-Identifier: MIT */
/*
 * Two domains that own an edu device each, for the boot-time DMA
 * self-test (suite-x86-dma, "paddock.test=dma"): one behind a root port,
 * one behind the PCIe-to-PCI bridge (the whole group: both functions).
 */
#include <config/config.h>

static const struct domain_cfg domains[] = {
	{
		.name = "dma-rootport",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 4,
		.devices = {PD_BDF(1, 0, 0)},
		.ndevices = 1,
	},
	{
		.name = "dma-bridged",
		.image = "x86-selftest",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 4,
		.pasid_range = {.lo = 0x40, .hi = 0x4f},
		.devices = {PD_BDF(2, 1, 0), PD_BDF(2, 2, 0)},
		.ndevices = 2,
	},
};

const struct system_cfg system_config = {
	.name = "x86-dma",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
