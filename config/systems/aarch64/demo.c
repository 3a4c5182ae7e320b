/* SPDX-License-Identifier: MIT */
/*
 * The demo system `make run PLATFORM=qemu-aarch64` boots: the arm64
 * self-test as a privileged domain (guests/aarch64/selftest), and the
 * domains every demo has (config/systems/demo-domains.h), whose DMA domain
 * goes through the SMMUv3 here.
 */
#include <config/systems/demo-domains.h>

static const struct domain_cfg domains[] = {
	{
		.name = "selftest",
		.image = "arm64-selftest",
		.mem_bytes = 8 * CFG_MIB,
		.cpu = CFG_CPU_ANY,
		.pasid_quota = 16,
		.pasid_range = {.lo = 0x400, .hi = 0x4ff},
		.privileged = true,
	},
	DEMO_COMMON_DOMAINS,
};

const struct system_cfg system_config = {
	.name = "demo",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
