/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 bring-up and teardown (IHI 0070 E.a, 6.3 register formats; the
 * order follows 6.3.9 CR0 and 6.3.14 GBPA): incoming traffic is aborted
 * (GBPA.ABORT) before anything else, the SMMU is switched off, the
 * identification registers are read 32 bits at a time, the queues and
 * the stream table are set up, then the queues are enabled and every
 * cache invalidated.  SMMUEN is set last, by smmu_enable().
 */
#include <xen/errno.h>

#include "smmuv3_internal.h"

#define QUEUE_PAGES 1

/**
 * npages (a power of two) aligned to their size, which the SMMU requires
 * of multi-page tables (6.3.23, 5.2) and the heap does not promise for
 * more than one page: twice as many are taken and *mem keeps them.
 */
void *alloc_aligned(struct smmu_unit *u, unsigned pages, hpaddr_t *pa,
		    void **mem, unsigned *mem_pages)
{
	uint64_t bytes = (uint64_t)pages * SMMU_PAGE_SIZE, off;
	unsigned take = pages > 1 ? pages * 2 : 1;
	uint8_t *va = u->mem->alloc(u->mem_ctx, take, pa);

	if (!va)
		return NULL;
	off = ((pa->v + bytes - 1) & ~(bytes - 1)) - pa->v;
	*mem = va;
	*mem_pages = take;
	pa->v += off;
	return va + off;
}

/** Writes CR0 and waits for CR0ACK to agree (6.3.10), bounded. */
static int cr0_write(struct smmu_unit *u, uint32_t val)
{
	unsigned long n = 0;

	wr32(u, SMMU_CR0, val);
	while (rd32(u, SMMU_CR0ACK) != val) {
		if (++n > poll_limit(u)) {
			u->stats.timeouts++;
			return -XEN_ETIMEDOUT;
		}
		relax(u);
	}
	return 0;
}

/** GBPA.ABORT with UPDATE, polled until the SMMU clears UPDATE (6.3.14). */
static int gbpa_abort(struct smmu_unit *u)
{
	unsigned long n = 0;

	wr32(u, SMMU_GBPA, (uint32_t)(SMMU_GBPA_ABORT | SMMU_GBPA_UPDATE));
	while (rd32(u, SMMU_GBPA) & SMMU_GBPA_UPDATE) {
		if (++n > poll_limit(u)) {
			u->stats.timeouts++;
			return -XEN_ETIMEDOUT;
		}
		relax(u);
	}
	return 0;
}

static int irq_ctrl_write(struct smmu_unit *u, uint32_t val)
{
	unsigned long n = 0;

	wr32(u, SMMU_IRQ_CTRL, val);
	while (rd32(u, SMMU_IRQ_CTRLACK) != val) {
		if (++n > poll_limit(u)) {
			u->stats.timeouts++;
			return -XEN_ETIMEDOUT;
		}
		relax(u);
	}
	return 0;
}

static const unsigned oas_bits[] = {32, 36, 40, 42, 44, 48, 52};

