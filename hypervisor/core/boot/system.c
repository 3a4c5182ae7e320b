/* SPDX-License-Identifier: MIT */
/*
 * Building the system at boot, on any architecture: the configuration
 * checked against what the arch discovered, the PASID manager, one set
 * per domain, the domains and their devices.  And the boot-failure path.
 */
#include <paddock/heap.h>
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/mem.h>
#include <paddock/pasid.h>
#include <paddock/system.h>
#include <config/config.h>

#define MAX_IMAGE_NAMES 32

static struct hv_system hv_sys;
static struct domain *domain_table[CFG_MAX_DOMAINS];
static uint64_t pool_next, pool_align;

struct hv_system *hv_system(void)
{
	return &hv_sys;
}

void system_boot_failed(const char *what)
{
	hv_printf("%s: boot failed: %s\n", arch_log_prefix, what);
	arch_exit(ARCH_EXIT_BOOT_FAILED);
}

static __attribute__((noreturn)) void heap_corrupt(void *p)
{
	hv_printf("%s: pd_free(%p): not a live heap block\n", arch_log_prefix,
		  p);
	arch_exit(ARCH_EXIT_HV_FAULT);
}

void system_heap_init(void *base, size_t bytes)
{
	heap_init(base, bytes, heap_corrupt);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t pool_alloc(uint64_t bytes)
{
	uint64_t p = pool_next;

	pool_next += align_up(bytes, pool_align);
	return p;
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

static int check_config(const struct hw_inventory *hw)
{
	static const char *image_names[MAX_IMAGE_NAMES];
	static struct cfg_device devices[HW_MAX_DEVICES];
	struct cfg_report report;
	struct cfg_inventory inv = {
		.devices = devices,
		.ndevices = hw->ndevices,
		.pool_bytes = hw->pool_hi - hw->pool_lo,
		.mem_align = hw->pool_align,
		.pasid_bits = pasid_width(),
		.ncpus = cpus_found,
		.images = image_names,
		.nimages = guest_image_count,
	};

	for (unsigned i = 0; i < hw->ndevices; i++)
		devices[i] = (struct cfg_device){.bdf = hw->devices[i].bdf,
						 .group = hw->devices[i].group};
	for (unsigned i = 0; i < guest_image_count && i < MAX_IMAGE_NAMES; i++)
		image_names[i] = guest_images[i].name;
	if (inv.nimages > MAX_IMAGE_NAMES)
		inv.nimages = MAX_IMAGE_NAMES;
	if (!config_validate(&platform_config, &system_config, &inv, &report)) {
		hv_printf("%s: system '%s': %u domains, configuration valid\n",
			  arch_log_prefix, system_config.name,
			  system_config.ndomains);
		return 0;
	}
	for (unsigned i = 0; i < report.nerrors && i < CFG_MAX_ERRORS; i++)
		hv_printf("config error: %s\n", report.errors[i]);
	hv_printf("%s: system '%s' refused: %u configuration errors\n",
		  arch_log_prefix, system_config.name, report.nerrors);
	return -1;
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
		hv_printf("%s: PASID manager: %s\n", arch_log_prefix, err.text);
		return -1;
	}
	hv_printf("%s: PASID space %u bits (platform cap %u, %u IOMMUs)\n",
		  arch_log_prefix, bits, platform_config.pasid_bits_cap,
		  iommu_count());
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
		hv_printf("%s: domain %s: PASID set: %s\n", arch_log_prefix,
			  cfg->name, err.text);
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

		if (hv_source_add(&hv_sys, arch_device_requester_id(bdf), id)) {
			hv_printf("%s: domain %s: device %02x:%02x.%x: its "
				  "DMA ID %04x cannot be given to it "
				  "for fault routing\n",
				  arch_log_prefix, cfg->name, bdf >> 8,
				  (bdf >> 3) & 31, bdf & 7,
				  arch_device_requester_id(bdf));
			return -1;
		}
		if (pasid_device_add(hv_sys.pasids, bdf, id, iommu, &err) < 0)
			hv_printf("%s: domain %s: device %02x:%02x.%x not "
				  "registered: %s\n",
				  arch_log_prefix, cfg->name, bdf >> 8,
				  (bdf >> 3) & 31, bdf & 7, err.text);
	}
	return 0;
}

static int domains_init(void)
{
	const struct system_cfg *sys = &system_config;
	uint64_t first_mem = 0;

	hv_sys.domains = domain_table;
	for (unsigned i = 0; i < sys->ndomains; i++) {
		const struct domain_cfg *cfg = &sys->domains[i];
		uint64_t mem = pool_alloc(cfg->mem_bytes);
		/* Another domain's memory, for the hostile tests to aim at. */
		uint64_t other = i ? first_mem
				   : mem + align_up(cfg->mem_bytes, pool_align);
		struct domain *d;
		struct percpu *c;

		if (!i)
			first_mem = mem;
		if (pasid_set_for(i, cfg))
			return -1;
		d = domain_build(i, cfg, mem, other);
		if (!d)
			return -1;
		if (devices_for(i, cfg))
			return -1;
		domain_table[i] = d;
		hv_sys.ndomains = i + 1;
		c = system_cpu_for(cfg);
		d->cpu = c->id;
		sched_add(d, c);
		hv_printf("%s: domain %u '%s': %lu MiB at %lx, image %s, PASID "
			  "quota %u%s, cpu %u\n",
			  arch_log_prefix, i, cfg->name, cfg->mem_bytes >> 20,
			  mem, cfg->image, cfg->pasid_quota,
			  cfg->privileged ? ", privileged" : "", c->id);
	}
	return 0;
}

/* The CPUs the arch found, the boot CPU first; the rest are left off. */
static void cpus_init(const struct hw_inventory *inv)
{
	unsigned n = inv->ncpus ? inv->ncpus : 1;

	if (n > CFG_MAX_CPUS) {
		hv_printf("%s: %u CPUs found; Paddock runs on the first %u "
			  "(CFG_MAX_CPUS)\n",
			  arch_log_prefix, n, CFG_MAX_CPUS);
		n = CFG_MAX_CPUS;
	}
	cpus_found = n;
	for (unsigned i = 0; i < n; i++) {
		percpus[i].id = i;
		percpus[i].hw_id = inv->ncpus ? inv->cpu_hw_ids[i] : 0;
	}
}

void system_build(const struct hw_inventory *inv)
{
	hv_sys.collect_faults = iommu_poll_faults;
	cpus_init(inv);
	pool_next = inv->pool_lo;
	pool_align = inv->pool_align;
	if (check_config(inv))
		system_boot_failed("configuration");
	if (pasid_init())
		system_boot_failed("PASID manager");
	if (domains_init())
		system_boot_failed("domains");
}

void system_start(void)
{
	arch_timer_start(platform_config.timeslice_us, hv_sys.ndomains);
	system_cpus_start();
	arch_start_first();
}
