/* SPDX-License-Identifier: MIT */
/*
 * The demo system `make run` boots on x86_64: the platform's self-test
 * as a privileged domain, the domains every demo has
 * (config/systems/demo-domains.h), and a DMA domain whose edu copies
 * through a bound PASID for real (a test image: see demo.mk).
 */
#include <config/systems/demo-domains.h>

static const struct domain_cfg domains[] = {
	{
		.name = "selftest",
		.image = "x86-selftest",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 16,
		.privileged = true,
	},
	DEMO_COMMON_DOMAINS{
		.name = "dma",
		.image = "dma",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 4,
		.pasid_range = {.lo = 0x100, .hi = 0x10f},
		.devices = {PD_BDF(1, 0, 0)},
		.ndevices = 1,
	},
};

const struct system_cfg system_config = {
	.name = "demo",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
