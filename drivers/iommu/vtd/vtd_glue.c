/* SPDX-License-Identifier: MIT */
/*
 * The VT-d driver plugged into the generic IOMMU layer: one driver
 * instance per DRHD, its memory the layer's heap pages and its registers
 * reached through the hypervisor's mapping of physical memory.
 */
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/iommu_layer.h>
#include <config/config.h>
#include <xen/errno.h>

#include "vtd.h"
#include "vtd_glue.h"
#include "vtd_regs.h"

static const struct vtd_mem_ops mem_ops = {
	.alloc = iommu_mem_alloc,
	.free = iommu_mem_free,
	.phys_to_virt = iommu_mem_virt,
	.flush = iommu_mem_flush,
};

/* A unit, and where its registers are (for the log). */
static struct glue_unit {
	struct vtd_unit u; /* first: its struct pasid_iommu is ours */
	uint64_t reg_base;
} units[IOMMU_MAX_UNITS];
/* Units enabled; units[nenabled] is the one being brought up. */
static unsigned nenabled;

static struct glue_unit *glue_of(struct pasid_iommu *unit)
{
	return (struct glue_unit *)unit;
}

static struct vtd_unit *vtd_of(struct pasid_iommu *unit)
{
	return &glue_of(unit)->u;
}

static void init_failed(uint64_t reg_base, int rc)
{
	hv_printf("%s: VT-d at %lx: init failed (%d)%s\n", arch_log_prefix,
		  reg_base, rc,
		  rc == -XEN_ENODEV ? ": it needs scalable mode, PASIDs, "
				      "queued invalidation and interrupt "
				      "remapping (ECAP.SMTS, PASID, QI, IR); "
				      "QEMU: intel-iommu,x-scalable-mode=on,"
				      "x-pasid-mode=on,intremap=on"
				    : "");
}

static struct pasid_iommu *unit_init(const struct iommu_unit_desc *desc)
{
	struct glue_unit *g;
	struct vtd_config cfg = {
		.name = "dmar",
		.segment = desc->segment,
		.pasid_bits_override =
			platform_config.iommu_pasid_bits_override,
		.first_level_without_flts =
			platform_config.iommu_first_level_without_flts,
	};
	int rc;

	if (nenabled == IOMMU_MAX_UNITS)
		return NULL;
	g = &units[nenabled];
	g->reg_base = desc->reg_base;
	rc = vtd_unit_init(&g->u, &cfg, &mem_ops, NULL, &vtd_mmio_ops,
			   arch_phys_to_virt(desc->reg_base));
	if (rc) {
		init_failed(desc->reg_base, rc);
		return NULL;
	}
	if (vtd_sl_levels(&g->u) != desc->dma_levels) {
		/* PASID_ENTRY_SECOND_LEVEL takes the domains' own tables. */
		hv_printf("%s: VT-d at %lx walks %u-level tables, domains "
			  "have %u (QEMU: aw-bits=48); unit left off\n",
			  arch_log_prefix, desc->reg_base, vtd_sl_levels(&g->u),
			  desc->dma_levels);
		vtd_unit_fini(&g->u);
		return NULL;
	}
	return &g->u.iommu;
}

static void unit_fini(struct pasid_iommu *unit)
{
	vtd_unit_fini(vtd_of(unit));
}

static int enable(struct pasid_iommu *unit)
{
	struct glue_unit *g = glue_of(unit);
	struct vtd_unit *u = &g->u;
	int rc = vtd_enable_translation(u);

	if (rc) {
		init_failed(g->reg_base, rc);
		return rc;
	}
	hv_printf("%s: VT-d at %lx: version %x cap %lx ecap %lx, %u-bit "
		  "PASIDs, translation on, interrupt remapping on "
		  "(compatibility format blocked)\n",
		  arch_log_prefix, g->reg_base, u->ver, u->cap, u->ecap,
		  u->pasid_bits);
	nenabled++;
	return 0;
}

static int set_default_pasid(struct pasid_iommu *unit, uint32_t rid,
			     uint32_t pasid)
{
	return vtd_set_rid_pasid(vtd_of(unit), rid, pasid);
}

static int get_default_pasid(struct pasid_iommu *unit, uint32_t rid,
			     uint32_t *pasid)
{
	return vtd_get_rid_pasid(vtd_of(unit), rid, pasid);
}

static int quiesce(struct pasid_iommu *unit, uint32_t rid)
{
	return vtd_quiesce_device(vtd_of(unit), rid);
}

struct drain_ctx {
	iommu_fault_sink sink;
	void *ctx;
};

static void decode(void *ctx, const struct vtd_fault *f)
{
	const struct drain_ctx *d = ctx;
	struct iommu_fault g = {
		.source = f->sid,
		.pasid_valid = f->pasid_valid,
		.pasid = f->pasid,
		.addr = f->addr,
		.reason = f->reason,
		.write = f->write,
		.interrupt = f->interrupt,
		.irq_index = f->irq_index,
	};

	d->sink(d->ctx, &g);
}

static unsigned fault_drain(struct pasid_iommu *unit, iommu_fault_sink sink,
			    void *ctx)
{
	struct drain_ctx d = {.sink = sink, .ctx = ctx};

	return vtd_fault_drain(vtd_of(unit), decode, &d);
}

static void counters(const struct pasid_iommu *unit,
		     struct iommu_table_counters *out)
{
	const struct vtd_unit *u = &((const struct glue_unit *)unit)->u;
	const struct vtd_stats *s = &u->stats;

	out->dir_pages = s->dir_pages;
	/* A table clear() emptied is gone for the device at once; its page
	 * is freed at the next wait (docs/vtd.md). */
	out->leaves = s->leaves_alloc - s->leaves_freed - u->nretired;
	out->entries = s->entries;
}

static int fl_tables(hpaddr_t dma_root, unsigned levels, hpaddr_t *fl_root)
{
	return vtd_fl_from_sl(&mem_ops, NULL, dma_root, levels, fl_root);
}

static void fl_free(hpaddr_t fl_root)
{
	vtd_fl_free(&mem_ops, NULL, fl_root);
}

static const struct iommu_fl_ops fl_ops = {
	.build = fl_tables,
	.free = fl_free,
};

/* The PASID-table footprint at its largest, beside the format's minimum
 * for the entries present then (docs/vtd.md, make bench). */
static void bench_tables(const struct iommu_table_figures *f)
{
	hv_printf("bench: vtd.table_pages %u pages\n", f->pages);
	hv_printf("bench: vtd.table_pages.min %u pages\n", f->min_pages);
	hv_printf("bench: vtd.table_pages.entries %u entries\n", f->entries);
}

const struct iommu_driver_ops vtd_driver_ops = {
	.unit_init = unit_init,
	.unit_fini = unit_fini,
	.enable = enable,
	.pasid = &vtd_pasid_ops,
	.first_level = &fl_ops,
	.set_default_pasid = set_default_pasid,
	.get_default_pasid = get_default_pasid,
	.quiesce = quiesce,
	.fault_drain = fault_drain,
	.counters = counters,
	.interrupt_window = VTD_IRQ_ADDR_BASE,
	.bench_tables = bench_tables,
};
