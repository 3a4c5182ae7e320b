/* SPDX-License-Identifier: MIT */
/*
 * Device interrupts aimed at the CPU's interrupt entry (suite-x86-irq; a
 * test image: the .mk sets SYSTEM_TEST_x86-irq, which links the test-only
 * hypercall STEER).  The storm domain owns the edu behind the first root
 * port and makes it write data words into the interrupt window, one vector
 * class after the other; two victims that never yield spin with checked
 * registers and make checked hypercalls meanwhile, and must be preempted by
 * the timer throughout for the storm to finish.
 */
#include <config/config.h>

static const struct domain_cfg domains[] = {
	{
		.name = "storm",
		.image = "irqstorm",
		.mem_bytes = 8 * CFG_MIB,
		.pasid_quota = 2,
		.pasid_range = {.lo = 0x100, .hi = 0x10f},
		.devices = {PD_BDF(1, 0, 0)},
		.ndevices = 1,
	},
	{
		.name = "victim-a",
		.image = "irqvictim",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 2,
		.pasid_range = {.lo = 0x200, .hi = 0x20f},
		.runs_forever = true,
	},
	{
		.name = "victim-b",
		.image = "irqvictim",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 2,
		.pasid_range = {.lo = 0x300, .hi = 0x30f},
		.devices = {PD_BDF(3, 0, 0)},
		.ndevices = 1,
		.runs_forever = true,
	},
	{
		/* Outlives the storm's parting shot (guests/tests/linger). */
		.name = "linger",
		.image = "linger",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 1,
		.pasid_range = {.lo = 0x400, .hi = 0x40f},
		.privileged = true, /* LIST, to see the storm go */
	},
};

const struct system_cfg system_config = {
	.name = "x86-irq",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
