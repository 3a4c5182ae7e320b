/* SPDX-License-Identifier: MIT */
/*
 * The SMP bench's four-CPU side (make bench: smp.hcall_alloc_free.cpus4;
 * bench/README.md): four bench domains, one per CPU, each making ALLOC+FREE
 * hypercall pairs into the one PASID manager at the same time.  A test
 * image: the bench domains meet on the test board before they start.
 */
#include <config/config.h>

#define BENCH_DOMAIN(dname, dcpu)                                              \
	{                                                                      \
		.name = dname, .image = "smpbench", .mem_bytes = 4 * CFG_MIB,  \
		.pasid_quota = 2, .cpu = dcpu,                                 \
	}

static const struct domain_cfg domains[] = {
	BENCH_DOMAIN("bench4-cpu0", 0),
	BENCH_DOMAIN("bench4-cpu1", 1),
	BENCH_DOMAIN("bench4-cpu2", 2),
	BENCH_DOMAIN("bench4-cpu3", 3),
};

const struct system_cfg system_config = {
	.name = "smp-bench4",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
