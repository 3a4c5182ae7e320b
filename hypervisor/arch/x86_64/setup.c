/* SPDX-License-Identifier: MIT */
/*
 * From x86_start64 to the first domain: CPU state, memory, firmware
 * tables, the configuration check, the PASID manager, the domains.  And
 * the end of the run: the summary table and the exit status.
 */
#include <paddock/hypercall.h>
#include <paddock/mem.h>
#include <paddock/pasid.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/console.h>
#include <asm/desc.h>
#include <asm/dmatest.h>
#include <asm/domain.h>
#include <asm/multiboot.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/platform.h>
#include <asm/rmrr.h>
#include <asm/sched.h>
#include <asm/string.h>
#include <asm/testop.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <config/config.h>
#include <xen/sched.h>
#include <paddock/heap.h>

#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define CPUID7_ECX_UMIP (1u << 2)

bool x86_smap_enabled;

extern char _end[];

static struct hv_system hv_sys;
static struct domain *domain_table[CFG_MAX_DOMAINS];
static struct arch_domain *arch_table[CFG_MAX_DOMAINS];
static struct boot_memory boot_mem;
static uint64_t pool_lo, pool_hi, pool_next;
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

struct hv_system *hv_system(void)
{
	return &hv_sys;
}

void platform_exit(enum platform_exit_code code)
{
	if (platform_config.exit_port)
		outl(platform_config.exit_port, code);
	cpu_halt_forever();
}

static void heap_corrupt(void *p)
{
	hv_printf("x86: pd_free(%p): not a live heap block\n", p);
	platform_exit(PLATFORM_EXIT_HV_FAULT);
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
	heap_init(phys_to_virt(heap_lo), platform_config.heap_bytes,
		  heap_corrupt);
	paging_hide_range(pool_lo, pool_hi);
	pool_next = pool_lo;
	hv_printf("x86: image %lx-%lx, heap %lx-%lx, domain pool "
		  "%lx-%lx (%lu MiB)\n",
		  (uint64_t)KERNEL_LOAD_PHYS, image_end - 1, heap_lo,
		  heap_hi - 1, pool_lo, pool_hi - 1, (pool_hi - pool_lo) >> 20);
	return 0;
}

static uint64_t pool_alloc(uint64_t bytes)
{
	uint64_t p = pool_next;

	pool_next += align_up(bytes, LARGE_PAGE_SIZE);
	return p;
}

#define MAX_IMAGE_NAMES 32

static unsigned pasid_width(void);

static int check_config(const struct pci_inventory *pci)
{
	static const char *image_names[MAX_IMAGE_NAMES];
	struct cfg_report report;
	struct cfg_inventory inv = {
		.devices = pci->devices,
		.ndevices = pci->ndevices,
		.pool_bytes = pool_hi - pool_lo,
		.mem_align = LARGE_PAGE_SIZE,
		.pasid_bits = pasid_width(),
		.images = image_names,
		.nimages = guest_image_count,
	};

	for (unsigned i = 0; i < guest_image_count && i < MAX_IMAGE_NAMES; i++)
		image_names[i] = guest_images[i].name;
	if (inv.nimages > MAX_IMAGE_NAMES)
		inv.nimages = MAX_IMAGE_NAMES;
	if (!config_validate(&platform_config, &system_config, &inv, &report)) {
		hv_printf("x86: system '%s': %u domains, configuration "
			  "valid\n",
			  system_config.name, system_config.ndomains);
		return 0;
	}
	for (unsigned i = 0; i < report.nerrors && i < CFG_MAX_ERRORS; i++)
		hv_printf("config error: %s\n", report.errors[i]);
	hv_printf("x86: system '%s' refused: %u configuration errors\n",
		  system_config.name, report.nerrors);
	return -1;
}

/* PASID width: the narrowest of the IOMMUs and the platform's cap. */
static unsigned pasid_width(void)
{
	unsigned bits = platform_config.pasid_bits_cap;

	if (bits > PASID_BITS_MAX)
		bits = PASID_BITS_MAX;
	for (unsigned i = 0; i < iommu_count(); i++) {
		unsigned w = iommu_get(i)->pasid_bits;

		if (w && w < bits)
			bits = w;
	}
	return bits;
}

static int pasid_init(void)
{
	struct pasid_err err;
	unsigned bits = pasid_width();

	hv_sys.pasids = pd_zalloc(sizeof(*hv_sys.pasids));
	if (!hv_sys.pasids)
		return -1;
	if (pasid_mgr_init(hv_sys.pasids, bits, platform_config.hv_pasid_quota,
			   &err) < 0) {
		hv_printf("x86: PASID manager: %s\n", err.text);
		return -1;
	}
	hv_printf("x86: PASID space %u bits (platform cap %u, %u IOMMUs)\n",
		  bits, platform_config.pasid_bits_cap, iommu_count());
	return 0;
}

