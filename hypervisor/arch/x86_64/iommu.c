/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU units the PASID manager uses: one VT-d driver instance
 * (drivers/iommu/vtd/) per DMAR DRHD, given hypervisor memory and the
 * unit's registers through the physmap.  DMA faults are polled on each
 * timer tick and routed to the owning domain through hv_report_fault().
 *
 * The manager names devices by their bus:device.function; the IOMMU sees
 * the requester ID their DMA carries, which behind a PCIe-to-PCI bridge is
 * the bridge's alias (pci_requester_id()).  So the manager is handed a
 * platform view of each unit that translates one into the other.  Two
 * functions behind one such bridge share the alias, hence their entries:
 * they are one isolation group, always one domain's, so this never mixes
 * domains; unbinding a PASID from one of them unbinds it from both.
 */
#include <paddock/hypercall.h>
#include <paddock/iommu.h>
#include <paddock/mem.h>
#include <asm/console.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <paddock/hypercall.h>
#include <asm/testop.h>
#include <config/config.h>
#include <xen/errno.h>
#include "../../../drivers/iommu/vtd/vtd.h"
#include "../../../drivers/iommu/vtd/vtd_regs.h"

#define CACHE_LINE 64

static struct vtd_unit units[ACPI_MAX_DRHD];
/* What the PASID manager is given: unit i, seen through requester IDs. */
struct unit_view {
	struct pasid_iommu iommu; /* first: the manager's pointer is ours */
	struct vtd_unit *unit;
};
static struct unit_view views[ACPI_MAX_DRHD];
static const struct dmar_drhd *unit_drhd[ACPI_MAX_DRHD];
static unsigned nunits;

static void *mem_alloc(void *ctx, unsigned npages, hpaddr_t *pa)
{
	void *p = pd_zalloc(npages * PAGE_SIZE); /* page aligned: heap.c */

	(void)ctx;
	if (p)
		*pa = hpa(virt_to_phys(p));
	return p;
}

static void mem_free(void *ctx, void *va, unsigned npages)
{
	(void)ctx;
	(void)npages;
	pd_free(va);
}

static void *mem_virt(void *ctx, hpaddr_t pa)
{
	(void)ctx;
	return phys_to_virt(pa.v);
}

/* For units whose walks do not snoop: SDM Vol. 2A, CLFLUSH; MFENCE
 * orders the flushes before the invalidation that follows. */
static void mem_flush(void *ctx, const void *va, size_t len)
{
	uintptr_t p = (uintptr_t)va & ~(uintptr_t)(CACHE_LINE - 1);

	(void)ctx;
	for (; p < (uintptr_t)va + len; p += CACHE_LINE)
		__asm__ volatile("clflush (%0)" : : "r"(p) : "memory");
	__asm__ volatile("mfence" ::: "memory");
}

static const struct vtd_mem_ops mem_ops = {
	.alloc = mem_alloc,
	.free = mem_free,
	.phys_to_virt = mem_virt,
	.flush = mem_flush,
};

/*
 * Any unit may be handed a domain's first-level root, so the tables are
 * the domain's, not a unit's: made from the same heap as every table.
 */
int iommu_fl_tables(uint64_t dma_root, uint64_t *fl_root)
{
	hpaddr_t root;

	if (vtd_fl_from_sl(&mem_ops, NULL, hpa(dma_root), 4, &root))
		return -1;
	*fl_root = root.v;
	return 0;
}

void iommu_fl_free(uint64_t fl_root)
{
	vtd_fl_free(&mem_ops, NULL, hpa(fl_root));
}

static struct vtd_unit *unit_of(struct pasid_iommu *iommu)
{
	return ((struct unit_view *)iommu)->unit;
}

/*
 * PASID-table memory per requester ID, for the summary and `make bench`:
 * what each install or clear changed in its unit's counters (directories,
 * PASID-table leaves, present entries) is put down to the requester ID
 * the named device's DMA carries.  The tables hang off that ID's context
 * entry (VT-d 9.4), so functions behind one PCIe-to-PCI bridge share
 * them: counted per named device, one page would be counted once for
 * each function, and a leaf one function's install made and another's
 * clear freed would drive the first up and the second below zero.
 */
