/* SPDX-License-Identifier: MIT */
/*
 * From x86_start64 to the first domain: CPU state, memory, firmware
 * tables into the generic inventory, then the generic system build
 * (core/boot).  And the x86 hooks of the end of the run.
 */
#include <paddock/heap.h>
#include <paddock/hypercall.h>
#include <paddock/mem.h>
#include <paddock/system.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/console.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/dmatest.h>
#include <asm/domain.h>
#include <asm/lowmem.h>
#include <asm/multiboot.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/rmrr.h>
#include <asm/smp.h>
#include <asm/string.h>
#include <asm/testop.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <config/config.h>

#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define CPUID7_ECX_UMIP (1u << 2)

bool x86_smap_enabled;
unsigned x86_test_fault_cpu;

extern char _end[];

static struct boot_memory boot_mem;
static uint64_t pool_lo, pool_hi;
static uint64_t boot_tsc, tsc_per_us = 1;

/*
 * Time from the hypervisor's first instruction of C to the first
 * hypercall any domain makes, and from reset (TSC 0) to the hypervisor.
 */
void x86_note_first_hypercall(void)
{
	uint64_t now = rdtsc();

	hv_printf("bench: x86.boot_to_hcall.us %lu us\n",
		  (now - boot_tsc) / tsc_per_us);
	hv_printf("bench: x86.reset_to_hypervisor.us %lu us\n",
		  boot_tsc / tsc_per_us);
}

uint64_t x86_tsc_per_us(void)
{
	return tsc_per_us;
}

void arch_exit(enum arch_exit_code code)
{
	if (platform_config.exit_port)
		outl(platform_config.exit_port, code);
	cpu_halt_forever();
}

/*
 * No x87/SSE state is switched between domains, so any FPU use traps
 * (CR0.EM, SDM Vol. 3A, 2.5) and CR4.OSFXSR stays clear: a domain using
 * floating point crashes instead of corrupting another's registers.
 * SMEP (SDM Vol. 3A, 4.6.1) stops the hypervisor running guest code, SMAP
 * stops it touching guest memory outside user_access_begin/end.
 */
static void cpu_init(void)
{
	uint32_t r[4];

	write_cr0(read_cr0() | CR0_EM | CR0_MP | CR0_WP);
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		if (r[1] & CPUID7_EBX_SMEP)
			write_cr4(read_cr4() | CR4_SMEP);
		if (r[1] & CPUID7_EBX_SMAP) {
			write_cr4(read_cr4() | CR4_SMAP);
			x86_smap_enabled = true;
		}
		/* UMIP: SGDT, SIDT, SLDT, SMSW, STR fault in ring 3 instead of
		 * telling a domain where our tables are. */
		if (r[2] & CPUID7_ECX_UMIP)
			write_cr4(read_cr4() | CR4_UMIP);
	}
	hv_printf("x86: SMEP %s, SMAP %s, UMIP %s\n",
		  read_cr4() & CR4_SMEP ? "on" : "off",
		  x86_smap_enabled ? "on" : "off",
		  read_cr4() & CR4_UMIP ? "on" : "off");
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Heap right after the image (and after the Multiboot data the loader put
 * there, already copied out); the domain pool after the heap, to the end
 * of that RAM range, in whole 2 MiB pages so that the physmap can drop it.
 */
static int memory_init(void)
{
	uint64_t image_end = (uint64_t)_end - KERNEL_VMA;
	uint64_t heap_lo = align_up(image_end + 0x10000, LARGE_PAGE_SIZE);
	uint64_t heap_hi = heap_lo + platform_config.heap_bytes;

	for (unsigned i = 0; i < boot_mem.nranges; i++) {
		const struct mem_range *r = &boot_mem.ranges[i];
		uint64_t end = r->base + r->length;

		hv_printf("x86: ram %016lx-%016lx type %u\n", r->base, end - 1,
			  r->type);
		if (r->type != MB_MMAP_AVAILABLE || r->base > image_end ||
		    end < heap_hi + LARGE_PAGE_SIZE)
			continue;
		pool_lo = align_up(heap_hi, LARGE_PAGE_SIZE);
		pool_hi = end & ~(LARGE_PAGE_SIZE - 1);
		if (pool_hi > PHYSMAP_SIZE)
			pool_hi = PHYSMAP_SIZE;
	}
	if (pool_hi <= pool_lo) {
		hv_printf("x86: no RAM range holds image, heap and pool\n");
		return -1;
	}
	system_heap_init(phys_to_virt(heap_lo), platform_config.heap_bytes);
	paging_hide_range(pool_lo, pool_hi);
	hv_printf("x86: image %lx-%lx, heap %lx-%lx, domain pool "
		  "%lx-%lx (%lu MiB)\n",
		  (uint64_t)KERNEL_LOAD_PHYS, image_end - 1, heap_lo,
		  heap_hi - 1, pool_lo, pool_hi - 1, (pool_hi - pool_lo) >> 20);
	return 0;
}

