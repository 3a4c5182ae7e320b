/* SPDX-License-Identifier: MIT */
/*
 * The demo system `make run PLATFORM=qemu-aarch64` boots: the arm64
 * self-test as a privileged domain (guests/aarch64/selftest), and the
 * domains every demo has (config/systems/demo-domains.h).  The DMA domain
 * of x86_64's demo comes with the SMMUv3 driver.
 */
#include <config/systems/demo-domains.h>

static const struct domain_cfg domains[] = {
	{
		.name = "selftest",
		.image = "arm64-selftest",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 16,
		.pasid_range = {.lo = 0x100, .hi = 0x1ff},
		.privileged = true,
	},
	DEMO_COMMON_DOMAINS};

const struct system_cfg system_config = {
	.name = "demo",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
