/* SPDX-License-Identifier: MIT */
/*
 * The machine from the device tree the loader handed over (x0 at entry):
 * read with the bounds-checked reader of hypervisor/dt/ (docs/dt.md) into
 * the generic struct dt_platform, then into what the aarch64 code uses,
 * struct arm_platform.  Runs with the MMU off, before the console exists:
 * the console is the tree's UART, and a tree that cannot be read is
 * reported on the board's early_uart instead.
 */
#include <paddock/dt_platform.h>
#include <paddock/fdt.h>
#include <paddock/hypercall.h>
#include <asm/sysreg.h>
#include <asm/devices.h>
#include <asm/platform.h>
#include <config/config.h>

/* Linux's limit for a device tree (Documentation/arm64/booting.rst). */
#define DTB_MAX_BYTES (2u << 20)

static struct dt_platform dt;

static void add_reserved(struct arm_platform *p, uint64_t base, uint64_t size)
{
	if (p->nreserved < ARM_MAX_RESERVED)
		p->reserved[p->nreserved++] = (struct arm_range){base, size};
}

static void copy_bootargs(struct arm_platform *p)
{
	size_t n = dt.bootargs_len;

	if (!dt.bootargs)
		return;
	if (n > sizeof(p->bootargs) - 1)
		n = sizeof(p->bootargs) - 1;
	for (size_t i = 0; i < n; i++)
		p->bootargs[i] = dt.bootargs[i];
	p->bootargs[n] = '\0';
}

/* The first PCIe host: ECAM, its 32-bit memory window, its iommu-map. */
static void take_pci(struct arm_platform *p)
{
	const struct dt_pci_host *h = &dt.pci[0];

	if (!dt.npci)
		return;
	p->ecam = (struct arm_range){h->ecam.base, h->ecam.size};
	p->bus_first = h->bus_first;
	p->bus_last = h->bus_last;
	for (unsigned i = 0; i < h->nwindows; i++) {
		const struct dt_pci_window *w = &h->windows[i];

		if (w->space == DT_PCI_MEM32 && !w->prefetch &&
		    !p->pci_mmio32.size) {
			p->pci_mmio32 = (struct arm_range){w->cpu, w->size};
			p->pci_mmio32_bus = w->pci;
		}
	}
	for (unsigned i = 0; i < h->niommu_map && i < ARM_MAX_PCI_MAP; i++) {
		p->rid_map[i] = (struct arm_rid_map){
			.rid_base = h->iommu_map[i].rid_base,
			.sid_base = h->iommu_map[i].iommu_base,
			.length = h->iommu_map[i].length,
		};
		p->nrid_map = i + 1;
	}
	p->rid_map_mask = h->iommu_map_mask;
}

/* MPIDR_EL1's affinity fields (Arm ARM D13.2.86): Aff3 and Aff2-0, as
 * the cpu nodes' reg holds them. */
#define MPIDR_AFFINITY 0xff00ffffffull

/*
 * The boot CPU, then every other cpu node PSCI can start; a cpu node
 * with another enable-method is left off, and said so.
 */
static void take_cpus(struct arm_platform *p)
{
	uint64_t self = read_sysreg(mpidr_el1) & MPIDR_AFFINITY;

	p->cpu_mpidr[p->ncpus++] = self;
	for (unsigned i = 0; i < dt.ncpus; i++) {
		uint64_t id = dt.cpus[i].mpidr & MPIDR_AFFINITY;

		if (id == self)
			continue;
		if (dt.cpus[i].enable != DT_CPU_ENABLE_PSCI) {
			hv_printf("arm64: cpu %lx: enable-method is not psci; "
				  "left off\n",
				  id);
			continue;
		}
		if (p->ncpus == ARM_MAX_CPUS) {
			hv_printf("arm64: more than %u CPUs; the rest are "
				  "left off\n",
				  ARM_MAX_CPUS);
			return;
		}
		p->cpu_mpidr[p->ncpus++] = id;
	}
}

static void take_platform(struct arm_platform *p, uint64_t dtb_phys,
			  uint32_t dtb_bytes)
{
	*p = (struct arm_platform){0};
	for (unsigned i = 0; i < dt.nmem && i < ARM_MAX_RAM; i++) {
		p->ram[i] = (struct arm_range){dt.mem[i].base, dt.mem[i].size};
		p->nram = i + 1;
	}
	add_reserved(p, dtb_phys, dtb_bytes);
	for (unsigned i = 0; i < dt.nreserved; i++)
		add_reserved(p, dt.reserved[i].base, dt.reserved[i].size);
	p->uart = (struct arm_range){dt.uart.base, dt.uart.size};
	p->gicd = (struct arm_range){dt.gic.dist.base, dt.gic.dist.size};
	p->gicr = (struct arm_range){dt.gic.redist[0].base,
				     dt.gic.redist[0].size};
	if (dt.gic.has_its)
		p->gits = (struct arm_range){dt.gic.its_base, 0x20000};
	p->timer_hyp_intid = dt.timer_intid[DT_TIMER_HYP_PHYS];
	p->have_psci = dt.psci.method != DT_PSCI_NONE;
	p->psci_smc = dt.psci.method == DT_PSCI_SMC;
	if (dt.nsmmu)
		p->smmu = (struct arm_range){dt.smmu[0].reg.base,
					     dt.smmu[0].reg.size};
	take_pci(p);
	copy_bootargs(p);
}

int arm_discover(uint64_t dtb_phys, struct arm_platform *p)
{
	struct fdt_err err;
	const void *blob = (const void *)(uintptr_t)dtb_phys;
	uint32_t bytes;

	if (dt_platform_read(&dt, blob, DTB_MAX_BYTES, &err) < 0) {
		pl011_init(platform_config.early_uart);
		hv_printf("\narm64: the device tree at %lx cannot be used: %s\n"
			  "arm64: boot failed: device tree\n"
			  "paddock: run status %u\n",
			  dtb_phys, err.msg, (unsigned)ARCH_EXIT_BOOT_FAILED);
		if (platform_config.early_psci_smc)
			psci_init(true);
		return -1;
	}
	bytes = fdt_be32((const uint8_t *)blob + 4); /* totalsize, checked */
	take_platform(p, dtb_phys, bytes);
	pl011_init(p->uart.base);
	hv_printf("\nPaddock aarch64 on %s\n", platform_config.name);
	dt_platform_print(&dt, hv_printf);
	take_cpus(p);
	if (dt.gic.nredist > 1)
		hv_printf("arm64: using the first of %u redistributor "
			  "regions\n",
			  dt.gic.nredist);
	return 0;
}
