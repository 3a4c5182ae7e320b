/* SPDX-License-Identifier: MIT */
/*
 * From _start to the first domain on aarch64: the device tree read, the
 * console, EL2's own configuration, memory and the MMU, the GIC, PCI and
 * the IOMMU into the generic inventory, then the generic system build
 * (core/boot).  And the aarch64 hooks of the end of the run.
 */
#include <paddock/hypercall.h>
#include <paddock/heap.h>
#include <paddock/mem.h>
#include <paddock/system.h>
#include <asm/cpu.h>
#include <asm/devices.h>
#include <asm/domain.h>
#include <asm/efi.h>
#include <asm/mmu.h>
#include <paddock/iommu_glue.h>
#include <asm/pci.h>
#include <asm/sched.h>
#include <asm/platform.h>
#include <asm/sysreg.h>
#include <asm/testop.h>
#include <config/config.h>

extern char __image_start[], __image_end[];

struct arm_platform arm_plat;
static uint64_t boot_counter;
static uint64_t pool_lo, pool_hi;

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/**
 * EL2's configuration of EL1, before any domain exists (the per-domain
 * parts, stage 2 and the EL1 registers, are switched in sched.c).  What
 * traps and why is in docs/arm64.md, "What a domain cannot do".
 */
void el2_init(void)
{
	uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & 0x1f;

	write_sysreg(hcr_el2, HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO |
				      HCR_FB | HCR_BSU_IS | HCR_TWI | HCR_TWE |
				      HCR_TID0 | HCR_TSC | HCR_TIDCP |
				      HCR_TACR | HCR_TSW | HCR_RW | HCR_TLOR |
				      HCR_TERR | HCR_TEA);
	write_sysreg(cptr_el2, CPTR_EL2_DEFAULT | CPTR_TTA);
	write_sysreg(mdcr_el2, pmcr_n | MDCR_TPMCR | MDCR_TPM | MDCR_TDA |
				       MDCR_TDOSA | MDCR_TDRA);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(cntvoff_el2, 0);
	/* D13.2.153/154: what MIDR_EL1 and MPIDR_EL1 read at EL1. */
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(hstr_el2, 0);
	isb();
	stage2_init();
}

/* [lo, hi) overlaps a range the tree reserves (itself included), or one
 * the UEFI firmware keeps after ExitBootServices? */
static bool reserved_overlap(uint64_t lo, uint64_t hi)
{
	if (efi_kept_overlap(lo, hi))
		return true;
	for (unsigned i = 0; i < arm_plat.nreserved; i++) {
		const struct arm_range *r = &arm_plat.reserved[i];

		if (r->base < hi && lo < r->base + r->size)
			return true;
	}
	return false;
}

/*
 * The largest run of free 2 MiB blocks in [lo, hi): the domain pool is
 * one range (generic code takes it so), and the firmware may have left
 * the device tree or reserved memory anywhere in RAM.
 */
static void largest_gap(uint64_t lo, uint64_t hi, uint64_t *best_lo,
			uint64_t *best_hi)
{
	uint64_t run = align_up(lo, BLOCK_2M);

	for (uint64_t b = run; b + BLOCK_2M <= hi; b += BLOCK_2M) {
		if (reserved_overlap(b, b + BLOCK_2M)) {
			run = b + BLOCK_2M;
			continue;
		}
		if (b + BLOCK_2M - run > *best_hi - *best_lo) {
			*best_lo = run;
			*best_hi = b + BLOCK_2M;
		}
	}
}

/*
 * The heap right after the image; the domain pool in the largest free
 * gap after the heap, in the RAM range that holds the image.
 */
