/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d scalable-mode driver, unit bring-up: root table -> scalable
 * context entries -> one PASID directory per device -> 4-KiB PASID tables
 * allocated on first install and freed when their last entry clears
 * (vtd_ctx.c, vtd_pasid.c).  Here: reading CAP/ECAP, allocating the root
 * table, the queue and the interrupt remapping table, turning queued
 * invalidation and interrupt remapping on, and tearing all of it down.
 * See vtd_internal.h for the other sections.
 */
#include <xen/errno.h>

#include "vtd_internal.h"

/* ------------------------------------------------------------------ */
/* Registers                                                           */

/**
 * Sets or clears one persistent enable (TE, QIE, ...) or issues one
 * one-shot command (SRTP), then waits for GSTS to follow (11.4.4).
 */
int gcmd_update(struct vtd_unit *u, uint32_t cmd, bool set, uint32_t sts)
{
	uint32_t cur = rd32(u, VTD_REG32_GSTS) & ~(uint32_t)VTD_GSTS_ONESHOT;
	unsigned long n = 0;

	wr32(u, VTD_REG32_GCMD, set ? cur | cmd : cur & ~cmd);
	while (!!(rd32(u, VTD_REG32_GSTS) & sts) != set) {
		if (++n > poll_limit(u))
			return -XEN_ETIMEDOUT;
		relax(u);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

static unsigned pick_sl_aw(uint64_t cap)
{
	unsigned sagaw = (unsigned)VTD_FIELD_GET(VTD_CAP_SAGAW, cap);

	if (sagaw & (1u << VTD_AGAW_48))
		return VTD_AGAW_48;
	if (sagaw & (1u << VTD_AGAW_39))
		return VTD_AGAW_39;
	if (sagaw & (1u << VTD_AGAW_57))
		return VTD_AGAW_57;
	return 0;
}

static void free_page(struct vtd_unit *u, void *va, unsigned n)
{
	if (va)
		u->mem->free(u->mem_ctx, va, n);
}

static void free_tables(struct vtd_unit *u)
{
	for (unsigned r = 0; u->root && r < VTD_ROOT_ENTRIES * 2; r++) {
		uint64_t *ct;

		if (!(u->root[r] & VTD_SM_ROOT_LO_LP))
			continue;
		ct = p2v(u, u->root[r] & VTD_SM_ROOT_LO_LCTP);
		for (unsigned c = 0; c < VTD_SM_CTX_PER_TABLE; c++) {
			uint64_t *ce = &ct[c * VTD_SM_CTX_WORDS], *dir;

			if (!(ce[0] & VTD_SM_CTX0_P) && !ctx_quiesced(ce[0]))
				continue;
			dir = p2v(u, ce[0] & VTD_SM_CTX0_PASIDDIRPTR);
			for (unsigned i = 0; i < dir_entries_of(ce[0]); i++)
				if (dir[i] & VTD_PDE_P)
					free_page(
						u,
						p2v(u,
						    dir[i] & VTD_PDE_SMPTBLPTR),
						1);
			free_page(u, dir,
				  dir_pages_of_pdts((unsigned)VTD_FIELD_GET(
					  VTD_SM_CTX0_PDTS, ce[0])));
		}
		free_page(u, ct, 1);
	}
	free_page(u, u->root, 1);
	free_page(u, u->blocking, 1);
	free_page(u, u->irt, 1);
	free_page(u, u->queue, 1);
	free_page(u, (void *)u->status, 1);
	u->root = u->blocking = u->irt = u->queue = NULL;
	u->status = NULL;
}

static void *alloc_page(struct vtd_unit *u, hpaddr_t *pa)
{
	return u->mem->alloc(u->mem_ctx, 1, pa);
}

/**
 * Interrupt remapping on (5.1; 11.4.4 for the command order): the table
 * address with SIRTP, a global interrupt-entry-cache invalidation (the
 * unit may cache entries of whatever table firmware left), then IRE with
 * CFI clear, so that compatibility-format requests, the ones a device can
 * forge with any vector and delivery mode, are blocked and recorded as
 * faults (reason 0x25).  Every IRTE starts not present: a device
 * interrupt reaches a CPU only through an entry vtd_irte_set() wrote.
 * A unit without interrupt remapping is refused: a device behind it could
 * inject any interrupt into the machine (docs/vtd.md).
 */
static int irq_remapping_on(struct vtd_unit_locked ul)
{
	struct vtd_unit *u = vtd_held(ul);
	uint64_t d[4];
	int rc;

	if (!(u->ecap & VTD_ECAP_IR))
		return -XEN_ENODEV;
	wr64(u, VTD_REG64_IRTA,
	     (u->irt_pa.v & VTD_IRTA_IRTA) |
		     VTD_FIELD_PREP(VTD_IRTA_S, VTD_IRT_S));
	rc = gcmd_update(u, VTD_GCMD_SIRTP, true, VTD_GSTS_IRTPS);
	if (rc)
		return rc;
	vtd_build_inv_iec(d, true, 0);
	qi_submit(ul, d);
	rc = qi_wait(ul);
	if (rc)
		return rc;
	if ((rd32(u, VTD_REG32_GSTS) & VTD_GSTS_CFIS) &&
	    gcmd_update(u, VTD_GCMD_CFI, false, VTD_GSTS_CFIS))
		return -XEN_ETIMEDOUT;
	return gcmd_update(u, VTD_GCMD_IRE, true, VTD_GSTS_IRES);
}

/**
 * A new root table: drops whatever the caches hold (6.5), then turns
 * interrupt remapping on.  The queue is in use from here on, so the unit
 * lock is taken although nobody else can reach the unit yet.
 */
static int caches_clean_irq_remapped(struct vtd_unit *u)
{
	struct vtd_unit_locked ul = vtd_unit_lock(u);
	uint64_t d[4];
	int rc;

	vtd_build_inv_cc(d, VTD_CC_G_GLOBAL, 0, 0);
	qi_submit(ul, d);
	vtd_build_inv_pc(d, VTD_PC_G_GLOBAL, 0, 0);
	qi_submit(ul, d);
	vtd_build_inv_iotlb(d, VTD_IOTLB_G_GLOBAL, 0);
	qi_submit(ul, d);
	rc = qi_wait(ul);
	if (rc == 0)
		rc = irq_remapping_on(ul);
	vtd_unit_unlock(&ul);
	return rc;
}

int vtd_unit_init(struct vtd_unit *u, const struct vtd_config *cfg,
		  const struct vtd_mem_ops *mem, void *mem_ctx,
		  const struct vtd_reg_ops *regs, void *reg_ctx)
{
	unsigned dir_entries_log2;
	int rc;

	*u = (struct vtd_unit){
		.mem = mem,
		.mem_ctx = mem_ctx,
		.regs = regs,
		.reg_ctx = reg_ctx,
		.cfg = *cfg,
	};
	spin_init(&u->lock);
	u->ver = rd32(u, VTD_REG32_VER);
	u->cap = rd64(u, VTD_REG64_CAP);
	u->ecap = rd64(u, VTD_REG64_ECAP);
	if (!(u->ecap & VTD_ECAP_SMTS) || !(u->ecap & VTD_ECAP_PASID) ||
	    !(u->ecap & VTD_ECAP_QI) ||
	    !(u->ecap & (VTD_ECAP_SLTS | VTD_ECAP_FLTS)))
		return -XEN_ENODEV;

	u->pasid_bits =
		cfg->pasid_bits_override
			? cfg->pasid_bits_override
			: (unsigned)VTD_FIELD_GET(VTD_ECAP_PSS, u->ecap) + 1;
	if (u->pasid_bits > PASID_BITS_MAX)
		u->pasid_bits = PASID_BITS_MAX;
	/*
	 * PASID[19:6] indexes a directory of 2^(PDTS + 7) entries (9.4),
	 * sized per device to its highest PASID: never less than one page
	 * (PDTS 2), at most what the PASID width needs.
	 */
	dir_entries_log2 = u->pasid_bits > VTD_PASID_TABLE_SHIFT
				   ? u->pasid_bits - VTD_PASID_TABLE_SHIFT
				   : 0;
	u->pdts_max = dir_entries_log2 > 7 + PDTS_ONE_PAGE
			      ? dir_entries_log2 - 7
			      : PDTS_ONE_PAGE;
	u->dir_pages_max = dir_pages_of_pdts(u->pdts_max);
	u->sl_aw = pick_sl_aw(u->cap);
	u->did_bits = 4 + 2 * (unsigned)VTD_FIELD_GET(VTD_CAP_ND, u->cap);
	if (u->did_bits > 16)
		u->did_bits = 16;
	u->did_limit = 1u << u->did_bits;
	u->coherent = (u->ecap & VTD_ECAP_C) && (u->ecap & VTD_ECAP_SMPWCS);
	if ((u->ecap & VTD_ECAP_SLTS) && !u->sl_aw)
		return -XEN_ENODEV;

	rc = -XEN_ENOMEM;
	u->root = alloc_page(u, &u->root_pa);
	u->blocking = alloc_page(u, &u->blocking_pa);
	u->queue = alloc_page(u, &u->queue_pa);
	u->status = alloc_page(u, &u->status_pa);
	u->irt = alloc_page(u, &u->irt_pa);
	if (!u->root || !u->blocking || !u->queue || !u->status || !u->irt)
		goto fail;
	flush(u, u->root, VTD_PAGE_SIZE);
	flush(u, u->blocking, VTD_PAGE_SIZE);
	flush(u, u->irt, VTD_PAGE_SIZE);
	u->desc_words = VTD_INV_WORDS; /* 256-bit: scalable mode (6.5.2) */
	u->queue_slots = VTD_PAGE_SIZE / (u->desc_words * sizeof(uint64_t));

	/* Firmware may have left translation, remapping or the queue on. */
	rc = -XEN_ETIMEDOUT;
	if ((rd32(u, VTD_REG32_GSTS) & VTD_GSTS_TES) &&
	    gcmd_update(u, VTD_GCMD_TE, false, VTD_GSTS_TES))
		goto fail;
	if ((rd32(u, VTD_REG32_GSTS) & VTD_GSTS_IRES) &&
	    gcmd_update(u, VTD_GCMD_IRE, false, VTD_GSTS_IRES))
		goto fail;
	if ((rd32(u, VTD_REG32_GSTS) & VTD_GSTS_QIES) &&
	    gcmd_update(u, VTD_GCMD_QIE, false, VTD_GSTS_QIES))
		goto fail;

	/* 11.4.6: TTM = 01 selects scalable mode, latched by SRTP. */
	wr64(u, VTD_REG64_RTADDR,
	     (u->root_pa.v & VTD_RTADDR_RTA) |
		     VTD_FIELD_PREP(VTD_RTADDR_TTM, VTD_TTM_SCALABLE));
	if (gcmd_update(u, VTD_GCMD_SRTP, true, VTD_GSTS_RTPS))
		goto fail;

	/* 6.5.2: queue of one page (QS = 0) of 256-bit descriptors. */
	wr64(u, VTD_REG64_IQT, 0);
	wr64(u, VTD_REG64_IQA,
	     (u->queue_pa.v & VTD_IQA_IQA) | VTD_IQA_DW |
		     VTD_FIELD_PREP(VTD_IQA_QS, 0));
	if (gcmd_update(u, VTD_GCMD_QIE, true, VTD_GSTS_QIES))
		goto fail;
	u->tail = 0;

	rc = caches_clean_irq_remapped(u);
	if (rc)
		goto fail;

	u->iommu.ops = &vtd_pasid_ops;
	u->iommu.name = cfg->name ? cfg->name : "vtd";
	u->iommu.pasid_bits = u->pasid_bits;
	return 0;
fail:
	/* The unit must not fetch from pages about to be freed. */
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_IRES)
		gcmd_update(u, VTD_GCMD_IRE, false, VTD_GSTS_IRES);
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_QIES)
		gcmd_update(u, VTD_GCMD_QIE, false, VTD_GSTS_QIES);
	free_tables(u);
	return rc;
}

int vtd_enable_translation(struct vtd_unit *u)
{
	return gcmd_update(u, VTD_GCMD_TE, true, VTD_GSTS_TES);
}

void vtd_unit_fini(struct vtd_unit *u)
{
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_TES)
		gcmd_update(u, VTD_GCMD_TE, false, VTD_GSTS_TES);
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_IRES)
		gcmd_update(u, VTD_GCMD_IRE, false, VTD_GSTS_IRES);
	if (rd32(u, VTD_REG32_GSTS) & VTD_GSTS_QIES)
		gcmd_update(u, VTD_GCMD_QIE, false, VTD_GSTS_QIES);
	vtd_free_retired_at_fini(u);
	free_tables(u);
}

int vtd_add_ats_device(struct vtd_unit *u, const struct vtd_ats_dev *dev)
{
	struct vtd_unit_locked ul;
	int rc = 0;

	ul = vtd_unit_lock(u);
	if (ats_of(ul, dev->sid))
		goto out;
	rc = -XEN_ENOSPC;
	if (u->nats == VTD_MAX_ATS_DEVS)
		goto out;
	u->ats[u->nats++] = *dev;
	rc = 0;
out:
	vtd_unit_unlock(&ul);
	return rc;
}