static int pasid_set_for(domid_t id, const struct domain_cfg *cfg)
{
	struct pasid_err err;
	struct pasid_set_cfg sc = {
		.domain = id,
		.privileged = cfg->privileged,
		.quota = cfg->pasid_quota,
		.range_lo = cfg->pasid_range.lo,
		.range_hi = cfg->pasid_range.hi,
	};

	if (pasid_set_create(hv_sys.pasids, &sc, &err) < 0) {
		hv_printf("x86: domain %s: PASID set: %s\n", cfg->name,
			  err.text);
		return -1;
	}
	return 0;
}

/*
 * Registers each assigned device with the manager, with the IOMMU unit
 * whose scope covers it.  The manager refuses a device without an IOMMU;
 * then the device stays unregistered and binds to it fail cleanly.
 * Fault routing learns who owns the requester ID the device's DMA
 * carries (behind a PCIe-to-PCI bridge, the alias it shares with its
 * group, which config_validate keeps in one domain).
 */
static int devices_for(domid_t id, const struct domain_cfg *cfg)
{
	for (unsigned i = 0; i < cfg->ndevices; i++) {
		uint32_t bdf = cfg->devices[i];
		struct pasid_iommu *iommu = iommu_for_device(bdf);
		struct pasid_err err;

		if (hv_source_add(&hv_sys, pci_requester_id(bdf), id)) {
			hv_printf("x86: domain %s: device %02x:%02x.%x: "
				  "its requester ID %04x cannot be "
				  "given to it for fault routing\n",
				  cfg->name, bdf >> 8, (bdf >> 3) & 31, bdf & 7,
				  pci_requester_id(bdf));
			return -1;
		}
		if (pasid_device_add(hv_sys.pasids, bdf, id, iommu, &err) < 0)
			hv_printf("x86: domain %s: device %02x:%02x.%x "
				  "not registered: %s\n",
				  cfg->name, bdf >> 8, (bdf >> 3) & 31, bdf & 7,
				  err.text);
	}
	return 0;
}

static int domains_init(void)
{
	const struct system_cfg *sys = &system_config;

	hv_sys.domains = domain_table;
	for (unsigned i = 0; i < sys->ndomains; i++) {
		const struct domain_cfg *cfg = &sys->domains[i];
		uint64_t mem = pool_alloc(cfg->mem_bytes);
		/* Another domain's memory, for the hostile tests to aim at. */
		uint64_t other =
			i ? arch_table[0]->mem_phys
			  : mem + align_up(cfg->mem_bytes, LARGE_PAGE_SIZE);
		struct arch_domain *ad;

		if (pasid_set_for(i, cfg))
			return -1;
		ad = domain_build(i, cfg, mem, other);
		if (!ad)
			return -1;
		if (devices_for(i, cfg))
			return -1;
		arch_table[i] = ad;
		domain_table[i] = ad->d;
		hv_sys.ndomains = i + 1;
		sched_add(ad);
		hv_printf("x86: domain %u '%s': %lu MiB at %lx, image %s, "
			  "PASID quota %u%s\n",
			  i, cfg->name, cfg->mem_bytes >> 20, mem, cfg->image,
			  cfg->pasid_quota,
			  cfg->privileged ? ", privileged" : "");
	}
	return 0;
}

/* Does the command line hold `word` as a whole space-separated word? */
static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = pd_strlen(word);

	for (const char *p = cmdline; *p;) {
		size_t len = 0;

		while (p[len] && p[len] != ' ')
			len++;
		if (len == n && !memcmp(p, word, n))
			return true;
		p += len;
		while (*p == ' ')
			p++;
	}
	return false;
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
	if (cmdline_has(boot_mem.cmdline, "paddock.test=hv-nx")) {
		/* Our own code, through its physmap alias: must not run. */
		void (*alias)(void) = phys_to_virt(virt_to_phys(&cpu_init));

		hv_printf("x86: test: executing through the physmap\n");
		alias();
	}
}

/** Boot failed before any domain ran: say so and leave. */
static __attribute__((noreturn)) void boot_failed(const char *what)
{
	hv_printf("x86: boot failed: %s\n", what);
	platform_exit(PLATFORM_EXIT_BOOT_FAILED);
}