static int memory_init(void)
{
	uint64_t image_lo = (uint64_t)(uintptr_t)__image_start;
	uint64_t image_hi = (uint64_t)(uintptr_t)__image_end;
	uint64_t heap_lo = align_up(image_hi, BLOCK_2M);
	uint64_t heap_hi = heap_lo + platform_config.heap_bytes;
	for (unsigned i = 0; i < arm_plat.nram; i++) {
		uint64_t lo = arm_plat.ram[i].base;
		uint64_t hi = lo + arm_plat.ram[i].size;

		if (image_lo < lo || heap_hi > hi)
			continue;
		if (reserved_overlap(heap_lo, heap_hi)) {
			hv_printf("arm64: the heap %lx-%lx would overlap "
				  "reserved memory\n",
				  heap_lo, heap_hi - 1);
			return -1;
		}
		largest_gap(heap_hi, hi, &pool_lo, &pool_hi);
	}
	if (pool_hi <= pool_lo) {
		hv_printf("arm64: no RAM range holds image, heap and pool\n");
		return -1;
	}
	/* The heap was last touched by the firmware, maybe through the
	 * caches: nothing stale may shadow what is written with them off. */
	dcache_inval((void *)(uintptr_t)heap_lo, platform_config.heap_bytes);
	system_heap_init((void *)(uintptr_t)heap_lo,
			 platform_config.heap_bytes);
	hv_printf("arm64: image %lx-%lx, heap %lx-%lx, domain pool %lx-%lx "
		  "(%lu MiB)\n",
		  image_lo, image_hi - 1, heap_lo, heap_hi - 1, pool_lo,
		  pool_hi - 1, (pool_hi - pool_lo) >> 20);
	return 0;
}

/* RAM, and every device register window the hypervisor touches. */
static void mmu_setup(void)
{
	uint64_t ram[ARM_MAX_RAM][2], dev[8][2];
	unsigned ndev = 0;

	for (unsigned i = 0; i < arm_plat.nram; i++) {
		ram[i][0] = arm_plat.ram[i].base;
		ram[i][1] = arm_plat.ram[i].size;
	}
	const struct arm_range *devs[] = {
		&arm_plat.uart, &arm_plat.gicd,	      &arm_plat.gicr,
		&arm_plat.ecam, &arm_plat.pci_mmio32, &arm_plat.smmu,
	};
	for (unsigned i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		if (!devs[i]->size)
			continue;
		dev[ndev][0] = devs[i]->base & ~(PAGE_SIZE - 1);
		dev[ndev][1] = align_up(devs[i]->size, PAGE_SIZE);
		ndev++;
	}
	mmu_init((const uint64_t(*)[2])ram, arm_plat.nram,
		 (const uint64_t(*)[2])dev, ndev);
}

static void heap_verdict(const char *what, bool ok)
{
	hv_printf("HEAP TEST %s %s\n", ok ? "PASS" : "FAIL", what);
}

/* Self-tests the command line asks for (the arm64-selftest suites). */
static void early_self_tests(void)
{
	if (cmdline_has(arm_plat.bootargs, "paddock.test=heap"))
		heap_self_check(heap_verdict);
}

/* After the MMU is on: a fault at EL2 must dump and stop. */
static void hv_fault_test(void)
{
	if (cmdline_has(arm_plat.bootargs, "paddock.test=hv-fault")) {
		hv_printf("arm64: test: faulting in hypervisor mode\n");
		__asm__ volatile("udf #0");
	}
}

static void fill_inventory(const struct pci_inventory *pci,
			   struct hw_inventory *inv)
{
	for (unsigned i = 0; i < arm_plat.nram && i < HW_MAX_RAM_RANGES; i++) {
		inv->ram[i].base = arm_plat.ram[i].base;
		inv->ram[i].length = arm_plat.ram[i].size;
		inv->nram = i + 1;
	}
	inv->console_base = arm_plat.uart.base;
	if (arm_plat.ecam.size)
		inv->ecam[inv->necam++] = (struct hw_ecam){
			.base = arm_plat.ecam.base,
			.bus_first = arm_plat.bus_first,
			.bus_last = arm_plat.bus_last,
		};
	if (arm_plat.smmu.size)
		inv->iommus[inv->niommus++] = (struct hw_iommu_unit){
			.base = arm_plat.smmu.base,
			.covers_all = true,
		};
	for (unsigned i = 0; i < pci->ndevices && i < HW_MAX_DEVICES; i++) {
		inv->devices[i].bdf = pci->devices[i].bdf;
		inv->devices[i].group = pci->devices[i].group;
		inv->device_dma_id[i] =
			arch_device_requester_id(pci->devices[i].bdf);
		inv->ndevices = i + 1;
	}
	for (unsigned i = 0; i < arm_plat.ncpus && i < HW_MAX_CPUS; i++) {
		inv->cpu_hw_ids[i] = arm_plat.cpu_mpidr[i];
		inv->ncpus = i + 1;
	}
	inv->pool_lo = pool_lo;
	inv->pool_hi = pool_hi;
	inv->pool_align = BLOCK_2M;
}

