/* SPDX-License-Identifier: MIT */
/*
 * An Arm platform as its device tree describes it: what the aarch64 boot
 * code needs before it can fill a struct hw_inventory (paddock/arch.h).
 * Read by dt_platform_read() over a blob fdt_check() accepts
 * (paddock/fdt.h); each field names the binding it comes from (Linux
 * Documentation/devicetree/bindings/, and the Devicetree Specification
 * v0.4 for the standard nodes).
 *
 * Addresses are the CPU's: a node below the root is read through its
 * ancestors, each of which must map its children 1:1 (an empty "ranges",
 * v0.4 2.3.8); anything else is refused rather than guessed.
 */
#ifndef PADDOCK_DT_PLATFORM_H
#define PADDOCK_DT_PLATFORM_H

#include <paddock/fdt.h>

#define DT_MAX_MEM	      16
#define DT_MAX_RESERVED	      16
#define DT_MAX_REDIST	      8
#define DT_MAX_CPUS	      16
#define DT_MAX_PCI	      4
#define DT_MAX_PCI_WINDOWS    8
#define DT_MAX_IOMMU_MAP      8
#define DT_MAX_SMMU	      4
#define DT_PCI_ECAM_BUS_BYTES (1u << 20) /* PCIe Base 5.0, 7.2.2 */
#define DT_INTID_NONE	      0xffffffffu

/** A physical range [base, base + size). */
struct dt_range {
	uint64_t base, size;
};

/** The PSCI conduit (bindings/arm/psci.yaml, "method"). */
enum dt_psci_method {
	DT_PSCI_NONE = 0, /* no PSCI node */
	DT_PSCI_SMC,
	DT_PSCI_HVC,
};

/** A cpu node's enable-method (bindings/arm/cpus.yaml). */
enum dt_cpu_enable {
	DT_CPU_ENABLE_NONE = 0, /* absent (a single CPU, or the boot CPU) */
	DT_CPU_ENABLE_PSCI,
	DT_CPU_ENABLE_SPIN_TABLE,
	DT_CPU_ENABLE_OTHER,
};

/** The architected timer's interrupts, in the binding's order
 * (bindings/timer/arm,arch_timer.yaml). */
enum dt_timer_irq {
	DT_TIMER_SEC_PHYS = 0,
	DT_TIMER_PHYS,
	DT_TIMER_VIRT,
	DT_TIMER_HYP_PHYS,
	DT_TIMER_NIRQ,
};

/** PCI address space of a `ranges` entry: phys.hi bits 25:24 (IEEE Std
 * 1275-1994 PCI bus binding, 2.2.1.1; bindings/pci/pci.txt). */
enum dt_pci_space {
	DT_PCI_CONFIG = 0,
	DT_PCI_IO = 1,
	DT_PCI_MEM32 = 2,
	DT_PCI_MEM64 = 3,
};

/** One window of a PCI host's `ranges`. */
struct dt_pci_window {
	enum dt_pci_space space;
	bool prefetch; /* phys.hi bit 30 */
	uint64_t pci, cpu, size;
};

/** One `iommu-map` entry (bindings/pci/pci-iommu.txt): requester IDs
 * [rid_base, rid_base + length) go to the IOMMU `phandle` as StreamIDs
 * from iommu_base. */
struct dt_iommu_map {
	uint32_t rid_base, phandle, iommu_base, length;
};

/** A "pci-host-ecam-generic" host (bindings/pci/host-generic-pci.yaml). */
struct dt_pci_host {
	struct dt_range ecam; /* reg: configuration space of bus_first */
	uint16_t segment;     /* linux,pci-domain, else its index */
	bool has_segment;
	uint8_t bus_first, bus_last; /* bus-range, else 0..size/1MiB-1 */
	struct dt_pci_window windows[DT_MAX_PCI_WINDOWS];
	unsigned nwindows;
	struct dt_iommu_map iommu_map[DT_MAX_IOMMU_MAP];
	unsigned niommu_map;
	uint32_t iommu_map_mask; /* 0xffffffff when absent */
};

