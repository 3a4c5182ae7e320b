/* SPDX-License-Identifier: MIT */
/*
 * Pure builders for the VT-d scalable-mode structures and invalidation
 * descriptors.  Each fills a caller's array of words and touches nothing
 * else; vtd_pasid.c and vtd_ctx.c commit the result in a safe order.
 */
#include <xen/errno.h>

#include "vtd.h"
#include "vtd_regs.h"

static bool page_aligned(hpaddr_t pa)
{
	return (pa.v & (VTD_PAGE_SIZE - 1)) == 0;
}

static void zero(uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		w[i] = 0;
}

/**
 * A PASID-table entry, VT-d 4.x, 9.6 Scalable-Mode PASID Table Entry.
 * Word 0 carries P; the writer stores it last.
 */
int vtd_build_pasid_entry(uint64_t pe[8], const struct pasid_entry_cfg *cfg,
			  const struct vtd_pe_params *p)
{
	uint64_t w0 = VTD_PE0_P;
	uint64_t w1 = VTD_FIELD_PREP(VTD_PE1_DID, cfg->domain);

	zero(pe, VTD_PE_WORDS);
	if (p->pwsnp)
		w1 |= VTD_PE1_PWSNP;

	switch (cfg->kind) {
	case PASID_ENTRY_BLOCKED:
		/*
		 * Present with FPD: a walk of the empty table fails with a
		 * qualified (suppressible) fault, so nothing is recorded.
		 */
		if (!page_aligned(p->blocking))
			return -XEN_EINVAL;
		w0 |= VTD_PE0_FPD | VTD_FIELD_PREP(VTD_PE0_AW, p->sl_aw) |
		      VTD_FIELD_PREP(VTD_PE0_PGTT, VTD_PGTT_SL) |
		      (p->blocking.v & VTD_PE0_SLPTPTR);
		break;
	case PASID_ENTRY_SECOND_LEVEL:
		if (!page_aligned(cfg->sl_root) || !cfg->sl_root.v)
			return -XEN_EINVAL;
		w0 |= VTD_FIELD_PREP(VTD_PE0_AW, p->sl_aw) |
		      VTD_FIELD_PREP(VTD_PE0_PGTT, VTD_PGTT_SL) |
		      (cfg->sl_root.v & VTD_PE0_SLPTPTR);
		break;
	case PASID_ENTRY_FIRST_LEVEL:
		if (!page_aligned(cfg->fl_root) || !cfg->fl_root.v)
			return -XEN_EINVAL;
		w0 |= VTD_FIELD_PREP(VTD_PE0_PGTT, VTD_PGTT_FL);
		if (p->fl_qemu_slptptr) {
			/* fl_root is a copy of sl_root (vtd_fl.c): QEMU's
			 * second-level walk then reaches what the spec's
			 * first-level walk does. */
			hpaddr_t sl =
				cfg->sl_root.v ? cfg->sl_root : p->blocking;

			if (!page_aligned(sl))
				return -XEN_EINVAL;
			w0 |= VTD_FIELD_PREP(VTD_PE0_AW, p->sl_aw) |
			      (sl.v & VTD_PE0_SLPTPTR);
		}
		pe[2] = VTD_FIELD_PREP(VTD_PE2_FLPM, VTD_FLPM_4LEVEL) |
			(cfg->fl_root.v & VTD_PE2_FLPTR);
		break;
	case PASID_ENTRY_PASSTHROUGH:
		w0 |= VTD_FIELD_PREP(VTD_PE0_PGTT, VTD_PGTT_PT);
		break;
	default:
		return -XEN_EINVAL;
	}
	pe[0] = w0;
	pe[1] = w1;
	return 0;
}

/*
 * VT-d 4.x, 9.7 First-Level Paging Entries (IA-32e format), for the
 * tables the hypervisor builds itself (vtd_fl.c).  A non-leaf entry
 * grants everything (P, R/W, U/S): the 3.6 permission of a translation is
 * the AND over every level, so the leaf alone decides.  A is preset at
 * every level and D in writable leaves, so the unit has no reason to
 * write the tables back (3.6, accessed/dirty flag updates).  XD stays
 * clear: no Paddock PASID entry enables execute requests (ERE clear,
 * 9.6), so no leaf needs it.
 */
uint64_t vtd_build_fl_table_entry(hpaddr_t table)
{
	return VTD_FLPTE_P | VTD_FLPTE_RW | VTD_FLPTE_US | VTD_FLPTE_A |
	       (table.v & VTD_FLPTE_ADDR);
}

/*
 * A first-level leaf: a 4-KiB PTE, or with `large` a 2-MiB PDE (PS set;
 * its bit 12 is PAT, not address, so the page must be 2-MiB aligned).
 * U/S set: requests without supervisor privilege (SRE is clear) reach it.
 */