/*
 * booting.rst ("Call the kernel image") wants the MMU and the D-cache off
 * at entry; boot.S turns them off anyway, but a loader that left them on
 * may also have left stale lines over the image: say so.
 */
static void report_entry_state(uint64_t entry_sctlr)
{
	if (entry_sctlr & (SCTLR_M | SCTLR_C))
		hv_printf("arm64: entered with the MMU or the D-cache on "
			  "(SCTLR_EL2 %lx): the loader broke the boot "
			  "protocol\n",
			  entry_sctlr);
	else
		hv_printf("arm64: entered with the MMU and the D-cache off\n");
}

void aarch64_boot(uint64_t dtb_phys, uint64_t entry_sctlr)
{
	static struct pci_inventory pci; /* pci.c keeps a pointer to it */
	static struct hw_inventory inv;

	a64_cpu_boot_init();
	boot_counter = timer_counter();
	if (arm_discover(dtb_phys, &arm_plat)) {
		/* arm_discover said why on the early UART, if the board has
		 * one: there is no other console to say it on. */
		psci_system_off();
	}
	report_entry_state(entry_sctlr);
	efi_take_handoff(&arm_plat);
	hv_printf("arm64: booted at EL2, device tree at %lx, counter %lu "
		  "Hz\n",
		  dtb_phys, timer_freq());
	el2_init();
	psci_init(arm_plat.psci_smc);
	if (memory_init())
		system_boot_failed("memory layout");
	/* Before the EL2 tables take their pages: the heap check wants an
	 * empty heap. */
	early_self_tests();
	mmu_setup();
	hv_fault_test();
	if (gic_init(arm_plat.gicd.base, arm_plat.gicr.base, arm_plat.gicr.size,
		     arm_plat.timer_hyp_intid))
		system_boot_failed("interrupt controller");
	pci_scan_dt(&arm_plat, &pci);
	iommu_init_dt(&arm_plat, &pci);
	fill_inventory(&pci, &inv);
	system_build(&inv);
	system_start();
}

/*
 * Time from the hypervisor's first instruction of C to the first
 * hypercall any domain makes (make bench, arm64.boot_to_hcall.us).
 */
void aarch64_note_first_hypercall(void)
{
	uint64_t ticks = timer_counter() - boot_counter;

	hv_printf("bench: arm64.boot_to_hcall.us %lu us\n",
		  ticks * 1000000 / timer_freq());
}

/*
 * A QEMU run ends with PSCI SYSTEM_OFF, whose exit status is always 0,
 * so the status goes in the log first, as the last line the hypervisor
 * prints: scripts/qemu-run.sh reads it back (BOARD_EXIT_MAP := log).
 * Semihosting could carry it as an exit status, but a domain at EL1 can
 * issue semihosting calls too, and must not be able to end the run.
 */
void arch_exit(enum arch_exit_code code)
{
	timer_stop();
	hv_printf("paddock: run status %u\n", (unsigned)code);
	psci_system_off();
}

void arch_timer_start(unsigned us, unsigned ndomains)
{
	hv_printf("arm64: EL2 timer %lu ticks/s, PPI %u, slice %u us; "
		  "starting %u domains\n",
		  timer_freq(), arm_plat.timer_hyp_intid, us, ndomains);
	timer_start(us);
}

void arch_run_ending(void)
{
	timer_stop();
	iommu_poll_faults();
}

void arch_run_over(void)
{
	aarch64_test_end_of_run();
}

void arch_summary_lines(void)
{
	aarch64_print_interrupt_counts();
}