/** Reads the IDRs (6.3.1-6.3.6) and refuses what the driver cannot use. */
static int probe(struct smmu_unit *u)
{
	uint32_t idr0, idr1, idr5;
	unsigned ttendian, ssid_bits;

	for (unsigned i = 0; i < 6; i++)
		u->idr[i] = rd32(u, SMMU_IDR0 + 4 * i);
	idr0 = u->idr[0];
	idr1 = u->idr[1];
	idr5 = u->idr[5];
	ttendian = (unsigned)SMMU_FIELD_GET(SMMU_IDR0_TTENDIAN, idr0);
	if (!(idr0 & SMMU_IDR0_S1P) || !(idr5 & SMMU_IDR5_GRAN4K) ||
	    !(SMMU_FIELD_GET(SMMU_IDR0_TTF, idr0) & SMMU_TTF_AARCH64) ||
	    (ttendian != SMMU_TTENDIAN_MIXED && ttendian != SMMU_TTENDIAN_LE))
		return -XEN_ENODEV;
	/* Forced stalls (CD.S must be 1) would need RESUME/STALL_TERM
	 * handling for every fault: such an SMMU is not used (5.4 S). */
	if (SMMU_FIELD_GET(SMMU_IDR0_STALL_MODEL, idr0) ==
	    SMMU_STALL_MODEL_FORCED)
		return -XEN_ENODEV;
	u->coherent = (idr0 & SMMU_IDR0_COHACC) != 0;
	u->cd2l = (idr0 & SMMU_IDR0_CD2L) != 0;
	u->asid_limit = (idr0 & SMMU_IDR0_ASID16) ? 1u << 16 : 1u << 8;
	u->ips = (unsigned)SMMU_FIELD_GET(SMMU_IDR5_OAS, idr5);
	if (u->ips > SMMU_IDR5_OAS_MAX)
		u->ips = SMMU_OAS_48;
	/* A 52-bit IPS needs 64-KiB granules or DS: cap at 48 bits. */
	if (oas_bits[u->ips] > 48)
		u->ips = SMMU_OAS_48;
	u->ssid_bits = (unsigned)SMMU_FIELD_GET(SMMU_IDR1_SSIDSIZE, idr1);
	ssid_bits = u->ssid_bits;
	if (u->cfg.pasid_bits_override > ssid_bits)
		ssid_bits = u->cfg.pasid_bits_override;
	/* Hardware SubstreamIDs without CD2L: one linear page of CDs. */
	if (u->ssid_bits && !u->cd2l && ssid_bits > SMMU_LINEAR_CD_BITS_MAX)
		ssid_bits = SMMU_LINEAR_CD_BITS_MAX;
	if (ssid_bits > SMMU_PASID_BITS_MAX)
		ssid_bits = SMMU_PASID_BITS_MAX;
	u->pasid_bits = ssid_bits;
	return 0;
}

/** Every STE of a linear table, or of a new leaf, aborts (5.2 Config). */
static void fill_abort(uint64_t *stes, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		smmu_build_ste_abort(&stes[i * SMMU_STE_WORDS]);
}

/*
 * The stream table (5.1, 6.3.24): 2-level with 64-STE leaves when the
 * SMMU has them (IDR0.ST_LEVEL), its L1 table at most 16 pages (19-bit
 * StreamIDs); else linear, at most 16 pages (1024 StreamIDs): a table
 * aligned to its size takes twice its pages (alloc_aligned()), and the
 * heap gives at most 32.  StreamIDs beyond the table are refused by the
 * SMMU (C_BAD_STREAMID) and by smmu_add_stream().
 */
