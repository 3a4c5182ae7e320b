/* SPDX-License-Identifier: MIT */
/*
 * Pure builders of the SMMUv3 structures (IHI 0070 E.a chapters 4, 5, 7):
 * STEs, L1 descriptors, CDs and commands into local arrays, and the event
 * record decoder.  No side effects: the host tests check them bit by bit,
 * and the writers (smmuv3_strtab.c, smmuv3_cd.c) commit them in order.
 */
#include <xen/errno.h>

#include "smmuv3.h"
#include "smmuv3_regs.h"

#define P SMMU_FIELD_PREP

static void zero(uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		w[i] = 0;
}

/* Table walk attributes: write-back inner shareable when the SMMU snoops
 * the CPU caches (IDR0.COHACC), else non-cacheable. */
static uint64_t cd_walk_attrs(bool coherent)
{
	if (!coherent)
		return P(SMMU_CD0_SH0, SMMU_SH_OSH);
	return P(SMMU_CD0_IR0, SMMU_CACHE_WBRA) |
	       P(SMMU_CD0_OR0, SMMU_CACHE_WBRA) | P(SMMU_CD0_SH0, SMMU_SH_ISH);
}

/*
 * 5.4: the fields every valid CD of this driver has: V, AA64 (VMSAv8-64
 * tables), A (an aborting fault is reported to the device as an abort,
 * not RAZ/WI), EPD1 (no TTB1 range), little endian (ENDI 0), no stall
 * (S 0), no hardware flag updates (HA, HD 0), the ASID and MAIR.
 */
static void cd_common(uint64_t cd[8], const struct smmu_cd_params *p)
{
	cd[0] = SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_CD0_A | SMMU_CD0_EPD1 |
		P(SMMU_CD0_IPS, p->ips) | P(SMMU_CD0_ASID, p->asid);
	cd[3] = P(SMMU_CD3_MAIR, SMMU_MAIR_WB);
}

int smmu_build_cd(uint64_t cd[8], const struct pasid_entry_cfg *cfg,
		  const struct smmu_cd_params *p)
{
	zero(cd, SMMU_CD_WORDS);
	switch (cfg->kind) {
	case PASID_ENTRY_SECOND_LEVEL:
	case PASID_ENTRY_FIRST_LEVEL: {
		/* Both are stage-1 tables on the SMMU, and both the
		 * hypervisor's: the domain's DMA view, or the arch's
		 * first-level copy of it (docs/smmuv3.md, "Entry kinds"). */
		uint64_t root = cfg->kind == PASID_ENTRY_SECOND_LEVEL
					? cfg->sl_root.v
					: cfg->fl_root.v;

		if (!root || (root & (SMMU_PAGE_SIZE - 1)) ||
		    (root & ~SMMU_CD1_TTB0))
			return -XEN_EINVAL;
		cd_common(cd, p);
		cd[0] |= P(SMMU_CD0_T0SZ, SMMU_T0SZ_48BIT) |
			 P(SMMU_CD0_TG0, SMMU_TG0_4K) |
			 cd_walk_attrs(p->coherent) | SMMU_CD0_R;
		cd[1] = root & SMMU_CD1_TTB0;
		return 0;
	}
	case PASID_ENTRY_BLOCKED:
		/* EPD0 and EPD1: every access is a translation fault, and
		 * with R = 0 none is recorded (5.4 R, parked PASIDs). */
		cd_common(cd, p);
		cd[0] |= SMMU_CD0_EPD0 | P(SMMU_CD0_T0SZ, SMMU_T0SZ_48BIT);
		return 0;
	case PASID_ENTRY_PASSTHROUGH:
		return -XEN_EOPNOTSUPP;
	}
	return -XEN_EINVAL;
}

void smmu_build_ste_abort(uint64_t ste[8])
{
	zero(ste, SMMU_STE_WORDS);
	ste[0] = SMMU_STE0_V | P(SMMU_STE0_CONFIG, SMMU_STE_CFG_ABORT);
}

void smmu_build_ste_invalid(uint64_t ste[8])
{
	zero(ste, SMMU_STE_WORDS);
}

int smmu_build_ste_s1(uint64_t ste[8], const struct smmu_ste_params *p)
{
	uint64_t cache = p->coherent ? SMMU_CACHE_WBRA : SMMU_CACHE_NC;

	zero(ste, SMMU_STE_WORDS);
	if (!p->ctx_ptr.v || (p->ctx_ptr.v & ~SMMU_STE0_S1CONTEXTPTR))
		return -XEN_EINVAL;
	ste[0] = SMMU_STE0_V | P(SMMU_STE0_CONFIG, SMMU_STE_CFG_S1) |
		 (p->ctx_ptr.v & SMMU_STE0_S1CONTEXTPTR) |
		 P(SMMU_STE0_S1CDMAX, p->s1cdmax);
	if (p->s1cdmax && p->cd_2lvl)
		ste[0] |= P(SMMU_STE0_S1FMT, SMMU_S1FMT_4K_L2);
	/* 5.2: CD fetch attributes; SubstreamID-less requests use CD 0;
	 * no stall; EL1 stream world; no ATS (EATS 0). */
	ste[1] = P(SMMU_STE1_S1CIR, cache) | P(SMMU_STE1_S1COR, cache) |
		 P(SMMU_STE1_S1CSH, p->coherent ? SMMU_SH_ISH : SMMU_SH_OSH) |
		 P(SMMU_STE1_STRW, SMMU_STRW_NSEL1) |
		 P(SMMU_STE1_SHCFG, SMMU_SHCFG_INCOMING);
	if (p->s1cdmax)
		ste[1] |= P(SMMU_STE1_S1DSS, SMMU_S1DSS_SUBSTREAM0);
	return 0;
}

