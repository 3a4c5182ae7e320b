/* SPDX-License-Identifier: MIT */
/*
 * Everything generic code needs from an architecture, and all of it: an
 * architecture is hypervisor/arch/<arch>/ implementing these hooks (see
 * docs/porting.md, "A new architecture").  The hypervisor links one
 * implementation per arch; the host tests link a fake one
 * (tests/support/fake_arch.c).  No #ifdef ladders: the choice is made at
 * link time.  Generic code includes <paddock/...> headers only; asm/
 * headers are the arch's own business.
 *
 * The boot order: the arch's entry code does its early work (console,
 * descriptor tables, CPU features, memory and system_heap_init(),
 * hardware discovery into a struct hw_inventory), then calls
 * system_build() and system_start() (paddock/system.h), which call back
 * into the hooks below.
 */
#ifndef PADDOCK_ARCH_H
#define PADDOCK_ARCH_H

#include <paddock/domain.h>
#include <paddock/types.h>

/* ------------------------------------------------------------------ */
/* Hardware discovery: what the arch found, in generic terms.          */

#define HW_MAX_RAM_RANGES 32
#define HW_MAX_ECAM	  4
#define HW_MAX_IOMMUS	  8
#define HW_MAX_DEVICES	  64
#define HW_MAX_CPUS	  8 /* == CFG_MAX_CPUS (core/boot/cpus.c checks) */

/** A range of RAM the firmware handed over (E820, /memory nodes). */
struct hw_ram_range {
	uint64_t base, length;
};

/** A PCI Express ECAM window (PCIe Base 5.0, 7.2.2; ACPI MCFG or the
 * device tree's pci-host-ecam-generic node). */
struct hw_ecam {
	uint64_t base;
	uint16_t segment;
	uint8_t bus_first, bus_last;
};

/** A PCI function and its isolation group (devices that can reach each
 * other's DMA without the IOMMU seeing it, config_validate keeps them in
 * one domain). */
struct hw_device {
	uint32_t bdf;
	uint32_t group;
};

/** An IOMMU unit's register window (VT-d DRHD, SMMUv3 IORT node). */
struct hw_iommu_unit {
	uint64_t base;
	uint16_t segment;
	bool covers_all; /* INCLUDE_PCI_ALL (VT-d 8.3), or no ID map */
};

/**
 * The machine as the arch discovered it (ACPI on x86, the device tree on
 * Arm).  Generic code sizes the domain pool and checks the configuration
 * against it; it never parses a firmware table itself.
 */
struct hw_inventory {
	struct hw_ram_range ram[HW_MAX_RAM_RANGES];
	unsigned nram;
	uint64_t console_base; /* UART: I/O port or MMIO address */
	struct hw_ecam ecam[HW_MAX_ECAM];
	unsigned necam;
	struct hw_iommu_unit iommus[HW_MAX_IOMMUS];
	unsigned niommus;
	/* Each function found with its isolation group, and the ID its DMA
	 * reaches the IOMMU with: the PCI requester ID (after bridge
	 * aliasing) or the StreamID. */
	struct hw_device devices[HW_MAX_DEVICES];
	uint32_t device_dma_id[HW_MAX_DEVICES];
	unsigned ndevices;
	/* The CPUs the firmware lists (MADT, the device tree's cpu nodes),
	 * the boot CPU first: the arch's ID of each (APIC ID, MPIDR
	 * affinity).  0 CPUs: only the boot CPU is known. */
	uint64_t cpu_hw_ids[HW_MAX_CPUS];
	unsigned ncpus;
	/* The domain pool: host-physical [pool_lo, pool_hi), in units of
	 * pool_align (the largest page the arch maps domain memory with). */
	uint64_t pool_lo, pool_hi, pool_align;
};

/* ------------------------------------------------------------------ */
/* The machine: console, time, the end of the run.                     */

/** Writes raw bytes to the hypervisor's console (no formatting). */
void arch_console_write(const char *buf, size_t len);

/*
 * Exit statuses (on QEMU through isa-debug-exit, which exits with
 * (value << 1) | 1, so these become 1, 3, 5, 7).
 */
enum arch_exit_code {
	ARCH_EXIT_OK = 0,
	ARCH_EXIT_TESTS_FAILED = 1,
	ARCH_EXIT_BOOT_FAILED = 2,
	ARCH_EXIT_HV_FAULT = 3,
};

/** Ends the run with a status the test host reads; else halts. */
__attribute__((noreturn)) void arch_exit(enum arch_exit_code code);

/** The word log lines of the arch start with ("x86"), for the summary
 * and the boot messages the test scripts match. */
extern const char arch_log_prefix[];

/** Starts the periodic slice timer: the scheduler then runs at least
 * every `us` microseconds.  Prints the calibration line. */
void arch_timer_start(unsigned us, unsigned ndomains);