void x86_boot(uint32_t magic, uint32_t info_phys)
{
	static struct acpi_info acpi;
	static struct pci_inventory pci; /* pci.c keeps a pointer to it */
	uint32_t tpu;

	boot_tsc = rdtsc();
	serial_init(platform_config.console_port);
	hv_printf("\nPaddock x86_64 on %s\n", platform_config.name);
	desc_init();
	cpu_init();
	if (multiboot_read(info_phys, &boot_mem))
		boot_failed("multiboot information");
	(void)magic;
	if (memory_init())
		boot_failed("memory layout");
	paging_init((uint64_t)_end - KERNEL_VMA);
	early_self_tests();
	pic_disable();
	acpi_init(&acpi);
	lapic_init(acpi.lapic_phys);
	pci_scan(&acpi, &pci);
	if (cmdline_has(boot_mem.cmdline, "paddock.test=rmrr") ||
	    cmdline_has(boot_mem.cmdline, "paddock.test=rmrr-overlap"))
		x86_test_rmrr_inject(&boot_mem,
				     cmdline_has(boot_mem.cmdline,
						 "paddock.test=rmrr-overlap"));
	if (rmrr_exclude_from_pool(&pool_lo, &pool_hi))
		pool_next = pool_lo;
	iommu_init(&acpi);
	if (check_config(&pci))
		boot_failed("configuration");
	if (pasid_init())
		boot_failed("PASID manager");
	if (domains_init())
		boot_failed("domains");
	if (cmdline_has(boot_mem.cmdline, "paddock.test=dma"))
		dma_selftest(arch_table, hv_sys.ndomains);
	tpu = lapic_timer_calibrate(&tsc_per_us);
	hv_printf("x86: APIC timer %u ticks/us, TSC %lu ticks/us, slice "
		  "%u us; starting %u domains\n",
		  tpu, tsc_per_us, platform_config.timeslice_us,
		  hv_sys.ndomains);
	lapic_timer_start(platform_config.timeslice_us);
	sched_start();
}

static const char *exit_word(const struct arch_domain *ad)
{
	if (ad->d->state == DOMAIN_CRASHED)
		return "crashed";
	if (ad->ended_by_hypervisor)
		return "ended";
	switch (ad->d->shutdown_code) {
	case SHUTDOWN_poweroff:
		return "poweroff";
	case SHUTDOWN_reboot:
		return "reboot";
	case SHUTDOWN_suspend:
		return "suspend";
	case SHUTDOWN_crash:
		return "crash";
	default:
		return "other";
	}
}

/*
 * A domain passed: it powered off, or it crashed when meant to, or it
 * ran until the end when meant to run forever.
 */
static bool domain_passed(const struct arch_domain *ad)
{
	if (ad->cfg->runs_forever)
		return ad->ended_by_hypervisor;
	/* Crashing on purpose means a real fault the hypervisor caught, not
	 * a guest shutting itself down with SHUTDOWN_crash. */
	if (ad->cfg->expect_crash)
		return ad->d->state == DOMAIN_CRASHED;
	return ad->d->state == DOMAIN_SHUTDOWN &&
	       ad->d->shutdown_code == SHUTDOWN_poweroff;
}

static const char *expect_word(const struct arch_domain *ad)
{
	if (ad->cfg->runs_forever)
		return "forever";
	return ad->cfg->expect_crash ? "crash" : "poweroff";
}

/* Was an earlier device of the domain's DMA tagged with this one's
 * requester ID (a function behind the same PCIe-to-PCI bridge)? */
static bool rid_counted(const struct domain_cfg *cfg, unsigned i)
{
	for (unsigned k = 0; k < i; k++) {
		if (pci_requester_id(cfg->devices[k]) ==
		    pci_requester_id(cfg->devices[i]))
			return true;
	}
	return false;
}

/* PASID-table pages of the domain's devices, from the VT-d driver: once
 * per requester ID, which is what owns the tables. */
static void domain_tables(const struct arch_domain *ad,
			  struct iommu_table_figures *sum)
{
	*sum = (struct iommu_table_figures){0};
	for (unsigned i = 0; i < ad->cfg->ndevices; i++) {
		struct iommu_table_figures f;

		if (rid_counted(ad->cfg, i))
			continue;
		iommu_device_tables(ad->cfg->devices[i], &f);
		sum->dir_pages += f.dir_pages;
		sum->leaves_peak += f.leaves_peak;
		sum->binds += f.binds;
	}
}

/*
 * One row per domain: its PASID figures as pasid_list() has them now (a
 * set that still holds parked PASIDs), else as they were when it stopped.
 */