uint64_t vtd_build_fl_leaf(hpaddr_t page, bool write, bool large)
{
	uint64_t e = VTD_FLPTE_P | VTD_FLPTE_US | VTD_FLPTE_A |
		     (page.v & VTD_FLPTE_ADDR);

	if (write)
		e |= VTD_FLPTE_RW | VTD_FLPTE_D;
	if (large)
		e = (e & ~VTD_FLPTE_PAT_LARGE) | VTD_FLPTE_PS;
	return e;
}

/** VT-d 4.x, 9.5 Scalable-Mode PASID Directory Entry. */
uint64_t vtd_build_pasid_dir_entry(hpaddr_t table)
{
	return VTD_PDE_P | (table.v & VTD_PDE_SMPTBLPTR);
}

/** VT-d 4.x, 9.4 Scalable-Mode Context-Entry. */
void vtd_build_context_entry(uint64_t ce[4], hpaddr_t pasid_dir, unsigned pdts,
			     uint32_t rid_pasid, bool ats)
{
	zero(ce, VTD_SM_CTX_WORDS);
	ce[0] = VTD_SM_CTX0_P | VTD_SM_CTX0_PASIDE |
		VTD_FIELD_PREP(VTD_SM_CTX0_PDTS, pdts) |
		(pasid_dir.v & VTD_SM_CTX0_PASIDDIRPTR);
	if (ats)
		ce[0] |= VTD_SM_CTX0_DTE;
	ce[1] = VTD_FIELD_PREP(VTD_SM_CTX1_RID_PASID, rid_pasid);
}

/** VT-d 4.x, 9.2 Scalable-Mode Root Entry: either half has this layout. */
uint64_t vtd_build_root_half(hpaddr_t ctx_table)
{
	return VTD_SM_ROOT_LO_LP | (ctx_table.v & VTD_SM_ROOT_LO_LCTP);
}

static uint64_t inv_type(unsigned type)
{
	return VTD_FIELD_PREP(VTD_INV_TYPE_LO, type) |
	       VTD_FIELD_PREP(VTD_INV_TYPE_HI, type >> 4);
}

/** VT-d 4.x, 6.5.2.1 Context-Cache Invalidate Descriptor. */
void vtd_build_inv_cc(uint64_t d[4], unsigned g, domid_t did, uint16_t sid)
{
	zero(d, VTD_INV_WORDS);
	d[0] = inv_type(VTD_INV_CC) | VTD_FIELD_PREP(VTD_CC0_G, g) |
	       VTD_FIELD_PREP(VTD_CC0_DID, did) |
	       VTD_FIELD_PREP(VTD_CC0_SID, sid);
}

/** VT-d 4.x, 6.5.2.2 PASID-Cache Invalidate Descriptor. */
void vtd_build_inv_pc(uint64_t d[4], unsigned g, domid_t did, uint32_t pasid)
{
	zero(d, VTD_INV_WORDS);
	d[0] = inv_type(VTD_INV_PC) | VTD_FIELD_PREP(VTD_PC0_G, g) |
	       VTD_FIELD_PREP(VTD_PC0_DID, did) |
	       VTD_FIELD_PREP(VTD_PC0_PASID, pasid);
}

/**
 * VT-d 4.x, 6.5.2.3 IOTLB Invalidate Descriptor, global or domain-
 * selective (drain reads and writes are requested; hardware without
 * CAP.DRD/DWD ignores them).
 */
void vtd_build_inv_iotlb(uint64_t d[4], unsigned g, domid_t did)
{
	zero(d, VTD_INV_WORDS);
	d[0] = inv_type(VTD_INV_IOTLB) | VTD_FIELD_PREP(VTD_IOTLB0_G, g) |
	       VTD_IOTLB0_DR | VTD_IOTLB0_DW |
	       VTD_FIELD_PREP(VTD_IOTLB0_DID, did);
}

/**
 * VT-d 4.x, 6.5.2.4 PASID-based-IOTLB Invalidate Descriptor: every
 * non-global entry of (did, pasid).
 */
void vtd_build_inv_piotlb(uint64_t d[4], domid_t did, uint32_t pasid)
{
	zero(d, VTD_INV_WORDS);
	d[0] = inv_type(VTD_INV_PIOTLB) |
	       VTD_FIELD_PREP(VTD_PIOTLB0_G, VTD_PIOTLB_G_PASID) |
	       VTD_FIELD_PREP(VTD_PIOTLB0_DID, did) |
	       VTD_FIELD_PREP(VTD_PIOTLB0_PASID, pasid);
}

static uint64_t pfsid_bits(uint16_t pfsid, uint64_t lo, uint64_t hi)
{
	return VTD_FIELD_PREP(lo, pfsid & 0xF) | VTD_FIELD_PREP(hi, pfsid >> 4);
}

