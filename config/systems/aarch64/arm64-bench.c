/* SPDX-License-Identifier: MIT */
/* One domain measuring the hypercall round trip and, on its edu, a PASID
 * BIND + UNBIND with the SMMUv3's commands (make bench). */
#include <config/config.h>

static const struct domain_cfg domains[] = {
	{
		.name = "bench",
		.image = "arm64-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 16,
		.devices = {PD_BDF(1, 0, 0)},
		.ndevices = 1,
	},
};

const struct system_cfg system_config = {
	.name = "arm64-bench",
	.domains = domains,
	.ndomains = 1,
};