static int strtab_init(struct smmu_unit *u)
{
	unsigned sid_bits =
		(unsigned)SMMU_FIELD_GET(SMMU_IDR1_SIDSIZE, u->idr[1]);
	unsigned pages, entries;
	uint32_t cfg;

	u->st_2lvl = SMMU_FIELD_GET(SMMU_IDR0_ST_LEVEL, u->idr[0]) ==
			     SMMU_ST_LEVEL_2LVL &&
		     sid_bits > 6;
	if (u->st_2lvl) {
		if (sid_bits > 6 + 13)
			sid_bits = 6 + 13; /* 2^13 L1 descriptors: 16 pages */
		entries = 1u << (sid_bits - 6);
		pages = (entries * SMMU_L1STD_BYTES + SMMU_PAGE_SIZE - 1) /
			SMMU_PAGE_SIZE;
	} else {
		if (sid_bits > 10)
			sid_bits = 10; /* 1024 STEs: 16 pages */
		entries = 1u << sid_bits;
		pages = (entries * SMMU_STE_BYTES + SMMU_PAGE_SIZE - 1) /
			SMMU_PAGE_SIZE;
	}
	u->st_log2 = sid_bits;
	u->strtab = alloc_aligned(u, pages, &u->strtab_pa, &u->strtab_mem,
				  &u->strtab_mem_pages);
	if (!u->strtab)
		return -XEN_ENOMEM;
	if (!u->st_2lvl)
		fill_abort(u->strtab, entries);
	flush(u, u->strtab, (size_t)pages * SMMU_PAGE_SIZE);
	cfg = (uint32_t)(SMMU_FIELD_PREP(SMMU_STRTAB_CFG_LOG2SIZE, sid_bits) |
			 SMMU_FIELD_PREP(SMMU_STRTAB_CFG_FMT,
					 u->st_2lvl ? SMMU_STRTAB_FMT_2LVL
						    : SMMU_STRTAB_FMT_LINEAR) |
			 SMMU_FIELD_PREP(SMMU_STRTAB_CFG_SPLIT,
					 u->st_2lvl ? 6 : 0));
	wr64_halves(u, SMMU_STRTAB_BASE_LO,
		    SMMU_STRTAB_BASE_RA |
			    (u->strtab_pa.v & SMMU_STRTAB_BASE_ADDR));
	wr32(u, SMMU_STRTAB_BASE_CFG, cfg);
	return 0;
}

/** One page per queue: 256 commands, 128 events (capped by IDR1). */
static int queues_init(struct smmu_unit *u)
{
	unsigned cmdqs = (unsigned)SMMU_FIELD_GET(SMMU_IDR1_CMDQS, u->idr[1]);
	unsigned evtqs = (unsigned)SMMU_FIELD_GET(SMMU_IDR1_EVENTQS, u->idr[1]);

	u->cmdq_log2 = cmdqs < 8 ? cmdqs : 8;
	u->evtq_log2 = evtqs < 7 ? evtqs : 7;
	u->cmdq = u->mem->alloc(u->mem_ctx, QUEUE_PAGES, &u->cmdq_pa);
	u->evtq = u->mem->alloc(u->mem_ctx, QUEUE_PAGES, &u->evtq_pa);
	if (!u->cmdq || !u->evtq)
		return -XEN_ENOMEM;
	wr64_halves(
		u, SMMU_CMDQ_BASE_LO,
		SMMU_Q_BASE_RWA | (u->cmdq_pa.v & SMMU_Q_BASE_ADDR) |
			SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, u->cmdq_log2));
	wr32(u, SMMU_CMDQ_PROD, 0);
	wr32(u, SMMU_CMDQ_CONS, 0);
	u->cmdq_prod = 0;
	wr64_halves(
		u, SMMU_EVENTQ_BASE_LO,
		SMMU_Q_BASE_RWA | (u->evtq_pa.v & SMMU_Q_BASE_ADDR) |
			SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, u->evtq_log2));
	wr32(u, SMMU_EVENTQ_PROD, 0);
	wr32(u, SMMU_EVENTQ_CONS, 0);
	return 0;
}

/** CR1 (6.3.11): tables and queues write-back inner shareable if
 * coherent, else non-cacheable. */
static void cr1_init(struct smmu_unit *u)
{
	uint64_t c = u->coherent ? SMMU_CACHE_WBRA : SMMU_CACHE_NC;
	uint64_t sh = u->coherent ? SMMU_SH_ISH : SMMU_SH_OSH;

	wr32(u, SMMU_CR1,
	     (uint32_t)(SMMU_FIELD_PREP(SMMU_CR1_QUEUE_IC, c) |
			SMMU_FIELD_PREP(SMMU_CR1_QUEUE_OC, c) |
			SMMU_FIELD_PREP(SMMU_CR1_QUEUE_SH, sh) |
			SMMU_FIELD_PREP(SMMU_CR1_TABLE_IC, c) |
			SMMU_FIELD_PREP(SMMU_CR1_TABLE_OC, c) |
			SMMU_FIELD_PREP(SMMU_CR1_TABLE_SH, sh)));
	/* Record C_BAD_STREAMID for StreamIDs beyond the table (6.3.12). */
	wr32(u, SMMU_CR2, (uint32_t)SMMU_CR2_RECINVSID);
}

