/* SPDX-License-Identifier: MIT */
/*
 * The x86 platform self-test: one image (guests/x86_64/selftest)
 * in several roles, picked by domain name.  The fault-* domains must die,
 * each alone, while the others run to the end.
 */
#include <config/config.h>

#define SELFTEST_DOMAIN(n, crash)                                              \
	{                                                                      \
		.name = n, .image = "x86-selftest", .mem_bytes = 4 * CFG_MIB,  \
		.pasid_quota = 4, .expect_crash = crash,                       \
	}

static const struct domain_cfg domains[] = {
	{
		/* Never yields, never stops: without preemption nothing else
		 * would run and the suite would time out. */
		.name = "spin-forever",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.runs_forever = true,
	},
	{
		.name = "spin",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 0,
	},
	{
		.name = "selftest",
		.image = "x86-selftest",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 8,
		.pasid_range = {.lo = 0x100, .hi = 0x1ff},
		.privileged = true,
	},
	SELFTEST_DOMAIN("fault-pf-hv", true),
	SELFTEST_DOMAIN("fault-pf-other", true),
	SELFTEST_DOMAIN("fault-pf-text", true),
	SELFTEST_DOMAIN("fault-ud", true),
	SELFTEST_DOMAIN("fault-de", true),
	SELFTEST_DOMAIN("fault-gp", true),
	SELFTEST_DOMAIN("fault-int", true),
	SELFTEST_DOMAIN("fault-fpu", true),
	SELFTEST_DOMAIN("fault-io", true),
	SELFTEST_DOMAIN("fault-compat", true),
	SELFTEST_DOMAIN("fault-db", true),
	SELFTEST_DOMAIN("fault-umip", true), /* the board's -cpu max has UMIP */
	/* Not a crash: the hypervisor must absorb the trap and return. */
	SELFTEST_DOMAIN("fault-tf-syscall", false),
	{
		.name = "selftest-late",
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 2,
	},
};

const struct system_cfg system_config = {
	.name = "x86-selftest",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
