/* SPDX-License-Identifier: MIT */
/*
 * The arm64 platform self-test and red team: one image
 * (guests/aarch64/selftest) in several roles, picked by domain name.  The
 * fault-* domains must die, each alone and for its own reason, while the
 * others run to the end (suite-arm64-selftest checks every reason).
 */
#include <config/config.h>

#define ARM64_DOMAIN(n, crash)                                                 \
	{                                                                      \
		.name = n, .image = "arm64-selftest",                          \
		.mem_bytes = 4 * CFG_MIB, .pasid_quota = 2,                    \
		.expect_crash = crash,                                         \
	}

static const struct domain_cfg domains[] = {
	{
		/* Interrupts masked, never yields, never stops: without the
		 * EL2 timer nothing else would run and the suite would time
		 * out. */
		.name = "spin-forever",
		.image = "arm64-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.runs_forever = true,
	},
	{
		.name = "selftest",
		.image = "arm64-selftest",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 8,
		.pasid_range = {.lo = 0x100, .hi = 0x1ff},
		.privileged = true,
	},
	ARM64_DOMAIN("fp-noise", false),
	ARM64_DOMAIN("fault-smc", true),
	ARM64_DOMAIN("fault-sysreg", true),
	ARM64_DOMAIN("fault-timer", true),
	ARM64_DOMAIN("fault-gic-sysreg", true),
	ARM64_DOMAIN("fault-gic-mmio", true),
	ARM64_DOMAIN("fault-hv", true),
	ARM64_DOMAIN("fault-other", true),
	ARM64_DOMAIN("fault-text", true),
	ARM64_DOMAIN("fault-udf", true),
	ARM64_DOMAIN("fault-pc-align", true),
	ARM64_DOMAIN("fault-eret", true),
	ARM64_DOMAIN("fault-pauth", true),
	ARM64_DOMAIN("fault-sve", true),
};

const struct system_cfg system_config = {
	.name = "arm64-selftest",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
