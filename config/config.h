/* SPDX-License-Identifier: MIT */
/*
 * Paddock's configuration, as compiled C (docs/config.md).
 *
 * A board is one file in config/platforms/, a system of domains one file
 * in config/systems/; both are plain designated initializers, built with
 * -Werror and checked by config_validate() at boot (and by the host test
 * tests/config/) before anything is created.
 */
#ifndef PADDOCK_CONFIG_H
#define PADDOCK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_DOMAINS 32
#define CFG_MAX_CPUS	8  /* CPUs the hypervisor runs on; more are left off */
#define CFG_CPU_ANY	-1 /* domain_cfg.cpu: spread over the CPUs found */
#define CFG_MAX_DEVICES 8  /* per domain; == PADDOCK_START_MAX_DEVICES */
#define CFG_MAX_ERRORS	16
#define CFG_MSG_LEN	160
#define CFG_MIB		(1024ull * 1024ull)

/* PCI segment 0 bus:device.function, as the PASID manager names devices. */
#define PD_BDF(bus, dev, fn) ((uint32_t)(((bus) << 8) | ((dev) << 3) | (fn)))

/** The board. */
struct platform_cfg {
	const char *name;
	uint16_t console_port; /* 16550 I/O port */
	/* Arm: the PL011 a boot error is reported on when the device tree
	 * cannot be read (its UART is used otherwise); 0: none. */
	uint64_t early_uart;
	/* Arm: power off with PSCI over SMC after such an error (the tree
	 * names the conduit otherwise); false: halt. */
	bool early_psci_smc;
	uint16_t exit_port;	 /* isa-debug-exit port, 0: none */
	unsigned pasid_bits_cap; /* the platform's PASID width limit */
	uint32_t hv_pasid_quota; /* PASIDs the hypervisor may hold */
	uint64_t heap_bytes;	 /* hypervisor heap */
	unsigned timeslice_us;	 /* round-robin slice */
	/* VT-d quirks (drivers/iommu/vtd/vtd.h, struct vtd_config). */
	unsigned iommu_pasid_bits_override;  /* 0: trust ECAP.PSS */
	bool iommu_first_level_without_flts; /* QEMU 7.2 only */
	/* The PASID width taken for a device without a PASID capability
	 * (PCIe 5.0, 7.8.9): 0 on hardware, where such a device cannot tag
	 * its DMA; QEMU boards give one so that bound PASIDs can be proven
	 * with untagged DMA steered to them (no emulated device has it). */
	unsigned iommu_device_pasid_bits_default;
};

/** PASID range a domain owns exclusively; {0, 0}: the shared pool. */
struct cfg_pasid_range {
	uint32_t lo, hi; /* inclusive */
};

/** One domain. */
struct domain_cfg {
	const char *name;
	const char *image;  /* guest ELF, by name (build/guests/...) */
	uint64_t mem_bytes; /* multiple of 4 KiB */
	uint32_t pasid_quota;
	struct cfg_pasid_range pasid_range;
	uint32_t devices[CFG_MAX_DEVICES]; /* PD_BDF() of assigned devices */
	unsigned ndevices;
	bool privileged;   /* control domain: LIST, SET_QUOTA */
	bool expect_crash; /* a hostile test: crashing is passing */
	bool runs_forever; /* the run ends without waiting for it */
	/* The CPU that runs it: 0 is the boot CPU, n the n-th CPU the
	 * firmware lists (MADT, device tree); CFG_CPU_ANY: round robin over
	 * the CPUs found, in domain order.  Several domains may share one. */
	int cpu;
};

/** A system: the domains one boot runs. */
struct system_cfg {
	const char *name;
	const struct domain_cfg *domains;
	unsigned ndomains;
};

/** One PCI function the platform has, with its isolation group. */
struct cfg_device {
	uint32_t bdf;
	uint32_t group;
};

/** What the machine offers, discovered at boot (or faked by the test). */
struct cfg_inventory {
	const struct cfg_device *devices;
	unsigned ndevices;
	uint64_t pool_bytes; /* memory available to domains */
	uint64_t mem_align;  /* each domain's memory is rounded up to it */
	unsigned pasid_bits; /* width of the PASID space */
	unsigned ncpus;	     /* CPUs found (0 is taken as 1: the boot CPU) */
	const char *const *images; /* known guest images, NULL: not checked */
	unsigned nimages;
};

/** Findings of config_validate(). */
struct cfg_report {
	unsigned nerrors;
	char errors[CFG_MAX_ERRORS][CFG_MSG_LEN];
};

/**
 * Checks a system against the platform and the inventory.  Returns the
 * number of errors; each names the domain and the field.  Pure C, no
 * hardware access.
 */
unsigned config_validate(const struct platform_cfg *plat,
			 const struct system_cfg *sys,
			 const struct cfg_inventory *inv,
			 struct cfg_report *report);

/* Linked in by the build: one platform, one system. */
extern const struct platform_cfg platform_config;
extern const struct system_cfg system_config;

#endif
