/* SPDX-License-Identifier: MIT */
/*
 * The in-guest DMA suite (suite-x86-dma-guest and suite-arm64-dma-guest; a test
 * image: the .mk sets SYSTEM_TEST_dma-guest, which links the test-only
 * hypercall).  The dma domain owns the edu behind the first root port; a victim
 * owns the one behind the second and holds two PASIDs of its own range (one
 * bound) until the dma domain is done, so the dma domain meets a live foreign
 * PASID and a foreign device, and makes its own device fault with the
 * victim's PASID: the victim checks its fault counters and ring stay put.
 */
#include <config/config.h>

static const struct domain_cfg domains[] = {
	{
		.name = "dma",
		.image = "dma",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 4,
		.pasid_range = {.lo = 0x100, .hi = 0x10f},
		.devices = {PD_BDF(1, 0, 0)},
		.ndevices = 1,
	},
	{
		.name = "victim",
		.image = "dmavictim",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 2,
		.pasid_range = {.lo = 0x300, .hi = 0x30f},
		.devices = {PD_BDF(3, 0, 0)}, /* TESTCONF_DMA_FOREIGN_DEVICE */
		.ndevices = 1,
	},
};

const struct system_cfg system_config = {
	.name = "dma-guest",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