#define LOW_MEMORY_END 0x100000ull /* real mode reaches 1 MiB */

/* Ends the range at `at`, moving what follows into a new range of its
 * own when the table has room (else that part is not used at all). */
static void split_range(unsigned i, uint64_t at, uint32_t type_after)
{
	struct mem_range *r = &boot_mem.ranges[i];
	uint64_t end = r->base + r->length;

	r->length = at - r->base;
	if (boot_mem.nranges < MEM_MAX_RANGES)
		boot_mem.ranges[boot_mem.nranges++] = (struct mem_range){
			.base = at, .length = end - at, .type = type_after};
}

/*
 * The highest whole page of usable RAM below 1 MiB, away from page 0 (the
 * real-mode interrupt vectors and the BIOS data area, which acpi.c reads
 * for the EBDA).  The map then says it is reserved, from the page up to
 * the end of its range: anything that asks the map (the test RMRR's
 * page, the pool) never gets it.
 */
uint64_t x86_low_page_reserve(void)
{
	static uint64_t page;
	unsigned best = MEM_MAX_RANGES;

	if (page)
		return page;
	for (unsigned i = 0; i < boot_mem.nranges; i++) {
		const struct mem_range *r = &boot_mem.ranges[i];
		uint64_t lo = align_up(r->base, PAGE_SIZE);
		uint64_t hi = r->base + r->length;

		if (r->type != MB_MMAP_AVAILABLE || r->base >= LOW_MEMORY_END)
			continue;
		if (hi > LOW_MEMORY_END)
			hi = LOW_MEMORY_END;
		hi &= ~(PAGE_SIZE - 1);
		if (lo < PAGE_SIZE)
			lo = PAGE_SIZE;
		if (hi < lo + PAGE_SIZE || hi - PAGE_SIZE <= page)
			continue;
		page = hi - PAGE_SIZE;
		best = i;
	}
	if (!page)
		return 0;
	/* What lies above 1 MiB in the same range stays usable. */
	if (boot_mem.ranges[best].base + boot_mem.ranges[best].length >
	    LOW_MEMORY_END)
		split_range(best, LOW_MEMORY_END, MB_MMAP_AVAILABLE);
	split_range(best, page, MB_MMAP_RESERVED);
	hv_printf("x86: page %lx (below 1 MiB) reserved for starting CPUs\n",
		  page);
	return page;
}

static void heap_verdict(const char *what, bool ok)
{
	hv_printf("HEAP TEST %s %s\n", ok ? "PASS" : "FAIL", what);
}

/*
 * Self-tests the command line asks for (suite-x86-selftest, -hvfault,
 * -hvnx), run once the hypervisor's own tables are final.
 */
static void early_self_tests(void)
{
	if (cmdline_has(boot_mem.cmdline, "paddock.test=heap"))
		heap_self_check(heap_verdict);
	if (cmdline_has(boot_mem.cmdline, "paddock.test=hv-fault")) {
		hv_printf("x86: test: faulting in hypervisor mode\n");
		__asm__ volatile("ud2");
	}
	/* cpus.c faults on CPU 1 once it is set up (suite-x86-hvfault-ap). */
	if (cmdline_has(boot_mem.cmdline, "paddock.test=hv-fault-ap"))
		x86_test_fault_cpu = 1;
	if (cmdline_has(boot_mem.cmdline, "paddock.test=hv-nx")) {
		/* Our own code, through its physmap alias: must not run. */
		void (*alias)(void) = phys_to_virt(virt_to_phys(&cpu_init));

		hv_printf("x86: test: executing through the physmap\n");
		alias();
	}
}