/**
 * Every domain has stopped and the summary is next: stop the timer,
 * return to the hypervisor's own address space, route the DMA faults
 * still pending, so that the figures printed are final.
 */
void arch_run_ending(void);

/** After every domain stopped (the test images' end-of-run checks). */
void arch_run_over(void);

/** Arch lines of the summary (x86: stray interrupts, NMIs). */
void arch_summary_lines(void);

/* ------------------------------------------------------------------ */
/* Addresses and DMA-visible memory.                                   */

/** The hypervisor's virtual address of host-physical pa (its physmap). */
void *arch_phys_to_virt(uint64_t pa);
/** The host-physical address of a hypervisor virtual address. */
uint64_t arch_virt_to_phys(const void *va);

/**
 * Makes CPU writes to [va, va + len) visible to a device that does not
 * snoop the CPU's caches (IOMMU tables on a non-coherent walker).  A no-op
 * where the IOMMU is coherent (x86 with VT-d ECAP.C or its absence handled
 * by the driver).
 */
void arch_dma_sync(const void *va, size_t len);

/* ------------------------------------------------------------------ */
/* A domain's address space, entry and switch.                         */

/**
 * Builds the arch side of a domain whose generic side core/boot filled
 * (id, name, cfg): its memory at host-physical mem_phys mapped at its
 * guest window, CPU and DMA tables, its devices' registers, the state
 * behind d->arch.  0, or -1 with a message; then arch_domain_free()
 * undoes what was done.
 */
int arch_domain_create(struct domain *d, uint64_t mem_phys);

/** Frees what arch_domain_create() built, if anything (d->arch too). */
void arch_domain_free(struct domain *d);

/** The guest window: [*base, *base + *bytes) is the domain's memory. */
void arch_domain_window(const struct domain *d, uint64_t *base,
			uint64_t *bytes);

/** The ELF e_machine this arch runs (EM_X86_64, EM_AARCH64). */
extern const uint16_t arch_elf_machine;

/**
 * Zeroes the domain's memory and loads its ELF image (checked by core/boot
 * against arch_domain_window(): every PT_LOAD inside it, entry inside the
 * image), each segment with its p_flags permissions; pages from image_end
 * up stay writable.  Writes *si at the top page of the memory, completed
 * with the device register windows the arch mapped (dev_mmio), and sets
 * the entry registers: entry point, stack just below the start info,
 * start info address in the first argument register.  0, or -1 with a
 * message.
 */
struct paddock_start_info;
int arch_domain_load(struct domain *d, const uint8_t *elf, uint64_t image_end,
		     struct paddock_start_info *si);

/**
 * The root of the domain's first-level tables: a first-level copy of its
 * DMA view, built by the hypervisor in its own memory when the domain was
 * built (never guest-writable, never a guest's tables; docs/vtd.md).
 */
hpaddr_t arch_domain_fl_root(struct domain *d);

/** The root of the domain's DMA (second-level) tables. */
hpaddr_t arch_domain_dma_root(struct domain *d);

/** Starts the first domain the scheduler picks on this CPU; never
 * returns. */
__attribute__((noreturn)) void arch_start_first(void);

/* ------------------------------------------------------------------ */
/* Other CPUs.                                                         */

/**
 * Starts CPU c (c->hw_id) at the arch's secondary entry, which sets up
 * the CPU's own state (stacks, trap vectors, its interrupt controller
 * interface and slice timer) and calls system_secondary_main().  Waits,
 * bounded, until cpu_online(c); 0, or -1 with a message naming the CPU.
 */
struct percpu;
int arch_cpu_start(struct percpu *c);

/**
 * This CPU is done: stop its slice timer, leave any domain's address
 * space, and halt with interrupts off for good.
 */
__attribute__((noreturn)) void arch_cpu_park(void);

/* ------------------------------------------------------------------ */
/* Guest memory.                                                       */

/*
 * The one way generic code reaches guest memory.  Both return 0, or
 * -XEN_EFAULT when any byte of [addr, addr + len) is not mapped for the
 * domain with the needed permission (including wrap-around and hypervisor
 * or other domains' memory).  Nothing is copied on failure of the checks.
 */
int arch_copy_from_guest(struct domain *d, void *dst, gvaddr_t src, size_t len);
int arch_copy_to_guest(struct domain *d, gvaddr_t dst, const void *src,
		       size_t len);

/**
 * 0 when arch_copy_to_guest(d, addr, ..., len) would pass its checks,
 * -XEN_EFAULT when it would not; nothing is written.  For a caller that
 * must know a result can be delivered before it acts, without the cost
 * of writing the range twice.
 */
int arch_guest_writable(struct domain *d, gvaddr_t addr, size_t len);

/**
 * The test-only hypercall (include/public/paddock/test_op.h).  Only test
 * images serve it; every other image links a version that answers
 * -XEN_ENOSYS.  The choice is made at link time.
 */
long arch_test_op(struct domain *d, const uint64_t args[5]);

#endif
