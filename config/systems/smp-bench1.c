/* SPDX-License-Identifier: MIT */
/*
 * The SMP bench's baseline (make bench: smp.hcall_alloc_free.cpus1; bench/
 * README.md): one bench domain on the boot CPU, booted on the same
 * four-CPU machine as smp-bench4, whose other CPUs park (nothing to run).
 * A test image: the bench domains meet on the test board.
 */
#include <config/config.h>

static const struct domain_cfg domains[] = {
	{
		.name = "bench1-cpu0",
		.image = "smpbench",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 2,
		.cpu = 0,
	},
};

const struct system_cfg system_config = {
	.name = "smp-bench1",
	.domains = domains,
	.ndomains = 1,
};
