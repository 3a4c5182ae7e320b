/* SPDX-License-Identifier: MIT */
/*
 * The demo system `make run` boots on x86_64: the platform's self-test
 * as a privileged domain, and the domains every demo has
 * (config/systems/demo-domains.h).
 */
#include <config/systems/demo-domains.h>

static const struct domain_cfg domains[] = {
	{
		.name = "selftest",
		.image = "x86-selftest",
		.mem_bytes = 8 * CFG_MIB,
		.cpu = CFG_CPU_ANY,
		.pasid_quota = 16,
		.privileged = true,
	},
	DEMO_COMMON_DOMAINS,
};

const struct system_cfg system_config = {
	.name = "demo",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
