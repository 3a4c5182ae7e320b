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
#include <asm/acpi_high.h>
#include <asm/apic.h>
#include <asm/bootinfo.h>
#include <asm/console.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/dmatest.h>
#include <asm/domain.h>
#include <asm/memory.h>
#include <asm/multiboot.h>
#include <asm/multiboot2.h>
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

static struct boot_info boot_info;
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

/*
 * The heap, the domain pool and the low page, placed in RAM the firmware's
 * map calls usable (memory.c, memmap.c) and checked against that map;
 * the pool in whole 2 MiB pages, which are then removed from the physmap.
 */
static int memory_init(void)
{
	uint64_t heap_lo;

	if (x86_memory_init(&boot_info, (uint64_t)_end - KERNEL_VMA,
			    platform_config.heap_bytes, &heap_lo, &pool_lo,
			    &pool_hi))
		return -1;
	system_heap_init(phys_to_virt(heap_lo), platform_config.heap_bytes);
	paging_hide_range(pool_lo, pool_hi);
	return 0;
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
	if (cmdline_has(boot_info.cmdline, "paddock.test=heap"))
		heap_self_check(heap_verdict);
	if (cmdline_has(boot_info.cmdline, "paddock.test=hv-fault")) {
		hv_printf("x86: test: faulting in hypervisor mode\n");
		__asm__ volatile("ud2");
	}
	/* cpus.c faults on CPU 1 once it is set up (suite-x86-hvfault-ap). */
	if (cmdline_has(boot_info.cmdline, "paddock.test=hv-fault-ap"))
		x86_test_fault_cpu = 1;
	if (cmdline_has(boot_info.cmdline, "paddock.test=hv-nx")) {
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
	/* Usable RAM, one entry per run of adjacent usable entries. */
	for (unsigned i = 0; i < boot_info.nranges; i++) {
		const struct mem_range *r = &boot_info.ranges[i];
		struct hw_ram_range *last =
			inv->nram ? &inv->ram[inv->nram - 1] : NULL;

		if (r->kind != MEM_USABLE)
			continue;
		if (last && last->base + last->length == r->base)
			last->length += r->length;
		else if (inv->nram < HW_MAX_RAM_RANGES)
			inv->ram[inv->nram++] = (struct hw_ram_range){
				.base = r->base, .length = r->length};
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

/* The loader's information, by the magic it entered boot.S with. */
static int read_boot_info(uint32_t magic, uint32_t info_phys)
{
	if (magic == MB2_BOOT_MAGIC)
		return multiboot2_read(info_phys, &boot_info);
	if (magic == MB_BOOT_MAGIC)
		return multiboot_read(info_phys, &boot_info);
	hv_printf("x86: entered with magic %x: neither Multiboot nor "
		  "Multiboot2\n",
		  magic);
	return -1;
}

/*
 * One line that says how this boot went, which suite-x86-uefi requires:
 * a silent fall back to Multiboot v1 or to the BIOS scan must show.
 */
static void print_boot_path(const struct acpi_info *acpi)
{
	hv_printf("x86: boot: multiboot%s from \"%s\", memory map from %s%s, "
		  "command line \"%s\"%s, RSDP from %s, %s\n",
		  boot_info.multiboot == 2 ? "2" : " v1",
		  boot_info.loader[0] ? boot_info.loader : "an unnamed loader",
		  boot_info.map_tag == MB2_TAG_EFI_MMAP ? "tag 17 (EFI)"
		  : boot_info.map_tag == MB2_TAG_MMAP	? "tag 6 (E820)"
							: "the mmap (E820)",
		  boot_info.map_truncated ? " (truncated)" : "",
		  boot_info.cmdline,
		  boot_info.cmdline_truncated ? " (truncated)" : "",
		  acpi->rsdp_from, acpi->root_name);
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
	if (read_boot_info(magic, info_phys))
		system_boot_failed("boot information");
	if (memory_init())
		system_boot_failed("memory layout");
	/* The page memory_init() set aside below 1 MiB (memory.c). */
	x86_cpus_set_trampoline(x86_low_page_reserve());
	paging_init((uint64_t)_end - KERNEL_VMA);
	early_self_tests();
	pic_disable();
	if (cmdline_has(boot_info.cmdline, "paddock.test=acpi-high"))
		x86_test_acpi_high(&boot_info);
	acpi_init(&boot_info, &acpi);
	print_boot_path(&acpi);
	lapic_init(acpi.lapic_phys);
	x86_cpus_discover(&acpi);
	pci_scan_acpi(&acpi, &pci);
	if (cmdline_has(boot_info.cmdline, "paddock.test=rmrr") ||
	    cmdline_has(boot_info.cmdline, "paddock.test=rmrr-overlap"))
		x86_test_rmrr_inject(cmdline_has(boot_info.cmdline,
						 "paddock.test=rmrr-overlap"));
	rmrr_exclude_from_pool(&pool_lo, &pool_hi);
	iommu_init(&acpi);
	fill_inventory(&acpi, &pci, &inv);
	system_build(&inv);
	if (cmdline_has(boot_info.cmdline, "paddock.test=dma"))
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
