/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU units the PASID manager uses, one driver instance per unit
 * the arch's discovery named, given hypervisor memory through the arch's
 * hooks.  Each unit is handed to the manager as a view that names
 * devices by bus:device.function and the driver by requester ID
 * (paddock/iommu_layer.h).
 */
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/iommu_layer.h>
#include <paddock/mem.h>
#include <paddock/pci.h>
#include <xen/errno.h>

#include "internal.h"

#define PAGE_BYTES 4096u

const struct iommu_driver_ops *iommu_driver;
static unsigned dma_levels;
static struct unit_view views[IOMMU_MAX_UNITS];
static unsigned nunits;

void *iommu_mem_alloc(void *ctx, unsigned npages, hpaddr_t *pa)
{
	void *p = pd_zalloc(npages * PAGE_BYTES); /* page aligned: mem.h */

	(void)ctx;
	if (p)
		*pa = hpa(arch_virt_to_phys(p));
	return p;
}

void iommu_mem_free(void *ctx, void *va, unsigned npages)
{
	(void)ctx;
	(void)npages;
	pd_free(va);
}

void *iommu_mem_virt(void *ctx, hpaddr_t pa)
{
	(void)ctx;
	return arch_phys_to_virt(pa.v);
}

void iommu_mem_flush(void *ctx, const void *va, size_t len)
{
	(void)ctx;
	arch_dma_sync(va, len);
}

struct unit_view *iommu_view_of(struct pasid_iommu *iommu)
{
	return (struct unit_view *)iommu;
}

static struct pasid_iommu *unit_of(struct pasid_iommu *iommu)
{
	return iommu_view_of(iommu)->unit;
}

static void counters_of(struct pasid_iommu *unit,
			struct iommu_table_counters *out)
{
	*out = (struct iommu_table_counters){0};
	if (iommu_driver->counters)
		iommu_driver->counters(unit, out);
}

/*
 * Install and clear hold the view's acct_lock around the driver's call
 * and both reads of its counters: another CPU's install or clear on the
 * same unit in between would otherwise be put down to this requester ID
 * too, or hide this one's new entry (seen as binds miscounted under SMP).
 */
static int view_install(struct pasid_iommu *iommu, uint32_t device,
			uint32_t pasid, const struct pasid_entry_cfg *cfg)
{
	struct unit_view_locked vl = view_lock(iommu_view_of(iommu));
	struct pasid_iommu *unit = unit_of(iommu);
	uint32_t rid = arch_device_requester_id(device);
	struct iommu_table_counters before, after;
	int rc;

	counters_of(unit, &before);
	rc = iommu_driver->pasid->install(unit, rid, pasid, cfg);
	counters_of(unit, &after);
	iommu_account(vl, rid, &before,
		      rc == 0 && after.entries != before.entries);
	view_unlock(&vl);
	return rc;
}

static void view_clear(struct pasid_iommu *iommu, uint32_t device,
		       uint32_t pasid)
{
	struct unit_view_locked vl = view_lock(iommu_view_of(iommu));
	struct pasid_iommu *unit = unit_of(iommu);
	uint32_t rid = arch_device_requester_id(device);
	struct iommu_table_counters before;

	counters_of(unit, &before);
	iommu_driver->pasid->clear(unit, rid, pasid);
	iommu_account(vl, rid, &before, false);
	view_unlock(&vl);
}

static void view_invalidate(struct pasid_iommu *iommu, uint32_t device,
			    uint32_t pasid, domid_t domain)
{
	iommu_driver->pasid->invalidate(unit_of(iommu),
					arch_device_requester_id(device), pasid,
					domain);
}

static void view_wait(struct pasid_iommu *iommu)
{
	iommu_driver->pasid->wait(unit_of(iommu));
}

/* The entry stays present (blocked): the device's accounting is
 * unchanged. */
static void view_block(struct pasid_iommu *iommu, uint32_t device,
		       uint32_t pasid, domid_t domain)
{
	iommu_driver->pasid->block(unit_of(iommu),
				   arch_device_requester_id(device), pasid,
				   domain);
}

static const struct pasid_iommu_ops view_ops = {
	.install = view_install,
	.clear = view_clear,
	.invalidate = view_invalidate,
	.wait = view_wait,
	.block = view_block,
};

