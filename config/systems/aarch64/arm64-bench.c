/* SPDX-License-Identifier: MIT */
/* One domain measuring the hypercall round trip (make bench). */
#include <config/config.h>

static const struct domain_cfg domains[] = {
	{
		.name = "bench",
		.image = "arm64-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 16,
	},
};

const struct system_cfg system_config = {
	.name = "arm64-bench",
	.domains = domains,
	.ndomains = 1,
};