/* What the firmware tables and the PCI scan found, in generic terms. */
static void fill_inventory(const struct acpi_info *acpi,
			   const struct pci_inventory *pci,
			   struct hw_inventory *inv)
{
	for (unsigned i = 0; i < boot_mem.nranges && i < HW_MAX_RAM_RANGES;
	     i++) {
		if (boot_mem.ranges[i].type != MB_MMAP_AVAILABLE)
			continue;
		inv->ram[inv->nram].base = boot_mem.ranges[i].base;
		inv->ram[inv->nram++].length = boot_mem.ranges[i].length;
	}
	inv->console_base = platform_config.console_port;
	if (acpi->have_ecam)
		inv->ecam[inv->necam++] = (struct hw_ecam){
			.base = acpi->ecam_phys,
			.bus_first = acpi->ecam_start_bus,
			.bus_last = acpi->ecam_end_bus,
		};
	for (unsigned i = 0; i < acpi->ndrhd && i < HW_MAX_IOMMUS; i++)
		inv->iommus[inv->niommus++] = (struct hw_iommu_unit){
			.base = acpi->drhd[i].reg_base,
			.segment = acpi->drhd[i].segment,
			.covers_all = acpi->drhd[i].include_pci_all,
		};
	for (unsigned i = 0; i < pci->ndevices && i < HW_MAX_DEVICES; i++) {
		inv->devices[i].bdf = pci->devices[i].bdf;
		inv->devices[i].group = pci->devices[i].group;
		inv->device_dma_id[i] = pci->requester[i];
		inv->ndevices = i + 1;
	}
	x86_cpus_fill_inventory(inv);
	inv->pool_lo = pool_lo;
	inv->pool_hi = pool_hi;
	inv->pool_align = LARGE_PAGE_SIZE;
}

/* The x86 side of every domain, for the x86 test code. */
static struct arch_domain *const *arch_domains(void)
{
	static struct arch_domain *ads[CFG_MAX_DOMAINS];
	struct hv_system *sys = hv_system();

	for (unsigned i = 0; i < sys->ndomains; i++)
		ads[i] = arch_of(sys->domains[i]);
	return ads;
}

void x86_boot(uint32_t magic, uint32_t info_phys)
{
	static struct acpi_info acpi;
	static struct pci_inventory pci; /* pci.c keeps a pointer to it */
	static struct hw_inventory inv;

	boot_tsc = rdtsc();
	/* Running on block 0's stack (boot.S): the boot CPU's state. */
	x86_cpu_block_init(0, 0, &percpus[0]);
	serial_init(platform_config.console_port);
	hv_printf("\nPaddock x86_64 on %s\n", platform_config.name);
	desc_build_idt();
	desc_load_cpu(&x86_cpu_blocks[0].cpu);
	cpu_init();
	if (multiboot_read(info_phys, &boot_mem))
		system_boot_failed("multiboot information");
	(void)magic;
	/* First, before anything else is placed: the memory map loses it. */
	x86_cpus_set_trampoline(x86_low_page_reserve());
	if (memory_init())
		system_boot_failed("memory layout");
	paging_init((uint64_t)_end - KERNEL_VMA);
	early_self_tests();
	pic_disable();
	acpi_init(&acpi);
	lapic_init(acpi.lapic_phys);
	x86_cpus_discover(&acpi);
	pci_scan_acpi(&acpi, &pci);
	if (cmdline_has(boot_mem.cmdline, "paddock.test=rmrr") ||
	    cmdline_has(boot_mem.cmdline, "paddock.test=rmrr-overlap"))
		x86_test_rmrr_inject(&boot_mem,
				     cmdline_has(boot_mem.cmdline,
						 "paddock.test=rmrr-overlap"));
	rmrr_exclude_from_pool(&pool_lo, &pool_hi);
	iommu_init(&acpi);
	fill_inventory(&acpi, &pci, &inv);
	system_build(&inv);
	if (cmdline_has(boot_mem.cmdline, "paddock.test=dma"))
		x86_dma_selftest(arch_domains(), hv_system()->ndomains);
	system_start();
}

void arch_timer_start(unsigned us, unsigned ndomains)
{
	uint32_t tpu = lapic_timer_calibrate(&tsc_per_us);

	hv_printf("x86: APIC timer %u ticks/us, TSC %lu ticks/us, slice %u us; "
		  "starting %u domains\n",
		  tpu, tsc_per_us, us, ndomains);
	lapic_timer_start(us);
}

void arch_run_ending(void)
{
	lapic_timer_stop();
	write_cr3(paging_hv_root());
	iommu_poll_faults(); /* route what came in since the last tick */
}

void arch_run_over(void)
{
	x86_test_end_of_run(arch_domains(), hv_system()->ndomains);
}

void arch_summary_lines(void)
{
	x86_print_interrupt_counts();
}
