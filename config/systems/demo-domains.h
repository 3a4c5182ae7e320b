/* SPDX-License-Identifier: MIT */
/*
 * The domains every arch's demo system (config/systems/<arch>/demo.c,
 * what `make run` boots) has in common, between its self-test domain and
 * whatever the arch adds: the control guest (privileged; it finds the
 * watch domain in LIST and raises its quota while watch waits for it),
 * the guests' basic PASID life cycle with a device behind the
 * PCIe-to-PCI bridge and its own PASID range, a quota test, a domain
 * that crashes on purpose while holding PASIDs and a device binding, and
 * one that holds two PASIDs and spins forever without yielding, and a DMA
 * domain whose edu copies through a bound PASID for real (a test image:
 * each demo's .mk sets SYSTEM_TEST_demo).  Every domain takes the next CPU
 * of a round robin (CFG_CPU_ANY), so a demo uses every CPU the board gives.
 */
#ifndef CONFIG_SYSTEMS_DEMO_DOMAINS_H
#define CONFIG_SYSTEMS_DEMO_DOMAINS_H

#include <config/config.h>

#define TESTCONF_WATCH_QUOTA 11 /* guests/lib/testconf.h */

#define DEMO_COMMON_DOMAINS                                                    \
	{                                                                      \
		.name = "control",                                             \
		.image = "control",                                            \
		.mem_bytes = 8 * CFG_MIB,                                      \
		.cpu = CFG_CPU_ANY,                                            \
		.pasid_quota = 16,                                             \
		.privileged = true,                                            \
	},                                                                     \
		{                                                              \
			.name = "watch",                                       \
			.image = "watch",                                      \
			.mem_bytes = 8 * CFG_MIB,                              \
			.cpu = CFG_CPU_ANY,                                    \
			.pasid_quota = TESTCONF_WATCH_QUOTA,                   \
		},                                                             \
		{                                                              \
			.name = "basic",                                       \
			.image = "basic",                                      \
			.mem_bytes = 8 * CFG_MIB,                              \
			.cpu = CFG_CPU_ANY,                                    \
			.pasid_quota = 8,                                      \
			.pasid_range = {.lo = 0x200, .hi = 0x2ff},             \
			.devices = {PD_BDF(2, 1,                               \
					   0)}, /* behind the PCI bridge */    \
			.ndevices = 1,                                         \
		},                                                             \
		{                                                              \
			.name = "quota",                                       \
			.image = "quota",                                      \
			.mem_bytes = 8 * CFG_MIB,                              \
			.cpu = CFG_CPU_ANY,                                    \
			.pasid_quota = 5,                                      \
		},                                                             \
		{                                                              \
			.name = "crash",                                       \
			.image = "crash",                                      \
			.mem_bytes = 8 * CFG_MIB,                              \
			.cpu = CFG_CPU_ANY,                                    \
			.pasid_quota = 4,                                      \
			.devices = {PD_BDF(3, 0, 0)},                          \
			.ndevices = 1,                                         \
			.expect_crash = true,                                  \
		},                                                             \
		{                                                              \
			.name = "spin",                                        \
			.image = "spin",                                       \
			.mem_bytes = 8 * CFG_MIB,                              \
			.cpu = CFG_CPU_ANY,                                    \
			.pasid_quota = 2,                                      \
			.runs_forever = true,                                  \
		},                                                             \
	{                                                                      \
		.name = "dma", .image = "dma", .mem_bytes = 8 * CFG_MIB,       \
		.cpu = CFG_CPU_ANY, .pasid_quota = 4,                          \
		.pasid_range = {.lo = 0x100, .hi = 0x10f},                     \
		.devices = {PD_BDF(1, 0, 0)}, .ndevices = 1,                   \
	}

#endif