static void summary_row(const struct arch_domain *ad,
			const struct paddock_pasid_info *live, uint32_t nlive)
{
	const struct paddock_pasid_info *p = NULL;
	static const struct paddock_pasid_info none;
	struct iommu_table_figures t;

	for (uint32_t i = 0; i < nlive; i++) {
		if (live[i].domain == ad->d->id)
			p = &live[i];
	}
	if (!p)
		p = ad->d->state != DOMAIN_RUNNING ? &ad->d->final_pasids
						   : &none;
	domain_tables(ad, &t);
	hv_printf("%-4u %-12s %-8s %-8s %5u %4u %5u %6u %4u %8u %6u %4u "
		  "%7u %5u %3u/%-3u %6lu %s\n",
		  ad->d->id, ad->d->name, exit_word(ad), expect_word(ad),
		  p->quota, p->allocated, p->bound, p->parked, p->peak,
		  p->refusals, p->faults, p->faults_suppressed,
		  p->faults_foreign, t.binds, t.dir_pages, t.leaves_peak,
		  ad->slices, domain_passed(ad) ? "ok" : "FAILED");
}

/* The PASID-table footprint at its largest, beside the format's minimum
 * for the entries present then (`make bench` reads these from the demo). */
static void print_table_peak(void)
{
	struct iommu_table_figures f;

	iommu_table_peak(&f);
	hv_printf("bench: vtd.table_pages %u pages\n", f.pages);
	hv_printf("bench: vtd.table_pages.min %u pages\n", f.min_pages);
	hv_printf("bench: vtd.table_pages.entries %u entries\n", f.entries);
}

static void print_summary(void)
{
	static struct paddock_pasid_info info[CFG_MAX_DOMAINS + 1];
	uint32_t n = pasid_list(hv_sys.pasids, info, ARRAY_SIZE(info));

	if (n > ARRAY_SIZE(info))
		n = ARRAY_SIZE(info);
	hv_printf("\nx86: all domains stopped\n");
	hv_printf("%-4s %-12s %-8s %-8s %5s %4s %5s %6s %4s %8s %6s %4s "
		  "%7s %5s %7s %6s %s\n",
		  "dom", "name", "exit", "expect", "quota", "used", "bound",
		  "parked", "peak", "refusals", "faults", "supp", "foreign",
		  "binds", "dir/lf", "slices", "result");
	for (unsigned i = 0; i < hv_sys.ndomains; i++)
		summary_row(arch_table[i], info, n);
	for (uint32_t i = 0; i < n; i++) {
		const struct paddock_pasid_info *p = &info[i];

		if (p->domain < hv_sys.ndomains)
			continue;
		hv_printf("%-4s %-12s %-8s %-8s %5u %4u %5u %6u %4u %8u "
			  "%6u %4u %7u %5s %7s %6s %s\n",
			  "hv", "(hypervisor)", "-", "-", p->quota,
			  p->allocated, p->bound, p->parked, p->peak,
			  p->refusals, p->faults, p->faults_suppressed,
			  p->faults_foreign, "-", "-", "-", "-");
	}
	hv_printf("columns: bound/parked at stop; faults: its devices' "
		  "DMA faults (hv: devices no domain owns); supp: on its "
		  "parked PASIDs; foreign: of faults, on PASIDs it did "
		  "not hold;\n");
	hv_printf("  binds: PASID entries installed on its devices; "
		  "dir/lf: PASID-directory pages / most PASID-table leaf "
		  "pages, once per requester ID\n");
	x86_print_interrupt_counts();
	print_table_peak();
}

/* The run is over: stop what was never expected to stop by itself. */
static void stop_remaining(void)
{
	for (unsigned i = 0; i < hv_sys.ndomains; i++) {
		struct arch_domain *ad = arch_table[i];

		if (!ad->runnable)
			continue;
		ad->ended_by_hypervisor = true;
		domain_stop(&hv_sys, ad->d, DOMAIN_SHUTDOWN, SHUTDOWN_poweroff,
			    "the run is over (runs_forever)");
	}
}

void x86_all_domains_stopped(void)
{
	unsigned failed = 0;

	lapic_timer_stop();
	write_cr3(paging_hv_root());
	iommu_poll_faults(); /* route what came in since the last tick */
	stop_remaining();
	x86_test_end_of_run(arch_table, hv_sys.ndomains);
	print_summary();
	for (unsigned i = 0; i < hv_sys.ndomains; i++) {
		if (!domain_passed(arch_table[i]))
			failed++;
	}
	hv_printf("x86: %u of %u domains ended as expected\n",
		  hv_sys.ndomains - failed, hv_sys.ndomains);
	platform_exit(failed ? PLATFORM_EXIT_TESTS_FAILED : PLATFORM_EXIT_OK);
}
