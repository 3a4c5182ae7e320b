/* SPDX-License-Identifier: MIT */
/*
 * The SMP proof (suite-aarch64-smp, suite-x86-smp; docs/testing.md "The
 * SMP suites", docs/guests.md "The SMP proof"): four workers on four
 * CPUs allocate, bind, unbind, free and query as fast as they can while a
 * control domain changes their quotas and a fifth worker crashes midway
 * holding PASIDs.  A test image (smp.mk), so the end of the run checks
 * the manager's invariants inside the hypervisor.
 *
 *   cpu 0: worker0 (01:00.0)      cpu 1: worker1 (03:00.0), crasher
 *   cpu 2: worker2                cpu 3: worker3, control
 *
 * The board's four edu functions are three isolation groups: 01:00.0 and
 * 03:00.0 alone behind their root ports, 02:01.0 and 02:02.0 together
 * behind the PCIe-to-PCI bridge (config/platforms/qemu-*.mk).  A group
 * goes to one domain, so two workers and the crasher have a device (the
 * crasher needs one to die holding bound PASIDs); worker2 and worker3
 * churn without binds.  Every unprivileged domain starts with quota
 * TESTCONF_SMP_WORKER_QUOTA and no range (guests/lib/testconf.h).
 */
#include <config/config.h>

#define SMP_WORKER_QUOTA 6 /* TESTCONF_SMP_WORKER_QUOTA */

#define SMP_WORKER(wname, wcpu)                                                \
	.name = wname, .image = "smpworker", .mem_bytes = 4 * CFG_MIB,         \
	.pasid_quota = SMP_WORKER_QUOTA, .cpu = wcpu

static const struct domain_cfg domains[] = {
	{
		SMP_WORKER("worker0", 0),
		.devices = {PD_BDF(1, 0, 0)},
		.ndevices = 1,
	},
	{
		SMP_WORKER("worker1", 1),
		.devices = {PD_BDF(3, 0, 0)},
		.ndevices = 1,
	},
	{
		SMP_WORKER("worker2", 2),
	},
	{
		SMP_WORKER("worker3", 3),
	},
	{
		SMP_WORKER("crasher", 1),
		.devices = {PD_BDF(2, 1, 0), PD_BDF(2, 2, 0)},
		.ndevices = 2,
		.expect_crash = true,
	},
	{
		.name = "control",
		.image = "smpcontrol",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 1,
		.privileged = true,
		.cpu = 3,
	},
};

const struct system_cfg system_config = {
	.name = "smp",
	.domains = domains,
	.ndomains = sizeof(domains) / sizeof(domains[0]),
};
