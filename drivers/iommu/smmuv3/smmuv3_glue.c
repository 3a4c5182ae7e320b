/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv3 driver plugged into the generic IOMMU layer: one driver
 * instance per SMMU the device tree names, its memory the layer's heap
 * pages, its registers reached through the hypervisor's mapping of
 * physical memory, 32 bits at a time.
 */
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/iommu_layer.h>
#include <config/config.h>
#include <xen/errno.h>

#include "smmuv3.h"
#include "smmuv3_glue.h"

static const struct smmu_mem_ops mem_ops = {
	.alloc = iommu_mem_alloc,
	.free = iommu_mem_free,
	.phys_to_virt = iommu_mem_virt,
	.flush = iommu_mem_flush,
};

static struct glue_unit {
	struct smmu_unit u; /* first: its struct pasid_iommu is ours */
	uint64_t reg_base;
} units[IOMMU_MAX_UNITS];
/* Units enabled; units[nenabled] is the one being brought up. */
static unsigned nenabled;
/* MMIO, or the host tests' simulated SMMU (smmuv3_glue_set_reg_ops()). */
static const struct smmu_reg_ops *reg_ops = &smmu_mmio_ops;

void smmuv3_glue_set_reg_ops(const struct smmu_reg_ops *ops)
{
	reg_ops = ops ? ops : &smmu_mmio_ops;
}

static struct smmu_unit *smmu_of(struct pasid_iommu *unit)
{
	return &((struct glue_unit *)unit)->u;
}

static void init_failed(uint64_t reg_base, int rc)
{
	hv_printf("%s: SMMUv3 at %lx: init failed (%d)%s\n", arch_log_prefix,
		  reg_base, rc,
		  rc == -XEN_ENODEV ? ": it needs stage 1 with AArch64 "
				      "little-endian tables and 4-KiB granules"
				    : "");
}

static struct pasid_iommu *unit_init(const struct iommu_unit_desc *desc)
{
	struct smmu_config cfg = {
		.name = "smmuv3",
		.pasid_bits_override =
			platform_config.iommu_pasid_bits_override,
	};
	struct glue_unit *g;
	int rc;

	if (nenabled == IOMMU_MAX_UNITS)
		return NULL;
	if (desc->dma_levels != 4) {
		/* CD.T0SZ = 16 walks 4 levels from level 0 (docs/smmuv3.md). */
		hv_printf("%s: SMMUv3 at %lx: domains have %u-level DMA "
			  "tables, the CDs walk 4; unit left off\n",
			  arch_log_prefix, desc->reg_base, desc->dma_levels);
		return NULL;
	}
	g = &units[nenabled];
	g->reg_base = desc->reg_base;
	rc = smmu_unit_init(&g->u, &cfg, &mem_ops, NULL, reg_ops,
			    arch_phys_to_virt(desc->reg_base));
	if (rc) {
		init_failed(desc->reg_base, rc);
		return NULL;
	}
	return &g->u.iommu;
}

static void unit_fini(struct pasid_iommu *unit)
{
	smmu_unit_fini(smmu_of(unit));
	/* The layer forgets units all at once, last first (host tests). */
	if (nenabled && (struct glue_unit *)unit == &units[nenabled - 1])
		nenabled--;
}

static int enable(struct pasid_iommu *unit)
{
	struct glue_unit *g = (struct glue_unit *)unit;
	struct smmu_unit *u = &g->u;
	int rc = smmu_enable(u);

	if (rc) {
		init_failed(g->reg_base, rc);
		return rc;
	}
	hv_printf("%s: SMMUv3 at %lx: IDR0 %x IDR1 %x IDR5 %x, %s stream "
		  "table, %u-bit SubstreamIDs (%u-bit PASIDs kept), "
		  "translation on, unknown streams abort\n",
		  arch_log_prefix, g->reg_base, u->idr[0], u->idr[1], u->idr[5],
		  u->st_2lvl ? "2-level" : "linear", u->ssid_bits,
		  u->pasid_bits);
	nenabled++;
	return 0;
}