#define ACCT_DEVICES 64

static struct dev_acct {
	uint32_t rid;
	struct vtd_unit *unit;
	unsigned dir_pages; /* its PASID directory (grows with its PASIDs) */
	unsigned leaves, leaves_peak;
	unsigned entries, binds;
} acct[ACCT_DEVICES];
static unsigned nacct;
/* The largest PASID-table footprint seen, and what it held then. */
static struct iommu_table_figures peak;

static struct dev_acct *acct_of(struct vtd_unit *u, uint32_t rid)
{
	for (unsigned i = 0; i < nacct; i++) {
		if (acct[i].rid == rid && acct[i].unit == u)
			return &acct[i];
	}
	if (nacct == ACCT_DEVICES)
		return NULL;
	acct[nacct] = (struct dev_acct){.rid = rid, .unit = u};
	return &acct[nacct++];
}

static uint64_t leaves_now(const struct vtd_unit *u)
{
	return u->stats.leaves_alloc - u->stats.leaves_freed;
}

/* The format's minimum: per device with entries, one directory page and
 * a 64-entry leaf per 64 entries (VT-d 9.5, 9.6). */
static void note_peak(void)
{
	struct iommu_table_figures f = {0};

	for (unsigned i = 0; i < nacct; i++) {
		f.pages += acct[i].dir_pages + acct[i].leaves;
		f.entries += acct[i].entries;
		if (acct[i].entries)
			f.min_pages += 1 + (acct[i].entries + 63) / 64;
	}
	if (f.pages > peak.pages ||
	    (f.pages == peak.pages && f.entries >= peak.entries))
		peak = f;
}

static void account(struct vtd_unit *u, uint32_t rid, uint64_t dir_pages0,
		    uint64_t leaves0, uint64_t entries0, bool bind)
{
	struct dev_acct *a = acct_of(u, rid);

	if (!a)
		return;
	a->dir_pages += (unsigned)(u->stats.dir_pages - dir_pages0);
	a->leaves += (unsigned)(leaves_now(u) - leaves0);
	a->entries += (unsigned)(u->stats.entries - entries0);
	a->binds += bind;
	if (a->leaves > a->leaves_peak)
		a->leaves_peak = a->leaves;
	note_peak();
}

static int view_install(struct pasid_iommu *iommu, uint32_t device,
			uint32_t pasid, const struct pasid_entry_cfg *cfg)
{
	struct vtd_unit *u = unit_of(iommu);
	uint64_t dirs = u->stats.dir_pages, leaves = leaves_now(u);
	uint64_t entries = u->stats.entries;
	uint32_t rid = pci_requester_id(device);
	int rc = vtd_install(&u->iommu, rid, pasid, cfg);

	account(u, rid, dirs, leaves, entries,
		rc == 0 && u->stats.entries != entries);
	return rc;
}

static void view_clear(struct pasid_iommu *iommu, uint32_t device,
		       uint32_t pasid)
{
	struct vtd_unit *u = unit_of(iommu);
	uint64_t dirs = u->stats.dir_pages, leaves = leaves_now(u);
	uint64_t entries = u->stats.entries;
	uint32_t rid = pci_requester_id(device);

	vtd_clear(&u->iommu, rid, pasid);
	account(u, rid, dirs, leaves, entries, false);
}

static void view_invalidate(struct pasid_iommu *iommu, uint32_t device,
			    uint32_t pasid, domid_t domain)
{
	vtd_invalidate(&unit_of(iommu)->iommu, pci_requester_id(device), pasid,
		       domain);
}

static void view_wait(struct pasid_iommu *iommu)
{
	vtd_wait(&unit_of(iommu)->iommu);
}