/** Every configuration and TLB entry goes (4.3.2, 4.4.12, 4.7.3). */
static int invalidate_all(struct smmu_unit *u)
{
	struct smmu_locked ul = smmu_lock(u);
	uint64_t c[2];
	int rc;

	smmu_build_cfgi_all(c);
	cmdq_submit(ul, c);
	rc = cmdq_sync(ul);
	smmu_build_tlbi_nsnh_all(c);
	cmdq_submit(ul, c);
	if (!rc)
		rc = cmdq_sync(ul);
	smmu_unlock(&ul);
	return rc;
}

static int bring_up(struct smmu_unit *u)
{
	uint32_t irqs = 0;
	int rc;

	rc = gbpa_abort(u);
	if (!rc)
		rc = cr0_write(u, 0);
	if (!rc)
		rc = probe(u);
	if (!rc)
		rc = irq_ctrl_write(u, 0);
	if (rc)
		return rc;
	/* Errors left from before are acknowledged (6.3.19). */
	wr32(u, SMMU_GERRORN, rd32(u, SMMU_GERROR));
	cr1_init(u);
	rc = strtab_init(u);
	if (!rc)
		rc = queues_init(u);
	if (!rc)
		rc = cr0_write(u, (uint32_t)SMMU_CR0_CMDQEN);
	if (!rc)
		rc = invalidate_all(u);
	if (!rc)
		rc = cr0_write(u,
			       (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN));
	if (!rc && u->cfg.irqs)
		irqs = (uint32_t)(SMMU_IRQ_CTRL_GERROR_IRQEN |
				  SMMU_IRQ_CTRL_EVENTQ_IRQEN);
	if (!rc && irqs)
		rc = irq_ctrl_write(u, irqs);
	return rc;
}

int smmu_unit_init(struct smmu_unit *u, const struct smmu_config *cfg,
		   const struct smmu_mem_ops *mem, void *mem_ctx,
		   const struct smmu_reg_ops *regs, void *reg_ctx)
{
	int rc;

	*u = (struct smmu_unit){
		.mem = mem,
		.mem_ctx = mem_ctx,
		.regs = regs,
		.reg_ctx = reg_ctx,
		.cfg = *cfg,
	};
	spin_init(&u->lock);
	rc = bring_up(u);
	if (rc) {
		smmu_unit_fini(u);
		return rc;
	}
	u->iommu = (struct pasid_iommu){
		.ops = &smmu_pasid_ops,
		.name = cfg->name,
		.pasid_bits = u->pasid_bits,
	};
	return 0;
}

int smmu_enable(struct smmu_unit *u)
{
	int rc = cr0_write(u, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
					 SMMU_CR0_SMMUEN));

	u->enabled = rc == 0;
	return rc;
}

void smmu_unit_fini(struct smmu_unit *u)
{
	if (!u->regs)
		return;
	/* GBPA still aborts: off means nothing passes (6.3.14). */
	cr0_write(u, 0);
	u->enabled = false;
	cd_release_retired(u);
	u->ntlbi = 0;
	u->tlbi_all = false;
	for (unsigned i = 0; i < SMMU_MAX_STREAMS; i++) {
		if (u->streams[i].used)
			cd_table_free(u, &u->streams[i]);
		u->streams[i].used = false;
	}
	strtab_free(u);
	if (u->cmdq)
		u->mem->free(u->mem_ctx, u->cmdq, QUEUE_PAGES);
	if (u->evtq)
		u->mem->free(u->mem_ctx, u->evtq, QUEUE_PAGES);
	u->cmdq = u->evtq = NULL;
	u->regs = NULL;
}