static int set_default_pasid(struct pasid_iommu *unit, uint32_t sid,
			     uint32_t pasid)
{
	return smmu_set_default_pasid(smmu_of(unit), sid, pasid);
}

static int get_default_pasid(struct pasid_iommu *unit, uint32_t sid,
			     uint32_t *pasid)
{
	return smmu_get_default_pasid(smmu_of(unit), sid, pasid);
}

static int quiesce(struct pasid_iommu *unit, uint32_t sid)
{
	return smmu_quiesce_stream(smmu_of(unit), sid);
}

struct drain_ctx {
	iommu_fault_sink sink;
	void *ctx;
};

/* An event by StreamID and SubstreamID together (IHI 0070 7.3). */
static void decode(void *ctx, const struct smmu_event *e)
{
	const struct drain_ctx *d = ctx;
	struct iommu_fault f = {
		.source = e->sid,
		.pasid_valid = e->ssv,
		.pasid = e->ssid,
		.addr = e->addr,
		.reason = e->type,
		.write = e->write,
	};

	d->sink(d->ctx, &f);
}

static unsigned fault_drain(struct pasid_iommu *unit, iommu_fault_sink sink,
			    void *ctx)
{
	struct drain_ctx d = {.sink = sink, .ctx = ctx};

	return smmu_event_drain(smmu_of(unit), decode, &d);
}

static void counters(const struct pasid_iommu *unit,
		     struct iommu_table_counters *out)
{
	const struct smmu_unit *u = &((const struct glue_unit *)unit)->u;
	const struct smmu_stats *s = &u->stats;

	out->dir_pages = s->cd_l1_pages;
	/* A leaf clear() emptied is gone for the device at once; its page
	 * is freed after the next CMD_SYNC (docs/smmuv3.md). */
	out->leaves = s->leaves_alloc - s->leaves_freed - u->nretired;
	out->entries = s->entries;
}

int smmuv3_declare_device(uint64_t reg_base, uint32_t sid, unsigned pasid_bits)
{
	for (unsigned i = 0; i < nenabled; i++)
		if (units[i].reg_base == reg_base)
			return smmu_add_stream(&units[i].u, sid, pasid_bits);
	return -XEN_ENODEV;
}

struct smmu_unit *smmuv3_glue_unit(unsigned i)
{
	return i < nenabled ? &units[i].u : NULL;
}

/*
 * first_level = NULL: first-level binds are refused (docs/smmuv3.md,
 * "First-level binds"): both kinds would be stage-1 tables on the SMMU,
 * and SECOND_LEVEL already names the domain's own hypervisor-built ones.
 * interrupt_window: the SMMU reports no interrupt requests apart from
 * DMA; a write to the ITS doorbell is an ordinary DMA fault at its
 * address, as the doorbell is in no domain's DMA tables.
 */
/* The CD-table footprint at its largest, in bytes, beside the format's
 * minimum for the CDs present then: 64 bytes a CD (IHI 0070 E.a, 5.4),
 * nothing else (docs/smmuv3.md, make bench). */
static void bench_tables(const struct iommu_table_figures *f)
{
	hv_printf("bench: smmuv3.cd_table_bytes %u bytes\n", f->pages * 4096u);
	hv_printf("bench: smmuv3.cd_table_bytes.min %u bytes\n",
		  f->entries * 64u);
	hv_printf("bench: smmuv3.cd_table_bytes.entries %u entries\n",
		  f->entries);
}

const struct iommu_driver_ops smmuv3_driver_ops = {
	.unit_init = unit_init,
	.unit_fini = unit_fini,
	.enable = enable,
	.pasid = &smmu_pasid_ops,
	.first_level = NULL,
	.set_default_pasid = set_default_pasid,
	.get_default_pasid = get_default_pasid,
	.quiesce = quiesce,
	.fault_drain = fault_drain,
	.counters = counters,
	.interrupt_window = 0,
	.bench_tables = bench_tables,
};