void iommu_device_tables(uint32_t bdf, struct iommu_table_figures *out)
{
	struct pasid_iommu *iommu = iommu_for_device(bdf);
	struct vtd_unit *u = iommu ? unit_of(iommu) : NULL;
	uint32_t rid = pci_requester_id(bdf);

	*out = (struct iommu_table_figures){0};
	for (unsigned i = 0; i < nacct; i++) {
		if (acct[i].rid != rid || acct[i].unit != u)
			continue;
		out->pages = acct[i].dir_pages + acct[i].leaves;
		out->dir_pages = acct[i].dir_pages;
		out->leaves_peak = acct[i].leaves_peak;
		out->entries = acct[i].entries;
		out->binds = acct[i].binds;
	}
}

void iommu_table_peak(struct iommu_table_figures *out)
{
	*out = peak;
}

static const struct pasid_iommu_ops view_ops = {
	.install = view_install,
	.clear = view_clear,
	.invalidate = view_invalidate,
	.wait = view_wait,
};

static void unit_up(const struct dmar_drhd *drhd)
{
	struct vtd_unit *u = &units[nunits];
	struct vtd_config cfg = {
		.name = "dmar",
		.segment = drhd->segment,
		.pasid_bits_override =
			platform_config.iommu_pasid_bits_override,
		.first_level_without_flts =
			platform_config.iommu_first_level_without_flts,
	};
	int rc = vtd_unit_init(u, &cfg, &mem_ops, NULL, &vtd_mmio_ops,
			       phys_to_virt(drhd->reg_base));

	if (rc == 0 && vtd_sl_levels(u) != 4) {
		/* arch_domain_dma_root() hands out 4-level tables. */
		console_printf(
			"x86: VT-d at %lx walks %u-level tables, domains "
			"have 4 (QEMU: aw-bits=48); unit left off\n",
			drhd->reg_base, vtd_sl_levels(u));
		vtd_unit_fini(u);
		return;
	}
	if (rc == 0)
		rc = vtd_enable_translation(u);
	if (rc) {
		console_printf(
			"x86: VT-d at %lx: init failed (%d)%s\n",
			drhd->reg_base, rc,
			rc == -XEN_ENODEV
				? ": it needs scalable mode, PASIDs, "
				  "queued invalidation and interrupt "
				  "remapping (ECAP.SMTS, PASID, QI, IR); "
				  "QEMU: intel-iommu,x-scalable-mode=on,"
				  "x-pasid-mode=on,intremap=on"
				: "");
		return;
	}
	console_printf("x86: VT-d at %lx: version %x cap %lx ecap %lx, %u-bit "
		       "PASIDs, translation on, interrupt remapping on "
		       "(compatibility format blocked)\n",
		       drhd->reg_base, u->ver, u->cap, u->ecap, u->pasid_bits);
	views[nunits] = (struct unit_view){
		.iommu = {.ops = &view_ops,
			  .name = u->iommu.name,
			  .pasid_bits = u->iommu.pasid_bits},
		.unit = u,
	};
	unit_drhd[nunits++] = drhd;
}

void iommu_init(const struct acpi_info *acpi)
{
	for (unsigned i = 0; i < acpi->ndrhd && i < ACPI_MAX_DRHD; i++)
		unit_up(&acpi_get()->drhd[i]);
	if (acpi->have_dmar && !nunits)
		console_printf("x86: no usable VT-d unit; devices cannot be "
			       "bound\n");
}

unsigned iommu_count(void)
{
	return nunits;
}

struct pasid_iommu *iommu_get(unsigned i)
{
	return i < nunits ? &views[i].iommu : NULL;
}

/*
 * VT-d 8.3: a device belongs to the unit whose scope names it, else to
 * the segment's INCLUDE_PCI_ALL unit.
 */
struct pasid_iommu *iommu_for_device(uint32_t bdf)
{
	struct unit_view *catch_all = NULL;

	for (unsigned i = 0; i < nunits; i++) {
		const struct dmar_drhd *d = unit_drhd[i];

		for (unsigned s = 0; s < d->nscopes; s++) {
			if (dmar_scope_matches(&d->scopes[s], bdf))
				return &views[i].iommu;
		}
		if (d->include_pci_all && d->segment == 0)
			catch_all = &views[i];
	}
	return catch_all ? &catch_all->iommu : NULL;
}