/** An "arm,smmu-v3" (bindings/iommu/arm,smmu-v3.yaml). */
struct dt_smmu {
	struct dt_range reg;
	uint32_t phandle;
	/* By interrupt-names; DT_INTID_NONE when not given. */
	uint32_t irq_eventq, irq_priq, irq_cmdq_sync, irq_gerror;
};

/** A /cpus/cpu node (bindings/arm/cpus.yaml). */
struct dt_cpu {
	uint64_t mpidr; /* reg: the MPIDR_EL1 affinity fields */
	enum dt_cpu_enable enable;
};

/** Everything dt_platform_read() found. */
struct dt_platform {
	/* /memory nodes, device_type "memory" (v0.4, 3.4). */
	struct dt_range mem[DT_MAX_MEM];
	unsigned nmem;
	/* /memreserve/ (v0.4, 5.3) and /reserved-memory children with reg
	 * (bindings/reserved-memory/reserved-memory.yaml). */
	struct dt_range reserved[DT_MAX_RESERVED];
	unsigned nreserved;

	/* /chosen (v0.4, 3.6): pointers into the blob, not NUL-terminated
	 * copies; len excludes the NUL.  NULL when absent. */
	const char *bootargs;
	size_t bootargs_len;
	const char *stdout_path;
	size_t stdout_path_len;

	/* "arm,pl011" (bindings/serial/arm,pl011.yaml): the one stdout-path
	 * names, else the first available. */
	struct dt_range uart;

	/* "arm,gic-v3" (bindings/interrupt-controller/arm,gic-v3.yaml). */
	struct {
		struct dt_range dist;
		struct dt_range
			redist[DT_MAX_REDIST]; /* #redistributor-regions */
		unsigned nredist;
		bool has_its; /* an available "arm,gic-v3-its" child */
		uint64_t its_base;
		uint32_t phandle;
	} gic;

	/* "arm,armv8-timer"/"arm,armv7-timer": INTIDs, by enum dt_timer_irq. */
	uint32_t timer_intid[DT_TIMER_NIRQ];

	/* "arm,psci-1.0"/"arm,psci-0.2"/"arm,psci" (bindings/arm/psci.yaml) */
	struct {
		enum dt_psci_method method;
		uint8_t major, minor; /* from the most specific compatible */
	} psci;

	struct dt_pci_host pci[DT_MAX_PCI];
	unsigned npci;
	struct dt_smmu smmu[DT_MAX_SMMU];
	unsigned nsmmu;
	struct dt_cpu cpus[DT_MAX_CPUS];
	unsigned ncpus;
};

/**
 * Checks the blob (fdt_check()) and fills *p from it.  0, or a negative
 * -FDT_E... with err->msg saying what is wrong or missing: a corrupt
 * blob, no memory / GICv3 / timer / PL011, a property of the wrong size,
 * more entries than a DT_MAX_* array holds.  *p is zeroed first; on
 * failure its contents are unspecified.  The blob must stay in place
 * while bootargs and stdout_path are used.
 */
int dt_platform_read(struct dt_platform *p, const void *blob, size_t max,
		     struct fdt_err *err);

/**
 * Maps a PCI requester ID of `host` to a StreamID through its iommu-map
 * (bindings/pci/pci-iommu.txt): rid & iommu-map-mask, then the entry
 * whose [rid-base, rid-base + length) holds it, sid = iommu-base + (rid -
 * rid-base).  0 with *sid and *smmu (index into p->smmu), or
 * -FDT_ENOTFOUND when no entry matches (the device is not behind an IOMMU)
 * or the entry's phandle is no SMMUv3 found.
 */
int dt_pci_rid_to_sid(const struct dt_platform *p,
		      const struct dt_pci_host *host, uint32_t rid,
		      uint32_t *sid, unsigned *smmu);

/** Prints what was found, one line per item ("dt: memory
 * 40000000-5fffffff (512 MiB)"), through a printf-like function such as
 * hv_printf (paddock/hypercall.h). */
void dt_platform_print(const struct dt_platform *p,
		       void (*print)(const char *fmt, ...));

#endif