/** VT-d 4.x, 6.5.2.5 Device-TLB Invalidate Descriptor, whole space. */
void vtd_build_inv_devtlb(uint64_t d[4], const struct vtd_ats_dev *dev)
{
	zero(d, VTD_INV_WORDS);
	d[0] = inv_type(VTD_INV_DEVTLB) |
	       VTD_FIELD_PREP(VTD_DEVTLB0_MIP, dev->qdep) |
	       VTD_FIELD_PREP(VTD_DEVTLB0_SID, dev->sid) |
	       pfsid_bits(dev->pfsid, VTD_DEVTLB0_PFSID_LO,
			  VTD_DEVTLB0_PFSID_HI);
	d[1] = VTD_DEVTLB1_S | VTD_DEVTLB_ADDR_ALL;
}

/**
 * VT-d 4.x, 6.5.2.6 PASID-based-Device-TLB Invalidate Descriptor: every
 * page of one PASID.
 */
void vtd_build_inv_pdevtlb(uint64_t d[4], const struct vtd_ats_dev *dev,
			   uint32_t pasid)
{
	zero(d, VTD_INV_WORDS);
	d[0] = inv_type(VTD_INV_PDEVTLB) |
	       VTD_FIELD_PREP(VTD_PDEVTLB0_MIP, dev->qdep) |
	       VTD_FIELD_PREP(VTD_PDEVTLB0_SID, dev->sid) |
	       VTD_FIELD_PREP(VTD_PDEVTLB0_PASID, pasid) |
	       pfsid_bits(dev->pfsid, VTD_PDEVTLB0_PFSID_LO,
			  VTD_PDEVTLB0_PFSID_HI);
	d[1] = VTD_PDEVTLB1_S | VTD_DEVTLB_ADDR_ALL;
}

/**
 * VT-d 4.x, 6.5.2.8 Invalidation Wait Descriptor with status write only
 * (SW, no IF: QEMU 7.2 aborts on SW + IF) and fence, so that it completes
 * after every earlier descriptor.
 */
void vtd_build_inv_wait(uint64_t d[4], hpaddr_t status, uint32_t data)
{
	zero(d, VTD_INV_WORDS);
	d[0] = inv_type(VTD_INV_WAIT) | VTD_WAIT0_SW | VTD_WAIT0_FN |
	       VTD_FIELD_PREP(VTD_WAIT0_SDATA, data);
	d[1] = status.v & VTD_WAIT1_SADDR;
}

/** VT-d 4.x, 6.5.2.7 Interrupt Entry Cache Invalidate Descriptor. */
void vtd_build_inv_iec(uint64_t d[4], bool global, uint16_t index)
{
	zero(d, VTD_INV_WORDS);
	d[0] = inv_type(VTD_INV_IEC);
	if (!global)
		d[0] |= VTD_IEC0_G | VTD_FIELD_PREP(VTD_IEC0_IIDX, index);
}

/**
 * VT-d 4.x, 9.9 Interrupt Remapping Table Entry for remapped interrupts:
 * fixed delivery, edge, physical destination, and source-id verification
 * of the whole requester id (SVT = 01b, SQ = 00b), so that no other
 * device can use the entry.
 */
void vtd_build_irte(uint64_t e[2], uint8_t vector, uint8_t dest, uint16_t sid)
{
	e[0] = VTD_IRTE0_P | VTD_FIELD_PREP(VTD_IRTE0_DLM, VTD_DLM_FIXED) |
	       VTD_FIELD_PREP(VTD_IRTE0_V, vector) |
	       VTD_FIELD_PREP(VTD_IRTE0_DST_XAPIC, dest);
	e[1] = VTD_FIELD_PREP(VTD_IRTE1_SID, sid) |
	       VTD_FIELD_PREP(VTD_IRTE1_SVT, VTD_SVT_SID);
}

/** VT-d 4.x, 11.4.9.6 Fault Recording Registers. */
void vtd_decode_fault(uint64_t lo, uint64_t hi, struct vtd_fault *out)
{
	out->sid = (uint16_t)VTD_FIELD_GET(VTD_FRCD_HI_SID, hi);
	out->pasid_valid = hi & VTD_FRCD_HI_PP;
	out->pasid = (uint32_t)VTD_FIELD_GET(VTD_FRCD_HI_PV, hi);
	out->addr = lo & VTD_FRCD_LO_FI;
	out->reason = (uint8_t)VTD_FIELD_GET(VTD_FRCD_HI_FR, hi);
	/* Type: T2 = 0 and T1 = 0 is a write request. */
	out->write = !(hi & VTD_FRCD_HI_T2) && !(hi & VTD_FRCD_HI_T1);
	out->exec = hi & VTD_FRCD_HI_EXE;
	out->priv = hi & VTD_FRCD_HI_PRIV;
	out->interrupt =
		out->reason >= VTD_FR_IR_FIRST && out->reason <= VTD_FR_IR_LAST;
	out->irq_index =
		out->interrupt
			? (uint16_t)VTD_FIELD_GET(VTD_FRCD_LO_IRQ_INDEX, lo)
			: 0;
	if (out->interrupt) {
		/* FI holds the index, not an address; no PASID either. */
		out->addr = 0;
		out->pasid_valid = false;
		out->pasid = 0;
	}
}