void iommu_layer_init(const struct iommu_driver_ops *driver, unsigned levels)
{
	iommu_driver = driver;
	dma_levels = levels;
}

void iommu_layer_reset(void)
{
	for (unsigned i = 0; i < nunits; i++)
		iommu_driver->unit_fini(views[i].unit);
	nunits = 0;
	iommu_account_reset();
}

int iommu_unit_add(const struct iommu_unit_desc *desc)
{
	struct iommu_unit_desc d = *desc;
	struct pasid_iommu *unit;

	if (!iommu_driver || nunits == IOMMU_MAX_UNITS)
		return -1;
	d.dma_levels = dma_levels;
	unit = iommu_driver->unit_init(&d);
	if (!unit)
		return -1;
	if (iommu_driver->enable(unit))
		return -1; /* the driver said why; the unit stays off */
	views[nunits++] = (struct unit_view){
		.iommu = {.ops = &view_ops,
			  .name = unit->name,
			  .pasid_bits = unit->pasid_bits},
		.unit = unit,
		.desc = d,
	};
	spin_init(&views[nunits - 1].acct_lock);
	return 0;
}

unsigned iommu_count(void)
{
	return nunits;
}

struct pasid_iommu *iommu_get(unsigned i)
{
	return i < nunits ? &views[i].iommu : NULL;
}

struct pasid_iommu *iommu_for_device(uint32_t bdf)
{
	struct unit_view *catch_all = NULL;

	for (unsigned i = 0; i < nunits; i++) {
		const struct iommu_unit_desc *d = &views[i].desc;

		if (d->serves && d->serves(d->scope, bdf))
			return &views[i].iommu;
		if (d->catch_all)
			catch_all = &views[i];
	}
	return catch_all ? &catch_all->iommu : NULL;
}

/*
 * Any unit may be handed a domain's first-level root, so the tables are
 * the domain's, not a unit's: made from the same heap as every table.
 */
int iommu_fl_tables(uint64_t dma_root, uint64_t *fl_root)
{
	hpaddr_t root;

	if (!iommu_driver || !iommu_driver->first_level ||
	    iommu_driver->first_level->build(hpa(dma_root), dma_levels, &root))
		return -1;
	*fl_root = root.v;
	return 0;
}

bool iommu_has_first_level(void)
{
	return iommu_driver && iommu_driver->first_level;
}

void iommu_fl_free(uint64_t fl_root)
{
	if (iommu_driver && iommu_driver->first_level)
		iommu_driver->first_level->free(hpa(fl_root));
}

int iommu_set_rid_pasid(uint32_t bdf, uint32_t pasid)
{
	struct pasid_iommu *iommu = iommu_for_device(bdf);

	if (!iommu)
		return -XEN_ENODEV;
	return iommu_driver->set_default_pasid(
		unit_of(iommu), arch_device_requester_id(bdf), pasid);
}

void iommu_quiesce_device(uint32_t bdf)
{
	struct pasid_iommu *iommu = iommu_for_device(bdf);
	int rc = 0;

	pci_command_update(bdf, PCI_COMMAND_INTX_DISABLE, PCI_COMMAND_MASTER);
	if (iommu)
		rc = iommu_driver->quiesce(unit_of(iommu),
					   arch_device_requester_id(bdf));
	if (rc)
		hv_printf("%s: device %02x:%02x.%x: quiescing its "
			  "context entry failed (%d); bus mastering is "
			  "off\n",
			  arch_log_prefix, bdf >> 8, (bdf >> 3) & 31, bdf & 7,
			  rc);
}

bool iommu_device_blocked(uint32_t bdf)
{
	struct pasid_iommu *iommu = iommu_for_device(bdf);
	uint32_t pasid;

	return !iommu || iommu_driver->get_default_pasid(
				 unit_of(iommu), arch_device_requester_id(bdf),
				 &pasid) != 0;
}

void iommu_bench_tables(void)
{
	struct iommu_table_figures f;

	if (!iommu_count() || !iommu_driver->bench_tables)
		return; /* no unit, no tables */
	iommu_table_peak(&f);
	iommu_driver->bench_tables(&f);
}