/*
 * A blocked interrupt request (VT-d 5.1.4; reasons 0x20-0x2F) belongs to
 * no PASID: it is charged to the device that made it.
 */
static void route_interrupt_fault(const struct vtd_fault *f)
{
	struct paddock_pasid_fault pf = {
		.address = VTD_IRQ_ADDR_BASE, /* the interrupt window */
		.pasid = 0,
		.device = f->sid,
		.reason = f->reason,
		.write = true,
	};
	domid_t owner = hv_report_device_fault(hv_system(), &pf);

	console_printf("x86: interrupt request blocked: device %02x:%02x.%x "
		       "index %u reason %x -> domain %d\n",
		       f->sid >> 8, (f->sid >> 3) & 31, f->sid & 7,
		       f->irq_index, f->reason,
		       owner == PASID_DOMID_NONE ? -1 : (int)owner);
}

/*
 * A request without PASID is translated through the device's RID_PASID
 * entry (VT-d 9.4), so a fault recorded without PASID is that PASID's.
 * The record's source ID (VT-d 11.4.9.6, Fault Recording Register SID)
 * is the requester ID the request carried: hv_report_fault() charges the
 * fault to the domain owning that source, never to a PASID's owner
 * alone.
 */
static void route_fault(void *ctx, const struct vtd_fault *f)
{
	struct vtd_unit *u = ctx;
	uint32_t pasid = f->pasid_valid ? f->pasid : 0;
	struct paddock_pasid_fault pf;
	domid_t owner;

	if (f->interrupt) {
		route_interrupt_fault(f);
		return;
	}
	if (!f->pasid_valid && vtd_get_rid_pasid(u, f->sid, &pasid))
		pasid = 0;
	pf = (struct paddock_pasid_fault){
		.address = f->addr,
		.pasid = pasid,
		.device = f->sid,
		.reason = f->reason,
		.write = f->write,
	};
	owner = hv_report_fault(hv_system(), &pf);
	x86_test_fault(f->sid, pasid != 0, pasid, owner);
	console_printf(
		"x86: DMA fault: device %02x:%02x.%x PASID %u%s addr %lx "
		"reason %x -> domain %d\n",
		f->sid >> 8, (f->sid >> 3) & 31, f->sid & 7, pf.pasid,
		f->pasid_valid ? "" : " (RID_PASID)", f->addr, f->reason,
		owner == PASID_DOMID_NONE ? -1 : (int)owner);
}

int iommu_set_rid_pasid(uint32_t bdf, uint32_t pasid)
{
	struct pasid_iommu *iommu = iommu_for_device(bdf);

	if (!iommu)
		return -XEN_ENODEV;
	return vtd_set_rid_pasid(unit_of(iommu), pci_requester_id(bdf), pasid);
}

void iommu_quiesce_device(uint32_t bdf)
{
	struct pasid_iommu *iommu = iommu_for_device(bdf);
	int rc = 0;

	pci_command_update(bdf, PCI_COMMAND_INTX_DISABLE, PCI_COMMAND_MASTER);
	if (iommu)
		rc = vtd_quiesce_device(unit_of(iommu), pci_requester_id(bdf));
	if (rc)
		console_printf("x86: device %02x:%02x.%x: quiescing its "
			       "context entry failed (%d); bus mastering is "
			       "off\n",
			       bdf >> 8, (bdf >> 3) & 31, bdf & 7, rc);
}

bool iommu_device_blocked(uint32_t bdf)
{
	struct pasid_iommu *iommu = iommu_for_device(bdf);
	uint32_t pasid;

	return !iommu || vtd_get_rid_pasid(unit_of(iommu),
					   pci_requester_id(bdf), &pasid) != 0;
}

void iommu_poll_faults(void)
{
	for (unsigned i = 0; i < nunits; i++)
		vtd_fault_drain(&units[i], route_fault, &units[i]);
}