uint64_t smmu_build_l1std(hpaddr_t l2)
{
	/* SPAN = SPLIT + 1 = 7: 2^(7-1) = 64 STEs, one 4-KiB page. */
	return P(SMMU_L1STD_SPAN, 7) | (l2.v & SMMU_L1STD_L2PTR);
}

uint64_t smmu_build_l1cd(hpaddr_t leaf)
{
	return SMMU_L1CD_V | (leaf.v & SMMU_L1CD_L2PTR);
}

static void cmd(uint64_t c[2], unsigned op)
{
	c[0] = P(SMMU_CMD0_OP, op);
	c[1] = 0;
}

void smmu_build_cfgi_ste(uint64_t c[2], uint32_t sid)
{
	/* Leaf = 0: an L1STD cached for the StreamID goes too (4.3.1), as a
	 * new stream-table leaf may have just been linked in. */
	cmd(c, SMMU_OP_CFGI_STE);
	c[0] |= P(SMMU_CFGI0_SID, sid);
}

void smmu_build_cfgi_all(uint64_t c[2])
{
	cmd(c, SMMU_OP_CFGI_STE_RANGE);
	c[1] = P(SMMU_CFGI1_RANGE, SMMU_CFGI_ALL_RANGE);
}

void smmu_build_cfgi_cd(uint64_t c[2], uint32_t sid, uint32_t ssid)
{
	/* Leaf = 0: the L1CD cached for the SubstreamID goes too (4.3.3). */
	cmd(c, SMMU_OP_CFGI_CD);
	c[0] |= P(SMMU_CFGI0_SID, sid) | P(SMMU_CFGI0_SSID, ssid);
}

void smmu_build_cfgi_cd_all(uint64_t c[2], uint32_t sid)
{
	cmd(c, SMMU_OP_CFGI_CD_ALL);
	c[0] |= P(SMMU_CFGI0_SID, sid);
}

void smmu_build_tlbi_nh_asid(uint64_t c[2], uint16_t asid)
{
	cmd(c, SMMU_OP_TLBI_NH_ASID);
	c[0] |= P(SMMU_TLBI0_ASID, asid);
}

void smmu_build_tlbi_nh_all(uint64_t c[2])
{
	cmd(c, SMMU_OP_TLBI_NH_ALL);
}

void smmu_build_tlbi_nsnh_all(uint64_t c[2])
{
	cmd(c, SMMU_OP_TLBI_NSNH_ALL);
}

void smmu_build_atc_inv(uint64_t c[2], uint32_t sid, bool ssv, uint32_t ssid)
{
	/* Size 52 with address 0: the whole ATC of the (sub)stream. */
	cmd(c, SMMU_OP_ATC_INV);
	c[0] |= P(SMMU_ATC0_SID, sid);
	if (ssv)
		c[0] |= SMMU_ATC0_SSV | P(SMMU_ATC0_SSID, ssid);
	c[1] = P(SMMU_ATC1_SIZE, 52);
}

void smmu_build_sync(uint64_t c[2])
{
	/* CS = none: completion is seen by polling CMDQ_CONS (4.7.3). */
	cmd(c, SMMU_OP_CMD_SYNC);
	c[0] |= P(SMMU_SYNC0_CS, SMMU_SYNC_CS_NONE);
}

void smmu_decode_event(const uint64_t e[4], struct smmu_event *out)
{
	*out = (struct smmu_event){
		.type = (uint8_t)SMMU_FIELD_GET(SMMU_EVT0_ID, e[0]),
		.sid = (uint32_t)SMMU_FIELD_GET(SMMU_EVT0_SID, e[0]),
		.ssv = (e[0] & SMMU_EVT0_SSV) != 0,
	};
	if (out->ssv)
		out->ssid = (uint32_t)SMMU_FIELD_GET(SMMU_EVT0_SSID, e[0]);
	switch (out->type) {
	case SMMU_EVT_F_TRANSLATION:
	case SMMU_EVT_F_ADDR_SIZE:
	case SMMU_EVT_F_ACCESS:
	case SMMU_EVT_F_PERMISSION:
		/* 7.3.12-7.3.15: InputAddr and RnW are defined. */
		out->addr = SMMU_FIELD_GET(SMMU_EVT2_ADDR, e[2]);
		out->write = !(e[1] & SMMU_EVT1_RNW);
		break;
	default:
		out->addr = e[2];
		out->write = false;
	}
}
